"""Shared fixtures.  Real servers live in tests/servers/ as pytest plugins."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2] / "shared"
SEED = SHARED / "seed" / "cru-circulation-43-23.eml"
CORPUS_MSG = SHARED / "corpus" / "msg"
IN_CI = os.environ.get("CI") == "true"

pytest_plugins: list[str] = ["servers.dovecot", "servers.browser", "servers.smtp"]


@pytest.fixture
def seed_bytes() -> bytes:
    return SEED.read_bytes()


@pytest.fixture
def db(tmp_path):
    from crumail.store import open_database

    database = open_database(tmp_path / "crumail.db")
    yield database
    database.close()
