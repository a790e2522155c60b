"""Every verb's page end to end in headless Chromium: the real service (uvicorn, SQLite, the
built-in starter set, later the reference CSL sample loaded through the page) driven from the
keyboard and the mouse. Each page is photographed; the screenshots' folder is printed (run with
-s to see it) so a person can look at them."""

from __future__ import annotations

import csv
import re
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

from exportguard.access import ROLES, Access
from exportguard.service.app import create_app
from exportguard.store import Store
from tests.conftest import CSL_SAMPLE
from tests.test_e2e import CHROMIUM, CHROMIUM_ARGS, Running, _free_port, sign_in


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    """The service on the starter set only (the seed story's lists)."""
    root = tmp_path_factory.mktemp("pages")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("EXPORTGUARD_HOME", str(root / "home"))
        env.delenv("EXPORTGUARD_DB", raising=False)
        store = Store(f"sqlite:///{root / 'eg.db'}")
        access = Access(store)
        keys = {role: access.create_key(f"e2e-{role}", role)[1] for role in ROLES}
        port = _free_port()
        uv = uvicorn.Server(uvicorn.Config(create_app(store), host="127.0.0.1", port=port,
                                           log_level="warning"))
        thread = threading.Thread(target=uv.run, name="pages-uvicorn", daemon=True)
        thread.start()
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 90  # the first screener is built before it answers
        while True:
            try:
                with urllib.request.urlopen(f"{url}/login", timeout=2) as reply:
                    if reply.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError):
                pass
            assert thread.is_alive() and time.monotonic() < deadline, "server did not start"
            time.sleep(0.05)
        try:
            yield Running(url, keys, store)
        finally:
            uv.should_exit = True
            thread.join(10)
            store.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    expect.set_options(timeout=15_000)
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.getbasetemp() / "screenshots"
    folder.mkdir(exist_ok=True)
    print(f"\nscreenshots of the pages: {folder}")
    return folder


@pytest.fixture
def as_role(browser: Browser, server: Running) -> Iterator:
    made: list[BrowserContext] = []

    def make(role: str) -> Page:
        context = browser.new_context(base_url=server.url, viewport={"width": 1280,
                                                                       "height": 900})
        context.set_default_timeout(15_000)
        made.append(context)
        return sign_in(context, server, role)

    yield make
    for context in made:
        context.close()


def shot(page: Page, folder: Path, name: str) -> None:
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


def check_memo(page: Page, eccn: str, party: str, destination: str, day: str) -> str:
    page.goto("/check")
    page.get_by_label("ECCN (e.g. EAR99, 3A090.a)").fill(eccn)
    page.get_by_label("Destination (ISO-2, e.g. CN)").fill(destination)
    page.get_by_label("Party (end user)").fill(party)
    page.get_by_label("Date (YYYY-MM-DD)").fill(day)
    page.get_by_label("Date (YYYY-MM-DD)").press("Enter")  # the keyboard sends the form
    expect(page.locator("#memo")).to_be_visible()
    return page.locator("#decision").inner_text()


def test_check_page_tells_the_seed_story_by_eccn(as_role, shots: Path) -> None:
    page = as_role("screener")
    assert check_memo(page, "EAR99", "Megvii Technology", "CN", "2019-10-08") == \
        "no license required"
    expect(page.locator("#reasons tbody tr", has_text="listed-later").filter(
        has_text="(EL)")).to_contain_text("2019-10-09")
    assert check_memo(page, "EAR99", "Megvii Technology", "CN", "2019-10-10") == \
        "license required"
    entity = page.locator("#reasons tbody tr", has_text="entity-list")
    expect(entity).to_contain_text("84 FR 54002")
    # The rule id links to its glossary entry (its summary is beside it, so no title here).
    expect(entity.locator(".rule-title")).to_have_count(0)
    expect(entity.get_by_role("link", name="entity-list")).to_have_attribute(
        "href", "/glossary#entity-list")
    expect(page.locator("#parties")).to_contain_text("EL “Megvii Technology")
    # No command-line flag on the web: the assumptions name the form fields.
    assumptions = page.locator("#assumptions").inner_text()
    assert "--" not in assumptions
    assert "fill the “Made in” field for a foreign-made item" in assumptions
    shot(page, shots, "check-megvii-2019-10-10")


