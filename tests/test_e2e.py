"""The web pages end to end: the real service (uvicorn, SQLite, the reference CSL sample) driven
by headless Chromium. Sign-in, screening, the licence memo, the review of a case, the audit log,
the keyboard and the chip chart, asserting the values the real data gives."""

from __future__ import annotations

import csv
import re
import socket
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
import uvicorn
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

from exportguard.access import ROLES, Access
from exportguard.lists.loader import load_file
from exportguard.service.app import create_app
from exportguard.store import Store
from tests.conftest import CSL_SAMPLE

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
LISTED = "Gryphon Aerospace"  # EL, an exact listed name in the CSL sample
LISTED_CHECK = "Gulf Gate Shipping Co. LLC"  # EL, UAE
NEAR_MISS = "Gulf Gate Shiping Co LLC"  # 0.96 against the EL entry above: a possible match
NEAR_MISS_2 = "ACTeam Logistcs Ltd."  # 0.96 against EL "ACTeam Logistics Ltd."
UNLISTED = "Northwind Traders Ltd"
INJECTION = "<script>alert(1)</script> Acme"
WRONG_KEY = "eg_" + "A" * 43  # the shape of a key, but no such key


@dataclass(frozen=True)
class Running:
    url: str
    keys: dict[str, str]
    store: Store


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    root = tmp_path_factory.mktemp("e2e")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("EXPORTGUARD_HOME", str(root / "home"))
        env.delenv("EXPORTGUARD_DB", raising=False)
        store = Store(f"sqlite:///{root / 'eg.db'}")
        load_file(store, CSL_SAMPLE)
        access = Access(store)
        keys = {role: access.create_key(f"e2e-{role}", role)[1] for role in ROLES}
        port = _free_port()
        uv = uvicorn.Server(uvicorn.Config(create_app(store), host="127.0.0.1", port=port,
                                           log_level="warning"))
        thread = threading.Thread(target=uv.run, name="e2e-uvicorn", daemon=True)
        thread.start()
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"{url}/login", timeout=2) as reply:
                    if reply.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError):
                pass
            assert thread.is_alive(), "the server stopped while starting"
            assert time.monotonic() < deadline, "the server did not answer within 30 s"
            time.sleep(0.05)
        try:
            yield Running(url, keys, store)
        finally:
            uv.should_exit = True
            thread.join(10)
            store.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    expect.set_options(timeout=30_000)  # a loaded CI machine draws the chart slowly
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def new_context(browser: Browser, server: Running) -> Iterator:
    """Fresh browser contexts (own cookies) on the server; all closed after the test."""
    made: list[BrowserContext] = []

    def make() -> BrowserContext:
        context = browser.new_context(base_url=server.url)
        context.set_default_timeout(30_000)
        made.append(context)
        return context

    yield make
    for context in made:
        context.close()


def sign_in(context: BrowserContext, server: Running, role: str) -> Page:
    page = context.new_page()
    page.goto("/login")
    page.get_by_label("API key").fill(server.keys[role])
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("header .who")).to_contain_text(f"e2e-{role} ({role})")
    return page


@pytest.fixture
def as_role(new_context, server: Running):  # type: ignore[no-untyped-def]
    return lambda role: sign_in(new_context(), server, role)


def screen(page: Page, name: str, customer_id: str = "") -> str:
    """Screen from the home page; returns the decision shown."""
    page.goto("/")
    page.get_by_label("Name (any script)").fill(name)
    page.get_by_label("Customer id (optional)").fill(customer_id)
    page.get_by_role("button", name="Screen", exact=True).click()
    expect(page.locator("#result")).to_be_visible()
    return page.locator("#decision").inner_text()


def case_number(page: Page) -> int:
    href = page.locator("#case-link").get_attribute("href") or ""
    found = re.fullmatch(r"/cases/(\d+)", href)
    assert found, href
    return int(found.group(1))


def _count(text: str) -> int:
    return int(re.sub(r"\D", "", text))


