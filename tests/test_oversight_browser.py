"""Oversight in a real browser: a walk through the desk (failed login, login,
views, a search, an export, an admin change, a password change, logout)
read back from the access trail; the trail's filters and its marked export."""

from __future__ import annotations

import csv
import io
import os
import shutil
from pathlib import Path

from crumail.model import RawMessage
from crumail.store import quarantine
from crumail.store.db import transaction
from support.drafts import seed_draft
from support.figures import seed_unit
from support.servers.browser import ADMIN, OPERATOR, log_in

NEW_PASSWORD = "a brand new passphrase 7"
DOCS = Path(__file__).resolve().parents[1] / "docs"


def _log_out(page) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name="Log out").click()


def test_every_desk_action_leaves_a_row_in_the_access_trail(page, desk):
    db = desk.db()
    draft = seed_draft(db, subject="Log No. 43/23 - speed cameras")
    with transaction(db):
        entry = quarantine.add(db, RawMessage(b"not mail", "drop", "junk.eml", filename="junk.eml"),
                               "parse", "not a message")
    log_in(page, OPERATOR[0], "not the password")
    log_in(page, *OPERATOR)
    page.goto(f"/drafts/{draft}")
    page.goto("/messages/1")
    page.goto(f"/quarantine/{entry}")
    page.goto("/search")
    page.fill("input[name=q]", "speed cameras")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.goto("/exports")
    with page.expect_download() as caught:
        page.locator("a[href='/exports/deadlines.csv']").click()
    assert caught.value.suggested_filename.startswith("OFFICIAL_crumail-deadlines-")
    page.goto("/account")
    page.fill("#current", OPERATOR[1])
    page.fill("#new", NEW_PASSWORD)
    page.fill("#again", NEW_PASSWORD)
    with page.expect_navigation():
        page.click("form button[type=submit].primary")
    _log_out(page)

    log_in(page, *ADMIN)
    page.goto("/users")
    with page.expect_navigation():
        page.locator("tr", has_text="sam").get_by_role("button", name="Disable").click()
    with page.expect_navigation():
        page.get_by_role("link", name="Access", exact=True).click()
    rows = [r.split("\t") for r in page.locator("table.access tbody tr").all_inner_texts()]
    walked = [(r[1], r[2], r[3]) for r in reversed(rows)]
    assert walked == [
        ("otto", "login failed", ""), ("otto", "login", ""), ("otto", "view draft", f"draft {draft}"),
        ("otto", "view message", "message 1"), ("otto", "view quarantine", f"entry {entry}"),
        ("otto", "search", ""), ("otto", "export", "deadlines.csv"),
        ("otto", "password changed", "user otto"), ("otto", "logout", ""),
        ("ada", "login", ""), ("ada", "admin change", "user 3")]
    assert "127.0.0.1" in rows[-1][4] and "speed cameras" in rows[5][5]

    page.select_option("#actor", "otto")
    page.select_option("#action", "search")
    with page.expect_navigation():
        page.click("form.filters button[type=submit]")
    assert page.locator("table.access tbody tr").count() == 1
    with page.expect_download() as caught:
        page.locator("#access-csv").click()
    assert caught.value.suggested_filename.startswith("OFFICIAL-SENSITIVE_crumail-access-")
    lines = list(csv.reader(io.StringIO(Path(caught.value.path()).read_text(encoding="utf-8-sig"))))
    assert lines[0] == ["OFFICIAL-SENSITIVE"] and len(lines) == 3 and lines[2][4] == "search"
    page.goto("/access?action=export")
    assert "access.csv" in page.locator("table.access tbody tr").first.inner_text()
    assert [e for e in page.console_errors if "401" not in e] == []    # the failed login's 401 only


def test_the_figures_page_draws_its_charts_beside_their_tables(page, desk, tmp_path):
    """Renders docs/figures.png when CRUMAIL_SCREENSHOTS=1."""
    seed_unit(desk.db(), 120, drafts=30)
    log_in(page, *OPERATOR)
    with page.expect_navigation():
        page.get_by_role("link", name="Figures", exact=True).click()
    sections = page.locator("section.figure")
    assert sections.count() == 9
    for name in ("logs-by-week", "logs-by-month", "logs-by-force", "logs-by-topic", "drafts-by-state",
                 "turnaround", "deadlines", "exemptions"):
        section = page.locator(f"section#{name}")
        assert section.locator("svg.chart rect").count() >= 1, name
        assert section.locator("table.figures tbody tr").count() >= 1, name
        assert section.locator("svg.chart").bounding_box()["width"] > 200, name
    forces = page.locator("section#logs-by-force table tbody tr").all_inner_texts()
    assert sum(int(r.split("\t")[1]) for r in forces) == 120
    assert page.evaluate("document.scripts.length") == 0 and page.console_errors == []
    page.fill("#period", "2025Q1")
    with page.expect_navigation():
        page.click("form.filters button[type=submit]")
    assert "2025Q1" in page.locator("h1 + p").inner_text()
    with page.expect_download() as caught:
        page.locator("section#logs-by-topic a", has_text="CSV").click()
    assert caught.value.suggested_filename == "OFFICIAL_crumail-figures-logs-by-topic-2025Q1.csv"
    page.goto("/figures")
    page.screenshot(path=str(tmp_path / "figures.png"), full_page=True)
    assert (tmp_path / "figures.png").stat().st_size > 10_000
    if os.environ.get("CRUMAIL_SCREENSHOTS") == "1":
        shutil.copy(tmp_path / "figures.png", DOCS / "figures.png")