def test_check_page_takes_figures_foreign_made_and_several_parties(as_role, shots) -> None:
    page = as_role("screener")
    page.goto("/check")
    page.locator("summary", has_text="or its figures").click()
    page.get_by_label("TPP").fill("4708")
    page.get_by_label("Die area (mm²)").fill("609")
    page.get_by_label("Destination (ISO-2, e.g. CN)").fill("CN")
    page.get_by_label("Party (end user)").fill("Example Co")
    page.get_by_label("Party country (ISO-2)", exact=True).fill("CN")
    page.get_by_label("Other party 2 (consignee, intermediary)").fill("Megvii Technology")
    page.get_by_label("Party 2 country (ISO-2)").fill("CN")
    page.get_by_label("Made outside the U.S.").check()
    page.get_by_label("Date (YYYY-MM-DD)").fill("2024-06-01")
    page.get_by_role("button", name="Check").click()
    # Megvii is listed, but whether a foreign-made item of unknown origin is subject to the EAR
    # is not known: a person decides, told which fields would settle it.
    expect(page.locator("#decision")).to_have_text("review")
    expect(page.locator("#parties tbody tr")).to_have_count(2)
    expect(page.locator("#parties tbody tr", has_text="Megvii")).to_contain_text("EL")
    expect(page.locator("#missing-facts")).to_contain_text("fill “U.S. content” (or none)")
    # The datacenter fact is missing: the memo names the field to fill, not a CLI flag.
    expect(page.locator("#missing-facts")).to_contain_text("choose “Datacenter part”")
    expect(page.locator("#assumptions")).not_to_contain_text("U.S. origin")
    expect(page.get_by_label("Made outside the U.S.")).to_be_checked()  # the form is kept
    shot(page, shots, "check-figures-two-parties")

    # Two ways of giving the item: refused, the field marked, nothing lost.
    page.get_by_label("Catalogue name (e.g. H100)").fill("H100")
    page.get_by_role("button", name="Check").click()
    expect(page.locator("#form-error")).to_contain_text("give the item one way")
    expect(page.get_by_label("TPP")).to_have_attribute("aria-invalid", "true")
    # An error opens with the field's label, never the engine's name for it (party_country).
    page.get_by_label("Catalogue name (e.g. H100)").fill("")
    page.get_by_label("Party country (ISO-2)", exact=True).fill("ZZ")
    page.get_by_role("button", name="Check").click()
    expect(page.locator("#form-error")).to_have_text(
        "Not checked: Party country: 'ZZ' is not an ISO 3166-1 country code")
    page.get_by_label("Party country (ISO-2)", exact=True).fill("CN")
    page.get_by_label("Made in (ISO-2)").fill("US")
    page.get_by_role("button", name="Check").click()
    expect(page.locator("#form-error")).to_have_text(
        "Not checked: Made in: the “Made outside the U.S.” field says the item was made outside "
        "the U.S., but the “Made in” field is US")