def decide(page: Page, case_id: int, action: str, note: str) -> None:
    page.goto(f"/cases/{case_id}")
    page.locator(f"#action-{action}").check()
    page.get_by_label("Note (required: say why)").fill(note)
    page.get_by_role("button", name="Record decision").click()
    expect(page).to_have_url(re.compile(rf"/cases/{case_id}$"))


# --- sign-in -----------------------------------------------------------------------------------


def test_sign_in_wrong_key_right_key_and_sign_out(new_context, server: Running) -> None:
    context = new_context()
    page = context.new_page()
    page.goto("/cases?status=open")
    expect(page).to_have_url(re.compile(r"/login\?next=%2Fcases%3Fstatus%3Dopen$"))
    expect(page.get_by_label("API key")).to_be_focused()

    page.get_by_label("API key").fill(WRONG_KEY)
    with page.expect_response(lambda r: r.url.endswith("/login")) as answer:
        page.get_by_role("button", name="Sign in").click()
    assert answer.value.status == 401
    expect(page.locator("#login-error")).to_contain_text("That key is not valid.")
    expect(page.get_by_label("API key")).to_have_attribute("aria-invalid", "true")
    assert not [c for c in context.cookies() if c["name"] == "eg_session"]
    assert WRONG_KEY not in page.content()  # the key is never echoed back

    page.get_by_label("API key").fill(server.keys["reviewer"])
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(f"{server.url}/cases?status=open")  # back where it was going
    expect(page.get_by_role("heading", level=1)).to_have_text("Review queue")
    expect(page.locator("header .who")).to_contain_text("e2e-reviewer (reviewer)")
    cookie = next(c for c in context.cookies() if c["name"] == "eg_session")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
    assert server.keys["reviewer"] not in cookie["value"]

    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(f"{server.url}/login")
    assert not [c for c in context.cookies() if c["name"] == "eg_session"]
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/login\?next=%2F$"))
    # The old cookie is dead on the server too, not only forgotten by the browser.
    context.add_cookies([{**cookie}])
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/login\?next=%2F$"))

    # A form sent after the session ended leads back to its page once signed in again.
    page.get_by_label("API key").fill(server.keys["screener"])
    page.get_by_label("API key").press("Enter")
    expect(page).to_have_url(f"{server.url}/")
    context.clear_cookies()
    page.get_by_label("Name (any script)").fill(LISTED)
    page.get_by_label("Name (any script)").press("Enter")
    expect(page).to_have_url(re.compile(r"/login\?next=%2F$"))
    page.get_by_label("API key").fill(server.keys["screener"])
    page.get_by_label("API key").press("Enter")
    expect(page).to_have_url(f"{server.url}/")
    expect(page.get_by_label("Name (any script)")).to_be_focused()


# --- screening ---------------------------------------------------------------------------------


def test_screen_match_review_clear_and_injection(as_role) -> None:
    page = as_role("screener")
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))

    assert screen(page, LISTED) == "match"
    row = page.locator("#matches tbody tr").first
    expect(row).to_contain_text("EL")
    expect(row.locator("td").nth(2)).to_have_text(LISTED)
    expect(row.locator("td").first).to_have_text("1.00")
    expect(row).to_contain_text("exact_alias +1.00")  # the explanation names its features
    expect(page.locator("#case-link")).to_have_count(0)

    assert screen(page, NEAR_MISS) == "review"
    row = page.locator("#matches tbody tr").first
    expect(row.locator("td").nth(2)).to_have_text("Gulf Gate Shipping Co. LLC")
    expect(row.locator("td").first).to_have_text("0.96")
    expect(row).to_contain_text("token_overlap")
    number = case_number(page)
    expect(page.locator("#case-link")).to_have_text(f"case #{number}")

    assert screen(page, UNLISTED) == "clear"
    expect(page.locator("#result")).to_contain_text("No match at or above 0.")
    expect(page.locator("#matches")).to_have_count(0)

    assert screen(page, INJECTION) == "clear"
    expect(page.locator("#query")).to_have_text(INJECTION)
    expect(page.get_by_label("Name (any script)")).to_have_value(INJECTION)
    assert page.locator("script").count() == 0
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Acme" in page.content()
    page.wait_for_timeout(200)
    assert dialogs == []


