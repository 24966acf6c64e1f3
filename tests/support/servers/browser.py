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

from support.config import config as make_config
from support.paths import missing

CHROMIUM = os.environ.get("CRUMAIL_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-dev-shm-usage"]
ADMIN = ("ada", "admin-password-1")
OPERATOR = ("otto", "operator-password-1")
SECOND = ("sam", "second-password-1")


@pytest.fixture(scope="session")
def playwright_driver():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing("the playwright package is not installed")
    if not Path(CHROMIUM).exists():
        missing(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
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
    from crumail.store import open_database, users
    from crumail.store.db import transaction
    from crumail.web import start_in_thread
    from crumail.web.auth import hash_password

    config = make_config(root, {"type": "directory", "path": str(root / "inbox")},
                         web={"host": "127.0.0.1", "port": 0, **(web or {})}, **(tables or {}))
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