def test_check_page_foreign_made_item_by_the_direct_product_rule(as_role, shots) -> None:
    page = as_role("screener")
    page.goto("/check")
    page.get_by_label("Catalogue name (e.g. H100)").fill("H100")
    page.get_by_label("Destination (ISO-2, e.g. CN)").fill("CN")
    page.get_by_label("Party (end user)").fill("Example Co")
    page.get_by_label("Party country (ISO-2)", exact=True).fill("CN")
    page.get_by_label("Made in (ISO-2)").fill("TW")
    page.get_by_label("U.S. content (ECCN=PERCENT, comma-separated, or none)").fill("none")
    page.get_by_label("Direct product of U.S. technology (ECCNs, or none)").fill("3E001")
    page.get_by_label("Date (YYYY-MM-DD)").fill("2025-06-01")
    page.get_by_role("button", name="Check").click()
    expect(page.locator("#jurisdiction")).to_contain_text(
        "Subject to the EAR (fdp-advanced-computing-2023")
    expect(page.locator("#jurisdiction")).to_contain_text("15 CFR 734.9(h)")
    expect(page.locator("#decision")).to_have_text("license required")
    nac = page.locator("#license-exceptions tbody tr").first
    expect(nac.locator("td").nth(1)).to_have_text("not available")
    assert "--" not in page.locator("#memo").inner_text()
    shot(page, shots, "check-foreign-made")


def test_classify_page_shows_the_working_and_the_h20_letter(as_role, shots) -> None:
    page = as_role("screener")
    page.goto("/classify")
    expect(page.get_by_label("Catalogue name (e.g. H100)")).to_be_focused()
    page.get_by_label("Catalogue name (e.g. H100)").fill("H20")
    page.get_by_label("Date (YYYY-MM-DD)").fill("2024-06-01")
    page.get_by_label("Date (YYYY-MM-DD)").press("Enter")
    expect(page.locator("#verdict")).to_have_text("not in 3A090/4A090")
    expect(page.locator("#result")).not_to_contain_text("is-informed")
    page.get_by_label("Date (YYYY-MM-DD)").fill("2025-06-01")
    page.get_by_role("button", name="Classify").click()
    expect(page).to_have_url(re.compile(r"/classify\?item=H20&.*date=2025-06-01"))
    expect(page.locator("#result p").first).to_contain_text(
        "license required by is-informed-2025-04-09-h20")
    # Where no summary stands beside a rule id, its title does.
    expect(page.locator("#result p .rule-title").first).to_contain_text(
        "BIS informed NVIDIA on 2025-04-09")
    expect(page.locator("#tpp-value")).to_have_text("2,368")
    expect(page.locator("#working li").last).to_have_text("PD = 2,368 / 814 mm^2 = 2.91")
    shot(page, shots, "classify-h20-2025")

    page.goto("/classify?item=H200&date=2026-02-01")
    expect(page.locator("#verdict")).to_contain_text("3A090.a.1")
    expect(page.locator("#review-band")).to_contain_text("case by case")


def test_invest_page(as_role, shots) -> None:
    page = as_role("screener")
    page.goto("/invest")
    page.get_by_label("Security (ticker, ISIN or issuer)").fill("002415.SZ")
    page.get_by_label("Date (YYYY-MM-DD)").fill("2021-08-02")
    page.get_by_label("Date (YYYY-MM-DD)").press("Enter")
    expect(page.locator("#decision")).to_have_text("purchase prohibited divest window")
    expect(page.locator("#may-buy")).to_contain_text("no (purchases prohibited from 2021-08-02)")
    expect(page.locator("#divest-by")).to_have_text("2022-06-02")
    shot(page, shots, "invest-hikvision")


RELEASE_FIELDS = {"technology": "Technology or source code (ECCN, e.g. 3E001, or EAR99)",
                  "nationalities": "Nationalities (ISO-2, e.g. CN or CN, IN)",
                  "for_item": "Item the technology is for (ECCN, e.g. 3A090.a)",
                  "person": "Person's name (screened against the lists)",
                  "date": "Date (YYYY-MM-DD)"}


def release_memo(page: Page, **fields: str) -> None:
    page.goto("/release")
    for name, label in RELEASE_FIELDS.items():
        page.get_by_label(label).fill(fields.get(name, ""))
    page.get_by_label(RELEASE_FIELDS["date"]).press("Enter")


