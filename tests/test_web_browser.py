"""The review desk in a real browser: headless Debian Chromium via Playwright.

Each test gets a desk on a free loopback port over a fresh database (see
tests/support/servers/browser.py) and logs in through the login form like a person.
"""

from __future__ import annotations

import io
import os
import re
import shutil
from pathlib import Path
from urllib.parse import urlsplit

from support.servers.browser import ADMIN, HOSTILE, OPERATOR, log_in
from support.drafts import seed_draft
from support.casebook import seed_logs

PHONE_BODY = ("Dear colleague,\n\nThank you for your request. The applicant may be reached "
              "on 07700 900417.\n\nKind regards\nCentral Referral Unit\n")
DOCS = Path(__file__).resolve().parents[1] / "docs"


def test_review_a_draft_from_queue_to_audit(page, desk):
    db = desk.db()
    draft = seed_draft(db, body=PHONE_BODY, subject="Log No. 43/23 - speed cameras")
    log_in(page, *OPERATOR)
    page.wait_for_url("**/queue")
    row = page.locator("table.queue tbody tr", has_text="speed cameras")
    assert row.count() == 1
    row.get_by_role("link", name=re.compile("speed cameras")).click()
    page.wait_for_url(f"**/drafts/{draft}")

    mark = page.locator("#draft-text mark.finding.block")
    assert mark.count() == 1
    assert mark.inner_text().startswith("07700 900417")
    assert "UK phone number" in page.locator("ul.findings").inner_text()
    assert mark.get_attribute("title").endswith("UK phone number (not on the allow list)")

    page.locator("#edit summary").click()
    page.fill("#body", PHONE_BODY.replace("on 07700 900417", "through the force's FOI team"))
    page.fill("#edit-comment", "phone number removed")
    page.click("#save")
    page.wait_for_url(f"**/drafts/{draft}?done=edited")
    assert page.locator("#draft-text mark.finding").count() == 0
    assert "through the force's FOI team" in page.locator("#draft-text").inner_text()

    page.click("#approve")
    page.wait_for_url(f"**/drafts/{draft}?done=approved")
    assert "Approved with your name on it" in page.locator("[role=status]").inner_text()
    assert page.locator(".badge.state-approved").first.is_visible()

    with page.expect_navigation():
        page.get_by_role("link", name="Audit", exact=True).click()
    rows = page.locator("table.audit tbody tr")
    assert rows.nth(0).inner_text().split("\t")[1:3] == [OPERATOR[0], "approved"]
    assert "edited" in rows.nth(1).inner_text() and "phone number removed" in rows.nth(1).inner_text()
    page.select_option("#action", "approved")
    with page.expect_navigation():
        page.click("form.filters button[type=submit]")
    assert page.locator("table.audit tbody tr").count() == 1
    assert f"#{draft}" in page.locator("table.audit tbody tr").inner_text()
    assert page.console_errors == []


def test_approval_blocked_until_justified(page, desk):
    draft = seed_draft(desk.db(), body=PHONE_BODY)
    log_in(page, *OPERATOR)
    page.goto(f"/drafts/{draft}")
    page.fill("#override", "The number is the force's public switchboard.")
    page.click("#approve")
    page.wait_for_url(f"**/drafts/{draft}?done=approved")
    page.goto("/audit?action=approved_with_override")
    assert "public switchboard" in page.locator("table.audit").inner_text()


def test_redaction_shows_a_diff_before_it_is_saved(page, desk):
    draft = seed_draft(desk.db(), body=PHONE_BODY)
    log_in(page, *OPERATOR)
    page.goto(f"/drafts/{draft}")
    with page.expect_navigation():
        page.click("#redact")
    diff = page.locator("#redaction-diff")
    assert "".join(diff.locator("del").all_inner_texts()) == "07700 900417"
    assert "".join(diff.locator("ins").all_inner_texts()) == "S.40(2)"
    assert "07700 900417" in desk.db().execute("SELECT body FROM drafts WHERE id = ?", [draft]).fetchone()[0]


