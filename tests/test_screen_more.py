"""`screen` says how many matches at or above the threshold lie beyond the limit: in the JSON
document (`more_matches`), the command's text and the screen page."""

from __future__ import annotations

import json
import re

from typer.testing import CliRunner

from exportguard.cli import app as cli_app
from exportguard.store import Store
from tests.test_service import Service


def test_more_matches_beyond_the_limit(full_screener) -> None:
    everything = full_screener.screen("Huawei", limit=100)
    total = len(everything.matches)
    assert total >= 5 and everything.more == 0
    shown = full_screener.screen("Huawei", limit=3)
    assert [m.entry.key for m in shown.matches] == [m.entry.key for m in everything.matches[:3]]
    assert shown.more == total - 3
    assert shown.to_dict()["more_matches"] == total - 3


def test_cli_and_page_say_how_many_more(store: Store) -> None:
    service = Service(store)  # the CSL sample: several SSI entries are Gazprombank's
    try:
        everything = service.post("/screen", {"name": "Gazprombank", "limit": 100}).json()
        total = len(everything["matches"])
        assert total >= 2 and everything["more_matches"] == 0
        api = service.post("/screen", {"name": "Gazprombank", "limit": 1}).json()
        assert len(api["matches"]) == 1 and api["more_matches"] == total - 1

        cli = CliRunner().invoke(cli_app, ["screen", "Gazprombank", "--limit", "1",
                                           "--no-audit"], env={"EXPORTGUARD_DB": store.url,
                                                               "COLUMNS": "200"})
        assert cli.exit_code == 0, cli.output
        assert f"{total - 1} more match(es) at or above 0.85 are not shown: raise --limit" in \
            cli.stdout
        as_json = CliRunner().invoke(cli_app, ["screen", "Gazprombank", "--limit", "1",
                                               "--json", "--no-audit"],
                                     env={"EXPORTGUARD_DB": store.url})
        assert json.loads(as_json.stdout)["more_matches"] == total - 1

        service.client.post("/login", data={"key": service.secrets["screener"], "next": "/"})
        csrf = re.search(r'name="csrf" value="([^"]+)"', service.client.get("/").text).group(1)
        page = service.client.post("/screen", data={"csrf": csrf, "name": "Gazprombank",
                                                    "limit": "1"})
        assert page.status_code == 200
        assert re.search(rf'id="more-matches"><strong>{total - 1} more match', page.text)
        assert "raise “Show up to” to see" in page.text
        bad = service.client.post("/screen", data={"csrf": csrf, "name": "x y", "limit": "ten"})
        assert bad.status_code == 422 and "limit" in bad.text
    finally:
        service.close()


def test_the_screen_address_opens_the_screen_page(store: Store) -> None:
    """GET /screen (typed, bookmarked, or reloaded after a result) goes to the screen form at /,
    as every other page's address opens its form; it answered 405 before."""
    service = Service(store)
    try:
        service.client.post("/login", data={"key": service.secrets["screener"], "next": "/"})
        moved = service.client.get("/screen", follow_redirects=False)
        assert moved.status_code == 303 and moved.headers["location"] == "/"
        page = service.client.get("/screen")
        assert page.status_code == 200 and 'action="/screen"' in page.text
    finally:
        service.close()