def test_release_page_deemed_export_with_the_person_screened(as_role, shots) -> None:
    page = as_role("screener")
    page.goto("/")
    page.locator('header nav a[href="/release"]').click()  # the nav leads to it
    expect(page).to_have_url(re.compile(r"/release$"))
    expect(page.locator('header nav a[href="/release"]')).to_have_attribute("aria-current",
                                                                            "page")
    # Each form field bears the name of the API's JSON field.
    for name, label in RELEASE_FIELDS.items():
        expect(page.get_by_label(label)).to_have_attribute("name", name)
    release_memo(page, technology="3E001", nationalities="CN", for_item="3A090.a",
                 person="Megvii Technology", date="2024-06-01")
    expect(page.locator("#decision")).to_have_text("license required")
    expect(page.locator("#deemed")).to_have_text("A deemed export to CN.")
    expect(page.locator("#reasons tbody tr", has_text="entity-list")).to_contain_text("applies")
    expect(page.locator("#reasons tbody tr", has_text="advanced-computing-deemed-export-"
                        "excluded")).to_contain_text("info")
    expect(page.locator("#person-screened")).to_contain_text("EL “Megvii Technology” 1.00")
    # A rule id links to its glossary entry; one written in the code, not the rules data (the
    # Commerce Country Chart question), has none, so no link leads nowhere.
    expect(page.locator("#reasons a", has_text="deemed-export").first).to_have_attribute(
        "href", "/glossary#deemed-export")
    expect(page.locator("#reasons tbody tr", has_text="technology-country-chart").locator(
        "a[href^='/glossary']")).to_have_count(0)
    expect(page.locator("#missing-facts")).to_contain_text("Commerce Country Chart")
    shot(page, shots, "release-megvii")
    # A lawful permanent resident is not a foreign person: no deemed export.
    page.goto("/release")
    page.get_by_label(RELEASE_FIELDS["technology"]).fill("3E001")
    page.get_by_label(RELEASE_FIELDS["nationalities"]).fill("CN")
    page.get_by_label("U.S. lawful permanent resident (green card)").check()
    page.get_by_role("button", name="Check the release").click()
    expect(page.locator("#decision")).to_have_text("no license required")
    expect(page.locator("#deemed")).to_have_text(
        "Not a deemed export: the person is not a foreign person.")
    expect(page.locator("#reasons")).to_contain_text("not-a-foreign-person")


def test_release_page_shows_errors_beside_the_form(as_role, shots) -> None:
    page = as_role("screener")
    release_memo(page, technology="3E001", nationalities="CN, ZZ")
    error = page.locator("#form-error")
    expect(error).to_have_text("Not checked: Nationalities: 'ZZ' is not an ISO 3166-1 country "
                               "code")
    expect(page.get_by_label(RELEASE_FIELDS["nationalities"])).to_have_attribute(
        "aria-invalid", "true")
    expect(page.get_by_label(RELEASE_FIELDS["nationalities"])).to_have_value("CN, ZZ")
    expect(page.locator("#memo")).to_have_count(0)
    release_memo(page, technology="3E001")  # nobody's nationality: the fields to fill, by label
    expect(error).to_contain_text("(the “Nationalities” field, an ISO code)")
    expect(error).to_contain_text("(the “U.S. lawful permanent resident” field)")
    expect(error).not_to_contain_text("--")
    release_memo(page, technology="3A090.a", nationalities="CN")
    expect(error).to_contain_text("Technology or source code: 3A090.a is not technology or "
                                  "software")
    expect(page.get_by_label(RELEASE_FIELDS["technology"])).to_have_attribute("aria-invalid",
                                                                              "true")
    shot(page, shots, "release-error")