def test_screen_error_is_shown_beside_the_form(as_role) -> None:
    page = as_role("screener")
    page.goto("/")
    page.get_by_label("Name (any script)").fill("!!!")
    page.get_by_label("Lists as of (YYYY-MM-DD, optional)").fill("2024-13-40")
    page.get_by_role("button", name="Screen", exact=True).click()
    expect(page.locator("#form-error")).to_contain_text("Not screened: Lists as of:")
    expect(page.get_by_label("Lists as of (YYYY-MM-DD, optional)")).to_have_attribute(
        "aria-invalid", "true")
    expect(page.get_by_label("Name (any script)")).to_have_value("!!!")  # input kept


# --- check -------------------------------------------------------------------------------------


def test_check_memo_gives_decision_and_cited_reasons(as_role) -> None:
    page = as_role("screener")
    page.goto("/check")
    page.get_by_label("Catalogue name (e.g. H100)").fill("H100")
    page.get_by_label("Destination (ISO-2, e.g. CN)").fill("CN")
    page.get_by_label("Party (end user)").fill(UNLISTED)
    page.get_by_label("Party country (ISO-2)", exact=True).fill("CN")
    page.get_by_label("Date (YYYY-MM-DD)").fill("2025-06-01")
    page.get_by_role("button", name="Check").click()

    memo = page.locator("#memo")
    expect(memo.get_by_role("heading", level=2)).to_have_text(
        "Memo: NVIDIA H100 SXM5 80GB to CN on 2025-06-01")
    expect(page.locator("#decision")).to_have_text("license required")
    expect(page.locator("#review-policy")).to_have_text("presumption of denial")
    expect(page.locator("#eccn")).to_have_text("3A090.a")
    destinations = page.locator("#reasons tbody tr", has_text="ac-2023-destinations")
    expect(destinations).to_contain_text("applies")
    expect(destinations).to_contain_text("15 CFR 742.6(a)(6)(iii) and (b)(10)(ii)")
    expect(destinations).to_contain_text("88 FR 73458 (2023-10-25)")
    expect(destinations).to_contain_text("2023-11-17")
    # From 2025-01-13 the headquarters rule is the AI diffusion rule's text (licensing.yaml).
    headquarters = page.locator("#reasons tbody tr", has_text="ac-headquarters-2025-a")
    expect(headquarters).to_contain_text("2025-01-13")
    expect(page.locator("#reasons tbody tr", has_text="ai-diffusion-2025")).to_contain_text(
        "not enforced")
    expect(page.locator("#classification tbody tr", has_text="3A090.a.1")).to_contain_text(
        "15 CFR Part 774, Supp. No. 1, ECCN 3A090.a.1")
    expect(page.locator("#parties tbody tr")).to_contain_text(UNLISTED)

    # A listed party: the Entity List reason and the listing itself are in the memo.
    page.get_by_label("Destination (ISO-2, e.g. CN)").fill("AE")
    page.get_by_label("Party (end user)").fill(LISTED_CHECK)
    page.get_by_label("Party country (ISO-2)", exact=True).fill("AE")
    page.get_by_role("button", name="Check").click()
    expect(page.locator("#memo h2")).to_contain_text("to AE on 2025-06-01")
    expect(page.locator("#reasons tbody tr", has_text="entity-list")).to_contain_text(
        "15 CFR 744.11")
    expect(page.locator("#parties tbody tr")).to_contain_text(
        f"EL “{LISTED_CHECK}” 1.00 (81 FR 40174)")


# --- review ------------------------------------------------------------------------------------


