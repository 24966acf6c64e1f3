"""The desk: an operator attaches a workbook to a draft, sees its findings, and cannot approve it (issue 10).

Headless Chromium against a desk on a fresh database (tests/servers/browser.py).
The PSNI-like and Norfolk-and-Suffolk-like workbooks each arrive through the
page's file form; the approve button is disabled, and a post forced past it
is refused by the review machine all the same.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from crumail import review
from crumail.store import draft_files
from support.drafts import seed_draft
from support.servers.browser import OPERATOR, log_in

CORPUS = Path(__file__).resolve().parent / "data" / "attachments"


@pytest.mark.browser
@pytest.mark.parametrize("name, check, location", [
    ("xlsx-hidden-sheet-staff.xlsx", "hidden_sheet", "sheet Staff (hidden)"),
    ("xlsx-pivot-cache-victims.xlsx", "pivot_cache", "pivot cache 1"),
])
def test_an_attached_workbook_is_read_whole_and_the_approve_button_refuses_it(page, desk, name, check, location):
    draft = seed_draft(desk.db())
    log_in(page, *OPERATOR)
    page.goto(f"/drafts/{draft}")
    assert page.locator("#approve").is_enabled()
    page.set_input_files("#attach-file", str(CORPUS / name))
    with page.expect_navigation():
        page.click("#attach")
    assert "done=attached" in page.url
    files = page.locator("#files").inner_text()
    assert name in files and "blocks" in files and check in files and location in files
    assert "no justification can release this" in files
    assert page.locator("#approve").is_disabled()
    assert "no justification can release it" in page.locator("#approve-form").inner_text()

    # forced past the disabled button, the review machine refuses it all the same
    page.evaluate("document.querySelector('#approve').disabled = false")
    with page.expect_navigation():
        page.click("#approve")
    assert name in page.locator("[role=alert]").inner_text()
    db = desk.db()
    assert review.get_draft(db, draft).state == "edited"
    assert [f["filename"] for f in draft_files.listed(db, draft)] == [name]

    with page.expect_navigation():
        page.click("button.remove-file")
    assert "done=detached" in page.url and page.locator("#files").count() == 0
    assert page.locator("#approve").is_enabled()
    assert all("409" in e for e in page.console_errors)  # the forced approval, refused