def test_glossary_is_reachable_from_every_page(as_role, shots) -> None:
    page = as_role("admin")
    for path in ("/", "/check", "/classify", "/invest", "/release", "/batch", "/watchlist",
                 "/ownership",
                 "/cases", "/lists", "/chart", "/audit", "/keys", "/lists/load"):
        answer = page.goto(path, wait_until="domcontentloaded")  # the chart draws slowly
        assert answer is not None and answer.status == 200, path
        expect(page.locator("main").get_by_role("link", name="glossary")).to_have_attribute(
            "href", "/glossary")
    glossary = page.locator('header nav a[href="/glossary"]')
    expect(glossary).to_have_attribute("accesskey", "g")
    glossary.focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/glossary$"))
    expect(page.locator("#list-EL")).to_have_text("EL")
    expect(page.locator("#list-CMIC + dd")).to_contain_text("not an export control; see the "
                                                            "Invest page")
    expect(page.locator("#list-UN + dd")).to_contain_text("Information only")
    expect(page.locator("#feature-token_overlap + dd")).to_contain_text("Weight 0.85")
    expect(page.locator("tr#ac-2023-destinations")).to_contain_text("88 FR 73458 (2023-10-25)")
    # The rules the check and release memos link to: foreign-made items, exceptions, releases.
    expect(page.locator("tr#de-minimis-25")).to_contain_text("734.4")
    expect(page.locator("tr#nac-2024")).to_contain_text("740.8")
    expect(page.locator("tr#deemed-export")).to_contain_text("734.13")
    shot(page, shots, "glossary")


def test_keys_page_creates_shows_once_and_revokes(as_role, server: Running, shots) -> None:
    screener = as_role("screener")
    answer = screener.goto("/keys")
    assert answer is not None and answer.status == 403
    page = as_role("admin")
    page.goto("/keys")
    page.get_by_label("Name (who or what uses it)").fill("order-system")
    page.get_by_label("Role").select_option("reviewer")
    page.get_by_label("Rate (units a second, optional; a screen costs 1)").fill("50")
    page.get_by_role("button", name="Create key").click()
    secret = page.locator("#secret").inner_text()
    assert re.fullmatch(r"eg_[A-Za-z0-9_-]{43}", secret)
    row = page.locator("#keys tbody tr", has_text="order-system")
    expect(row).to_contain_text("reviewer")
    expect(row).to_contain_text(secret[:10])
    shot(page, shots, "keys-created")
    page.goto("/keys")
    assert secret not in page.content()  # shown once only
    request = urllib.request.Request(f"{server.url}/api/v1/lists",
                                     headers={"Authorization": f"Bearer {secret}"})
    with urllib.request.urlopen(request, timeout=10) as reply:
        assert reply.status == 200
    page.get_by_role("button", name="Revoke key order-system").click()
    expect(page.locator("#notice")).to_contain_text("Key 'order-system' is revoked")
    expect(page.locator("#keys tbody tr", has_text="order-system").locator("td").nth(6)
           ).not_to_be_empty()
    page.get_by_label("Name (who or what uses it)").fill("bad name!")
    page.get_by_role("button", name="Create key").click()
    expect(page.locator("#form-error")).to_contain_text("Not created: Name:")
    expect(page.get_by_label("Name (who or what uses it)")).to_have_attribute(
        "aria-invalid", "true")


