"""Headless Debian Chromium driven by Playwright, and a running review desk.

A pytest plugin.  ``browser`` is one Chromium per session, launched from
``/usr/bin/chromium`` (Playwright's own browser download cannot work here)
without sandbox, GPU, background networking or first-run chores.  ``desk``
is a review desk served by waitress on a free loopback port over a fresh
database holding two accounts; ``page`` is a new browser context per test
that records every dialog the page tries to open and every error on the
console (a refused script or style would show there).

Under ``CI=true`` a missing Chromium or Playwright fails the test; elsewhere
it skips.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CRUMAIL_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-dev-shm-usage"]
IN_CI = os.environ.get("CI") == "true"
ADMIN = ("ada", "admin-password-1")
OPERATOR = ("otto", "operator-password-1")
SECOND = ("sam", "second-password-1")


def _missing(why: str):
    if IN_CI:
        pytest.fail(f"{why} (CI=true: a missing browser is a failure)")
    pytest.skip(why)


@pytest.fixture(scope="session")
def playwright_driver():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("the playwright package is not installed")
    if not Path(CHROMIUM).exists():
        _missing(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright_driver):
    chromium = playwright_driver.chromium.launch(executable_path=CHROMIUM, headless=True,
                                                args=CHROMIUM_ARGS)
    yield chromium
    chromium.close()


@dataclass
class DeskUnderTest:
    """A running desk: its URL, config and a database connection for checks."""

    url: str
    config: object
    server: object
    root: Path
    settings: dict = field(default_factory=dict)

    def db(self):
        from crumail.store import open_database

        return open_database(self.config.database)


def start_desk(root: Path, web: dict | None = None, accounts=(ADMIN, OPERATOR, SECOND),
               tables: dict | None = None) -> DeskUnderTest:
    """``tables``: more config tables (``{"drafts": {...}}``)."""
    from crumail.config import from_dict
    from crumail.store import open_database, users
    from crumail.store.db import transaction
    from crumail.web import start_in_thread
    from crumail.web.auth import hash_password

    config = from_dict({"database": {"path": str(root / "crumail.db")},
                        "source": [{"type": "directory", "path": str(root / "inbox")}],
                        "web": {"host": "127.0.0.1", "port": 0, **(web or {})}, **(tables or {})}, root)
    db = open_database(config.database)
    with transaction(db):
        for (name, password), role in zip(accounts, ("admin", "operator", "operator")):
            users.add(db, name, role, hash_password(password, name))
    db.close()
    server = start_in_thread(config)
    return DeskUnderTest(server.url, config, server, root, web or {})


@pytest.fixture
def desk(tmp_path):
    running = start_desk(tmp_path)
    yield running
    running.server.close()


@pytest.fixture
def page(browser, desk):
    context = browser.new_context(base_url=desk.url, viewport={"width": 1366, "height": 860})
    tab = context.new_page()
    tab.dialogs = []
    tab.console_errors = []
    tab.on("dialog", lambda dialog: (tab.dialogs.append(dialog.message), dialog.dismiss()))
    tab.on("console", lambda message: message.type == "error" and tab.console_errors.append(message.text))
    yield tab
    context.close()


def log_in(tab, name: str, password: str) -> None:
    tab.goto("/login")
    tab.fill("#name", name)
    tab.fill("#password", password)
    with tab.expect_navigation():          # never read the page the form left behind
        tab.click("button[type=submit]")


HOSTILE = (
    "<script>window.__pwned = 'script'; alert('script')</script>\n"
    "<img src=x onerror=\"window.__pwned = 'onerror'; alert('onerror')\">\n"
    "<a id=\"evil\" href=\"javascript:window.__pwned='javascript';alert('javascript')\">click me</a>\n"
    "<svg onload=\"window.__pwned='svg'\"></svg>\n"
    "<iframe srcdoc=\"<script>parent.__pwned='iframe'</script>\"></iframe>\n"
)


def seed_draft(db, *, subject: str = "Log No. 43/23 - CRU Circulation", log: str = "43/23",
               source_text: str = "How many speed cameras does the force operate?\n",
               body: str = "Dear colleague,\n\nThank you for your request.\n\nKind regards\nCRU\n",
               due: str | None = "2026-12-01", n: int = 0, html: str | None = None) -> int:
    """A stored message and a draft answering it, as the pipeline and the
    drafting stage would leave them; returns the draft's id."""
    import hashlib
    from datetime import datetime, timezone

    from crumail.intake.prepare import Ingested
    from crumail.model import Address, DraftText, ParsedMail, RawMessage
    from crumail.store import drafts, messages
    from crumail.store.db import transaction

    raw = f"From: applicant@example.org\nSubject: {subject}\n\n{source_text}{n}".encode()
    parsed = ParsedMail(format="eml", sha256=hashlib.sha256(raw).hexdigest(), size=len(raw),
                        subject=subject, message_id=f"<seed-{n}-{hashlib.sha1(raw).hexdigest()[:8]}@example.org>",
                        date=datetime(2026, 11, 2, 9, 30, tzinfo=timezone.utc),
                        from_=Address("Avery Applicant", "applicant@example.org"),
                        to=(Address("CRU", "cru@example.police.uk"),), text=source_text,
                        html=html, text_source="html" if html else "plain")
    with transaction(db):
        message = messages.insert(db, Ingested(RawMessage(raw, "test", f"seed-{n}"), parsed))
        return drafts.insert(db, message, DraftText(
            template="acknowledgement", log=log, from_address="cru@example.police.uk",
            to=("foi@eastmoor.example.police.uk",), subject=f"Re: {subject}", body=body,
            due_date=due, force="Eastmoor Police"))


def seed_logs(db, count: int) -> None:
    """``count`` logs 1/24 ... with two questions each, through the casebook."""
    import hashlib
    from datetime import datetime, timezone

    from crumail.extract.model import Advice, Extraction, Question
    from crumail.intake.prepare import Ingested
    from crumail.model import ParsedMail, RawMessage
    from crumail.store import messages
    from crumail.store.db import transaction

    with transaction(db):
        for n in range(1, count + 1):
            log = f"{n}/24"
            extraction = Extraction(
                kind="circulation", log_numbers=(log,), primary_log=log, circulation_date="2024-05-02",
                logged_with="Eastmoor Police", protective_marking="OFFICIAL",
                questions=(Question(1, "1)", f"How many speed cameras operated in {2000 + n}?"),
                           Question(2, "2)", "=HYPERLINK(\"http://example.com\") revenue?")),
                advice=(Advice((1,), "Q1", "No harm in providing totals."),))
            raw = f"log {log}".encode()
            parsed = ParsedMail(format="eml", sha256=hashlib.sha256(raw).hexdigest(), size=len(raw),
                                subject=f"Log No. {log} - CRU Circulation",
                                date=datetime(2024, 5, 3, tzinfo=timezone.utc), text="...")
            messages.insert(db, Ingested(RawMessage(raw, "test", log), parsed, extraction))