def test_review_clear_a_case_and_it_stays_cleared(as_role, server: Running) -> None:
    reviewer = as_role("reviewer")
    assert screen(reviewer, NEAR_MISS, "CUST-E2E-1") == "review"
    number = case_number(reviewer)

    reviewer.get_by_role("link", name="Review queue").click()
    expect(reviewer).to_have_url(f"{server.url}/cases")
    row = reviewer.locator("#cases tbody tr", has_text=f"#{number}")
    expect(row).to_contain_text(NEAR_MISS)
    expect(row).to_contain_text("EL “Gulf Gate Shipping Co. LLC” 0.96")
    expect(row).to_contain_text("open")
    open_before = reviewer.get_by_role("link", name=re.compile(r"^open \(\d+\)$")).inner_text()
    row.get_by_role("link", name=f"#{number}").click()

    expect(reviewer).to_have_url(f"{server.url}/cases/{number}")
    expect(reviewer.get_by_role("heading", level=1)).to_have_text(f"Case #{number}: {NEAR_MISS}")
    expect(reviewer.locator("#status")).to_have_text("open")
    expect(reviewer.locator("#case-matches")).to_contain_text("81 FR 40174")

    # No note: the browser refuses to send the form.
    reviewer.locator("#action-clear").check()
    reviewer.get_by_role("button", name="Record decision").click()
    assert reviewer.locator("#note-input").evaluate("e => e.validity.valueMissing")
    expect(reviewer).to_have_url(f"{server.url}/cases/{number}")
    expect(reviewer.locator("#status")).to_have_text("open")
    # A blank note passes the browser but not the server, which says why beside the form.
    reviewer.get_by_label("Note (required: say why)").fill("   ")
    reviewer.get_by_role("button", name="Record decision").click()
    expect(reviewer.locator("#form-error")).to_contain_text("a note is required")
    expect(reviewer.locator("#status")).to_have_text("open")
    expect(reviewer.locator("#action-clear")).to_be_checked()  # the choice is kept

    note = "Different company: our customer is a shipping agent in Oslo, not Dubai."
    reviewer.get_by_label("Note (required: say why)").fill(note)
    reviewer.get_by_role("button", name="Record decision").click()
    expect(reviewer).to_have_url(f"{server.url}/cases/{number}")
    expect(reviewer.locator("#status")).to_have_text("cleared")
    expect(reviewer.locator("#note")).to_have_text(note)
    expect(reviewer.locator("#decided")).to_contain_text("by e2e-reviewer")
    expect(reviewer.get_by_role("button", name="Record decision")).to_have_count(0)

    reviewer.goto("/cases?status=cleared")
    expect(reviewer.locator("#cases tbody tr", has_text=f"#{number}")).to_contain_text("cleared")

    # The same customer again: no new case, the cleared pair is shown as cleared.
    assert screen(reviewer, NEAR_MISS, "CUST-E2E-1") == "clear"
    expect(reviewer.locator("#case-link")).to_have_count(0)
    expect(reviewer.locator("#cleared")).to_contain_text(
        f"EL “Gulf Gate Shipping Co. LLC” 0.96 (case #{number}, cleared)")
    reviewer.goto("/cases")
    open_after = reviewer.get_by_role("link", name=re.compile(r"^open \(\d+\)$")).inner_text()
    assert _count(open_after) == _count(open_before) - 1

    # A screener may not open the queue or a case.
    screener = as_role("screener")
    expect(screener.get_by_role("link", name="Review queue")).to_have_count(0)
    for path in ("/cases", f"/cases/{number}"):
        answer = screener.goto(path)
        assert answer is not None and answer.status == 403
        expect(screener.get_by_role("heading", level=1)).to_have_text("Not allowed (403)")
        expect(screener.locator("#error-message")).to_contain_text("needs the reviewer role")
        expect(screener.locator("header .who")).to_contain_text("e2e-screener")


def test_case_pages_answer_bad_addresses_with_pages(as_role) -> None:
    page = as_role("reviewer")
    for path in ("/cases/999999", "/cases/abc"):
        answer = page.goto(path)
        assert answer is not None and answer.status == 404
        assert answer.headers["content-type"].startswith("text/html")
        expect(page.get_by_role("heading", level=1)).to_have_text("Not found (404)")
    answer = page.goto("/cases?status=bogus")
    assert answer is not None and answer.status == 422
    expect(page.locator(".error")).to_contain_text("must be one of open, escalated")