def test_batch_upload_progress_and_download(as_role, tmp_path: Path, shots) -> None:
    names = tmp_path / "book.csv"
    with names.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "name", "country"])
        writer.writerow(["c-1", "Megvii Technology", "CN"])
        writer.writerow(["c-2", "Northwind Traders Ltd", "GB"])
        writer.writerow(["c-3", "", "CN"])
        writer.writerow(["c-4", "北京市商汤科技开发有限公司", "XX"])
    page = as_role("screener")
    page.goto("/batch")
    page.get_by_label("CSV file").set_input_files(str(names))
    page.get_by_role("button", name="Upload and screen").click()
    expect(page).to_have_url(re.compile(r"/batch/[A-Za-z0-9_-]{16,32}$"))
    mine = page.url
    expect(page.locator("#status")).to_have_text("done", timeout=60_000)  # reloads itself
    expect(page.locator("#progress-text")).to_have_text("4 of 4 rows")
    rows = page.locator("#results tbody tr")
    expect(rows.nth(0)).to_contain_text("match")
    expect(rows.nth(0)).to_contain_text("Megvii Technology")
    expect(rows.nth(1)).to_contain_text("clear")
    expect(rows.nth(2)).to_contain_text("error")
    expect(rows.nth(3)).to_contain_text("error")  # XX is no country
    shot(page, shots, "batch-done")
    with page.expect_download() as download:
        page.locator("#download").click()
    saved = tmp_path / "out.csv"
    download.value.save_as(saved)
    got = list(csv.DictReader(saved.open(encoding="utf-8")))
    assert [r["id"] for r in got] == ["c-1", "c-2", "c-3", "c-4"]
    assert got[0]["decision"] == "match" and got[0]["best_match_list"] == "EL"
    assert got[2]["error"] and got[1]["decision"] == "clear"
    # Another key's batch is not found (the token is not enough).
    other = as_role("reviewer")
    answer = other.goto(mine)
    assert answer is not None and answer.status == 404


def test_ownership_import_and_drawing(as_role, tmp_path: Path, shots) -> None:
    holdings = tmp_path / "holdings.csv"
    holdings.write_text(
        "owner,owned,percent,as_of,source,owner_country,owned_country\n"
        "Megvii Technology,Example Holdings Ltd,60,2020-01-01,test register,CN,HK\n"
        "Example Holdings Ltd,Example Subsidiary KK,80,2020-01-01,test register,HK,JP\n"
        "Example Founder Trust,Example Holdings Ltd,40,2020-01-01,test register,KY,HK\n",
        encoding="utf-8")
    page = as_role("reviewer")
    page.goto("/ownership")
    page.get_by_label(re.compile(r"^Holdings file")).set_input_files(str(holdings))
    page.get_by_role("button", name="Import").click()
    expect(page.locator("#notice")).to_contain_text("Imported 3 ownership edges (4 new")
    page.get_by_label("Company (as the graph holds it)").fill("Example Subsidiary KK")
    page.get_by_label("Date (YYYY-MM-DD)").fill("2025-10-15")
    page.get_by_label("Date (YYYY-MM-DD)").press("Enter")
    drawing = page.locator("#ownership-drawing")
    expect(drawing).to_be_visible()
    expect(drawing.locator("g.company")).to_have_count(4)
    expect(drawing.locator("g.listed")).to_have_count(1)
    expect(drawing.locator("g.listed")).to_contain_text("Megvii Technology")
    shares = drawing.locator("text.share").all_text_contents()
    assert sorted(shares) == ["40 %", "60 %", "80 %"]
    expect(page.locator("#look-through")).to_contain_text("Megvii Technology (EL) 48 %")
    expect(page.locator("#outcomes tbody tr", has_text="ofac-50-percent")).to_be_visible()
    shot(page, shots, "ownership-drawing")


