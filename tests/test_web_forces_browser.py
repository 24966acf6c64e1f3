"""The Forces page in a real browser (headless Chromium): an operator filters
the register; an administrator edits a force and sees the change in its
history.  CRUMAIL_SCREENSHOTS=1 writes docs/forces.png."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from crumail.register import apply
from crumail.store import forces as forces_store
from support.servers.browser import ADMIN, OPERATOR, log_in

DOCS = Path(__file__).resolve().parents[1] / "docs"


def test_forces_page_filter_edit_and_screenshot(page, desk, tmp_path):
    db = desk.db()
    apply.load_example_if_empty(db, actor="crumail")
    log_in(page, *OPERATOR)
    page.get_by_role("link", name="Forces").click()
    page.wait_for_url("**/forces")
    assert page.locator("#forces tbody tr").count() == 49  # the NCA is inactive in the example
    page.screenshot(path=str(tmp_path / "forces.png"), full_page=False)
    page.select_option("#nation", "northern-ireland")
    with page.expect_navigation():
        page.get_by_role("button", name="Show").click()
    assert page.locator("#forces tbody tr").all_inner_texts()[0].startswith("Police Service of Northern Ireland")
    assert page.locator("#forces tbody tr").count() == 1
    with page.expect_navigation():
        page.get_by_role("button", name="Log out").click()

    log_in(page, *ADMIN)
    psni = forces_store.by_name(db, "PSNI")
    page.goto("/forces?nation=northern-ireland")
    with page.expect_navigation():
        page.get_by_role("link", name="Police Service of Northern Ireland").click()
    page.fill("#f-mailboxes", "foi@psni.police.example; requests@psni.police.example")
    page.fill("#f-comment", "second mailbox")
    with page.expect_navigation():
        page.get_by_role("button", name="Save").click()
    assert "saved" in page.locator("[role=status]").inner_text()
    assert forces_store.get(db, psni.id).foi_mailboxes == ("foi@psni.police.example", "requests@psni.police.example")
    page.goto(f"/forces/{psni.id}")
    history = page.locator("#force-history").inner_text()
    assert "second mailbox" in history and "requests@psni.police.example" in history
    assert (tmp_path / "forces.png").stat().st_size > 10_000
    if os.environ.get("CRUMAIL_SCREENSHOTS") == "1":
        DOCS.mkdir(exist_ok=True)
        shutil.copy(tmp_path / "forces.png", DOCS / "forces.png")