# --- audit -------------------------------------------------------------------------------------


def test_audit_lists_the_decisions_and_verifies_the_chain(as_role) -> None:
    admin = as_role("admin")
    assert screen(admin, NEAR_MISS_2, "CUST-E2E-2") == "review"
    number = case_number(admin)
    decide(admin, number, "clear", "Not the listed ACTeam: a different registry number.")
    expect(admin.locator("#status")).to_have_text("cleared")

    admin.get_by_role("link", name="Audit log").click()
    rows = admin.locator("#audit tbody tr")
    screened = rows.filter(has_text=NEAR_MISS_2).filter(
        has=admin.locator("td:nth-child(4)", has_text=re.compile(r"^screen$")))
    expect(screened.first).to_contain_text('"customer_id":"CUST-E2E-2"')
    expect(screened.first).to_contain_text(f'"case_id":{number}')
    for action in ("case.open", "case.clear"):
        row = rows.filter(has=admin.locator("td:nth-child(4)", has_text=re.compile(
            rf"^{re.escape(action)}$"))).filter(has_text=f"case #{number}")
        expect(row).to_have_count(1)
        expect(row).to_contain_text("e2e-admin")
    expect(rows.filter(has_text=f"case #{number}").filter(has_text="case.clear")).to_contain_text(
        "a different registry number")

    admin.get_by_role("link", name="Verify the chain").click()
    expect(admin).to_have_url(re.compile(r"/audit\?verify=1$"))
    expect(admin.locator("#verify-result")).to_contain_text("Chain intact:")
    expect(admin.locator("#verify-result")).to_have_class(re.compile(r"\bok\b"))

    # The export downloads from the page with the session (the API would want a key).
    day = admin.get_by_label("Export from (YYYY-MM-DD)").input_value()
    with admin.expect_download() as started:
        admin.get_by_role("button", name="Download CSV").click()
    download = started.value
    assert download.suggested_filename == f"audit-{day}-{day}.csv"
    with open(download.path(), encoding="utf-8", newline="") as handle:
        exported = list(csv.DictReader(handle))
    assert list(exported[0]) == ["seq", "at", "actor", "action", "subject", "request_id",
                                 "detail", "prev_hash", "hash"]
    assert {(r["action"], r["subject"]) for r in exported} >= {
        ("case.open", f"case #{number}"), ("case.clear", f"case #{number}"),
        ("screen", NEAR_MISS_2)}
    admin.get_by_label("Export from (YYYY-MM-DD)").fill("2024-02-30")
    admin.get_by_role("button", name="Download CSV").click()
    expect(admin.locator("#form-error")).to_contain_text("Not exported: From: '2024-02-30'")
    expect(admin.get_by_label("Export from (YYYY-MM-DD)")).to_have_value("2024-02-30")

    reviewer = as_role("reviewer")
    reviewer.goto("/audit")
    expect(reviewer.locator("#audit tbody tr").first).to_be_visible()
    expect(reviewer.get_by_role("button", name="Download CSV")).to_have_count(0)
    answer = reviewer.goto(f"/audit/export?from={day}&to={day}")
    assert answer is not None and answer.status == 403
    answer = reviewer.goto("/audit?verify=1")
    assert answer is not None and answer.status == 403
    expect(reviewer.locator("#error-message")).to_contain_text("needs the admin role")


# --- keyboard ----------------------------------------------------------------------------------