def test_watchlist_import_alerts_and_lists_load_with_diff(as_role, tmp_path: Path,
                                                          shots) -> None:
    customers = tmp_path / "customers.csv"
    customers.write_text("id,name,country\nc-1,Megvii Technology,CN\n"
                         "c-2,Gryphon Aerospace,\nc-3,Northwind Traders Ltd,GB\n",
                         encoding="utf-8")
    page = as_role("reviewer")
    page.goto("/watchlist")
    page.get_by_label("Customer CSV (id, name, country)").set_input_files(str(customers))
    page.get_by_role("button", name="Import customers").click()
    expect(page.locator("#notice")).to_contain_text("Imported 3 customers")
    expect(page.locator("#customer-count")).to_have_text("3 customers")
    megvii = page.locator("#alerts tbody tr", has_text="Megvii Technology")
    expect(megvii).to_have_count(2)  # on the EL and, as Megvii Technology Limited, NS-CMIC
    expect(megvii.filter(has=page.get_by_role("link", name="EL", exact=True))).to_contain_text(
        "new")

    # An admin loads the reference CSL sample through the page, then a copy in which one entry
    # of the sample changed its licence policy: the diff shows the old and the new value, and
    # the watchlist's alert for the customer on that entry says what changed.
    admin = as_role("admin")
    admin.goto("/lists")
    admin.locator("#load-link").click()
    admin.get_by_label("List file").set_input_files(str(CSL_SAMPLE))
    admin.get_by_role("button", name="Load the file").click()
    expect(admin.locator("#notice")).to_contain_text("Loaded snapshot")
    expect(admin.locator("#notice")).to_contain_text("115 entries")
    changed = tmp_path / "csl-changed.csv"
    rows = list(csv.reader(CSL_SAMPLE.open(encoding="utf-8")))
    header = rows[0]
    target = next(r for r in rows[1:] if r[header.index("name")].strip() == "Gryphon Aerospace")
    old_policy = target[header.index("license_policy")]
    target[header.index("license_policy")] = "Policy of denial (changed for the test)."
    with changed.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    admin.get_by_label("List file").set_input_files(str(changed))
    admin.get_by_role("button", name="Load the file").click()
    expect(admin.locator("#notice")).to_contain_text("Watchlist re-screened")
    shot(admin, shots, "lists-load")
    admin.get_by_role("link", name="What changed").click()
    change = admin.locator("table.changes tbody tr", has_text="license_policy")
    expect(change.locator(".diff-old")).to_have_text(old_policy.strip())
    expect(change.locator(".diff-new")).to_have_text("Policy of denial (changed for the test).")
    shot(admin, shots, "lists-diff")

    page.goto("/watchlist")
    alert = page.locator("#alerts tbody tr", has_text="Gryphon Aerospace").filter(
        has_text="changed")
    expect(alert.locator(".diff-new")).to_have_text("Policy of denial (changed for the test).")
    shot(page, shots, "watchlist-alerts")
    page.get_by_role("button", name="Acknowledge these alerts").click()
    expect(page.locator("#alerts tbody")).to_have_text(re.compile(r"No alerts waiting"))


def test_api_docs_render_without_internet(browser: Browser, server: Running, shots) -> None:
    context = browser.new_context(base_url=server.url, viewport={"width": 1280, "height": 900})
    outside: list[str] = []

    def only_local(route) -> None:  # type: ignore[no-untyped-def]
        if route.request.url.startswith(server.url):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", only_local)
    try:
        page = context.new_page()
        page.goto("/api/v1/docs")
        expect(page.locator(".swagger-ui .info .title")).to_contain_text("exportguard")
        screen = page.locator(".opblock-summary-path", has_text="/api/v1/screen").first
        expect(screen).to_be_visible()
        shot(page, shots, "api-docs")
        assert outside == []
    finally:
        context.close()


def test_chart_page_for_a_chosen_date_with_its_table(as_role, shots) -> None:
    page = as_role("screener")
    page.goto("/chart?date=2026-02-01")
    page.wait_for_function("document.getElementById('chart').complete", timeout=60_000)
    assert page.locator("img#chart").evaluate("img => img.naturalWidth") > 1000
    h20 = page.locator("#chart-table tbody tr", has_text="NVIDIA H20 96GB")
    expect(h20).to_contain_text("outside 3A090")
    expect(h20).to_contain_text("is-informed-2025-04-09-h20")
    expect(h20.locator("td").nth(5)).to_have_text("")  # the band is for 3A090 items
    h200 = page.locator("#chart-table tbody tr", has_text="H200 SXM")
    expect(h200.locator("td").nth(3)).to_have_text("3A090.a.1")
    expect(h200.locator("td").nth(5)).to_have_text("case by case")
    shot(page, shots, "chart-2026-02-01")