def test_hostile_mail_executes_nothing(page, desk):
    db = desk.db()
    draft = seed_draft(db, subject="<script>window.__pwned='subject'</script> Log 43/23",
                       source_text="Dear CRU,\n" + HOSTILE + "Regards\n",
                       body="Dear colleague,\n\nYou wrote:\n" + HOSTILE + "\nKind regards\nCRU\n",
                       html="<p>" + HOSTILE + "</p>")
    log_in(page, *OPERATOR)
    for path in ("/queue", f"/drafts/{draft}", "/messages/1", "/search", "/audit"):
        page.goto(path)
        page.wait_for_load_state("load")
        page.wait_for_timeout(150)
        assert page.evaluate("window.__pwned") is None, path
        assert page.evaluate("document.scripts.length") == 0, path
        assert page.locator("main img, main iframe, main svg").count() == 0, path
    page.goto(f"/drafts/{draft}")
    source = page.locator("#source-text").inner_text()
    assert "<script>window.__pwned = 'script'" in source
    assert 'onerror="window.__pwned' in source
    assert "javascript:window.__pwned" in source
    assert page.locator("a[href^='javascript:']").count() == 0
    page.locator("#source-text").click()
    page.wait_for_timeout(150)
    assert page.evaluate("window.__pwned") is None
    assert page.dialogs == []
    assert page.console_errors == []          # nothing even tried to run and was refused


def test_form_post_without_csrf_token_is_refused(page, desk):
    draft = seed_draft(desk.db())
    log_in(page, *OPERATOR)
    page.goto(f"/drafts/{draft}")
    # The page runs no script of its own; the test strips the token as a forger would.
    page.evaluate("document.querySelector('#approve-form input[name=csrf]').remove()")
    with page.expect_navigation():
        page.click("#approve")
    assert page.locator("h1").inner_text() == "Refused"
    assert "security token" in page.locator("[role=alert]").inner_text()
    response = page.request.post(f"/drafts/{draft}/reject", form={"comment": "forged"},
                                 max_redirects=0)
    assert response.status == 403
    state = desk.db().execute("SELECT state FROM drafts WHERE id = ?", [draft]).fetchone()[0]
    assert state == "drafted"


def test_five_wrong_passwords_slow_the_next_attempt(page, desk):
    for attempt in range(5):
        log_in(page, OPERATOR[0], "not the password")
        alert = page.locator("[role=alert]").inner_text()
        assert "do not match" in alert
        assert ("Too many failed attempts" in alert) == (attempt == 4)
    log_in(page, *OPERATOR)          # the right password, too soon
    alert = page.locator("[role=alert]").inner_text()
    assert "Too many failed attempts" in alert and "do not match" not in alert
    assert page.url.endswith("/login")
    page.goto("/queue")
    assert "/login" in page.url


def test_xlsx_export_opens_with_openpyxl(page, desk):
    from openpyxl import load_workbook

    seed_logs(desk.db(), 12)
    log_in(page, *OPERATOR)
    page.goto("/exports")
    with page.expect_download() as caught:
        page.locator("a[href='/exports/casebook.xlsx']").click()
    assert caught.value.suggested_filename == "OFFICIAL_crumail-casebook.xlsx"
    data = Path(caught.value.path()).read_bytes()
    book = load_workbook(io.BytesIO(data), read_only=True)
    logs = list(book["Logs"].iter_rows(values_only=True))
    assert logs[0][0] == "OFFICIAL"                   # the marking, then the header
    assert logs[1][0] == "log" and len(logs) == 14
    assert {r[0] for r in logs[2:]} == {f"{n}/24" for n in range(1, 13)}
    questions = list(book["Questions"].iter_rows(values_only=True))
    assert len(questions) == 2 + 12 * 2
    assert any(str(r[3]).startswith("=HYPERLINK") for r in questions[2:])