def test_main_field_has_focus_and_enter_submits(as_role) -> None:
    page = as_role("screener")
    for path, field in (("/", "name"), ("/check", "item"), ("/lists", "history-name"),
                        ("/chart", "chart-date")):
        page.goto(path, wait_until="domcontentloaded")  # the chart image may draw slowly
        expect(page.locator(f"#{field}")).to_be_focused()

    page.goto("/")
    expect(page.locator("#name")).to_be_focused()  # autofocus lands after the load event
    page.keyboard.type(LISTED)
    page.keyboard.press("Enter")
    expect(page.locator("#decision")).to_have_text("match")
    expect(page.locator("#name")).to_be_focused()  # ready for the next name
    page.keyboard.press("Tab")
    expect(page.locator("#country")).to_be_focused()

    page.goto("/lists")
    expect(page.locator("#history-name")).to_be_focused()
    page.keyboard.type(LISTED_CHECK)
    page.keyboard.press("Enter")
    history = page.locator("#history tbody tr").first
    expect(history).to_contain_text(LISTED_CHECK)
    expect(history).to_contain_text("2016-06-21")


# --- chart, lists and links --------------------------------------------------------------------


def test_chart_image_loads_as_svg(as_role) -> None:
    page = as_role("screener")
    with page.expect_response(lambda r: "/chart.svg" in r.url) as answer:
        page.goto("/chart?date=2024-06-01")
    svg = answer.value
    assert svg.status == 200
    assert svg.headers["content-type"].startswith("image/svg+xml")
    assert b"<svg" in svg.body()
    image = page.locator("img#chart")
    expect(image).to_have_attribute("src", "/chart.svg?date=2024-06-01")
    expect(image).to_have_attribute("alt", re.compile("3A090"))
    page.wait_for_function("document.getElementById('chart').complete")
    assert image.evaluate("img => img.naturalWidth") > 0

    answer_bad = page.goto("/chart?date=2024-13-01")
    assert answer_bad is not None and answer_bad.status == 422
    expect(page.locator(".error")).to_contain_text("Not drawn: Date:")
    expect(page.locator("img#chart")).to_have_count(0)


def test_every_navigation_link_opens_a_page(as_role, server: Running) -> None:
    page = as_role("admin")
    failed: list[str] = []  # anything a page asks for that fails
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400
            else None)
    page.goto("/")
    links = page.locator("header nav a").evaluate_all("els => els.map(e => e.pathname)")
    assert links == ["/", "/check", "/classify", "/invest", "/outbound", "/release",
                     "/portfolio", "/batch", "/watchlist", "/ownership", "/cases", "/lists",
                     "/chart", "/audit", "/keys", "/glossary"]
    for path in links:
        answer = page.goto(path, wait_until="domcontentloaded")
        assert answer is not None and answer.status == 200, path
        expect(page.locator(f'header nav a[href="{path}"]')).to_have_attribute(
            "aria-current", "page")
    page.wait_for_load_state("load")
    assert failed == []
    # The icon every browser asks for (a 404 in every page's console before).
    expect(page.locator('link[rel="icon"]')).to_have_attribute("href", "/favicon.ico")
    icon = page.request.get("/favicon.ico")
    assert icon.status == 200 and icon.headers["content-type"] == "image/svg+xml"
    # The diff form with both fields blank compares the latest snapshots of each source.
    page.goto("/lists")
    page.get_by_role("button", name="Show diff").click()
    expect(page).to_have_url(re.compile(r"/lists\?diff=1&from_=&to=$"))
    expect(page.locator(".error")).to_have_count(0)
    expect(page.locator("#no-diff")).to_have_text(
        "No source has two snapshots yet: there is nothing to compare.")
    expect(page.locator("#snapshots tbody tr", has_text="csl-csv")).to_contain_text("115")
    # Two snapshots of different sources cannot be compared: said beside the diff form.
    page.get_by_label("Diff from snapshot").fill("1")
    page.get_by_label("to snapshot").fill("2")
    page.get_by_label("to snapshot").press("Enter")
    expect(page.locator("#diff-error")).to_contain_text("a diff compares two snapshots of one")
    # A snapshot compared with itself is refused, naming the page's two fields (not --from).
    page.get_by_label("Diff from snapshot").fill("2")
    page.get_by_label("to snapshot").fill("2")
    page.get_by_label("to snapshot").press("Enter")
    expect(page.locator("#diff-error")).to_contain_text(
        "the “Diff from snapshot” and “to snapshot” fields both name snapshot #2")
    expect(page.locator("#diff-error")).not_to_contain_text("--")
