"""Shared fixtures.  Builders, the crumail process runner and the real servers
live in tests/support/ (the servers as the pytest plugins named here); what a
test needs from ../shared it asks support.paths for, which skips (fails under
CI=true) where the folder is absent."""

from __future__ import annotations

import pytest

from support.paths import seed

pytest_plugins: list[str] = ["support.servers.dovecot", "support.servers.browser", "support.servers.smtp"]


#: Fixtures that start a real Dovecot or SMTP server, and those that drive Chromium:
#: a test using one is marked ``server`` / ``browser`` (see pyproject.toml), so
#: ``pytest -m "not server and not browser and not slow"`` is the fast loop.
SERVER_FIXTURES = frozenset({"dovecot", "dovecot_factory", "smtp_server", "smtps_server"})
BROWSER_FIXTURES = frozenset({"browser", "page", "playwright_driver"})


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        used = set(getattr(item, "fixturenames", ()))
        if used & SERVER_FIXTURES:
            item.add_marker(pytest.mark.server)
        if used & BROWSER_FIXTURES:
            item.add_marker(pytest.mark.browser)


@pytest.fixture
def seed_bytes() -> bytes:
    return seed().read_bytes()


@pytest.fixture
def db(tmp_path):
    from crumail.store import open_database

    database = open_database(tmp_path / "crumail.db")
    yield database
    database.close()