def test_admin_manages_accounts_operator_cannot(page, desk):
    log_in(page, *OPERATOR)
    assert page.get_by_role("link", name="Accounts").count() == 0
    page.goto("/users")
    assert page.locator("h1").inner_text() == "Refused"
    with page.expect_navigation():
        page.get_by_role("button", name="Log out").click()
    log_in(page, *ADMIN)
    page.goto("/users")
    page.fill("#new-name", "newcomer")
    page.fill("#new-password", "a long new password")
    with page.expect_navigation():
        page.click("form.stack button[type=submit]")
    assert "Account newcomer created" in page.locator("[role=status]").inner_text()


def test_screenshots_of_the_queue_and_a_draft(page, desk, tmp_path):
    """Renders the README's pictures; CRUMAIL_SCREENSHOTS=1 writes them into docs/."""
    db = desk.db()
    seed_logs(db, 3)
    for n, (subject, due) in enumerate([("Speed cameras in rural districts", "2026-11-20"),
                                       ("Use of drones at public events", "2026-11-27"),
                                       ("Registered sex offenders missing", "2026-12-02"),
                                       ("Overtime spending 2023-24", "2026-12-09"),
                                       ("Body-worn video retention", "2026-12-16")]):
        seed_draft(db, subject=f"Log No. {n + 1}/24 - {subject}", log=f"{n + 1}/24", due=due, n=n,
                   body=PHONE_BODY if n == 1 else "Dear colleague,\n\nPlease find the advice below.\n\nKind regards\nCRU\n",
                   source_text=f"Dear CRU,\n\nPlease could you advise on a request about {subject.lower()}.\n"
                               "1) How many requests of this kind were received?\n"
                               "2) How were they answered?\n\nThanks\nEastmoor FOI team\n")
    from crumail import review

    review.edit(db, 3, by="otto", body="Dear colleague,\n\nOur advice is attached.\n\nKind regards\nCRU\n")
    review.approve(desk.config, db, 4, by="sam")
    log_in(page, *OPERATOR)
    page.goto("/queue?state=all")
    page.screenshot(path=str(tmp_path / "queue.png"), full_page=False)
    page.goto("/drafts/2")
    page.screenshot(path=str(tmp_path / "draft.png"), full_page=False)
    assert (tmp_path / "queue.png").stat().st_size > 10_000
    if os.environ.get("CRUMAIL_SCREENSHOTS") == "1":
        DOCS.mkdir(exist_ok=True)
        for name in ("queue.png", "draft.png"):
            shutil.copy(tmp_path / name, DOCS / name)


def test_applying_a_redaction_saves_the_markers(page, desk):
    draft = seed_draft(desk.db(), body=PHONE_BODY)
    log_in(page, *OPERATOR)
    page.goto(f"/drafts/{draft}/redact")
    page.click("#apply-redaction")
    page.wait_for_url(f"**/drafts/{draft}?done=redacted")
    assert "S.40(2)" in page.locator("#draft-text").inner_text()


def test_every_route_without_a_session_lands_on_login(page, desk):
    from crumail.web.routes import ROUTES

    values = {"draft": 1, "entry": 1, "user": 1, "message": 1, "number": 43, "year": 23,
              "name": "acknowledgement", "what": "logs", "fmt": "csv", "force": 1, "table": "logs-by-week"}
    seed_draft(desk.db())
    visited = 0
    for route in ROUTES.values():
        if route.public:
            continue
        path = re.sub(r"<(?:[^:>]+:)?([^>(]+)(?:\([^)]*\))?>", lambda m: str(values[m.group(1)]), route.rule)
        if "GET" in route.methods and not route.token:
            page.goto(path)
            assert urlsplit(page.url).path == "/login", path
            assert page.locator("#password").is_visible(), path
            visited += 1
        for method in set(route.methods) - {"GET"}:
            response = page.request.fetch(path, method=method, max_redirects=0)
            assert response.status == 303 and response.headers["location"].startswith("/login"), path
        if route.token:
            assert page.request.get(path, max_redirects=0).status == 401
    assert visited >= 18
