"""Issue 12: old mail is never drafted.  A referral older than ``[drafts]
max_age_days`` (by its Date header, or its received time where the Date is
missing or in the future) gets no draft and allocates no log; an archive
import (``run_source(..., drafts=False)``) drafts nothing at all; ``crumail
status`` counts both."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

from click.testing import CliRunner

from crumail import clock
from crumail.drafts.age import too_old
from crumail.drafts.stage import draft_pending, problem_counts
from crumail.intake.pipeline import run_source
from crumail.sources.directory import FileSource
from crumail.store import drafts as store
from support.config import outbound, write_toml
from support.mail import referral, utc

DATA = Path(__file__).resolve().parent / "data"
OLD_REFERRALS = ("181-old-referral-2015-plain.eml", "182-old-referral-2014-html.eml",
                 "183-msg-old-referral-2016.msg", "141-referral-force-request-ref-plain.eml")
RECENT = "142-referral-foi-ref-html.eml"   # dated 10 June 2025


def _config(tmp_path, days: int = 14):
    return outbound(tmp_path, drafts={"max_age_days": days})


def _ingest(db, *names: str, drafts: bool = True) -> None:
    run_source(db, FileSource([DATA / name for name in names], name="golden"), drafts=drafts)


def _counters(db) -> list:
    return db.execute("SELECT year, last FROM log_counters").fetchall()


def test_age_counts_from_the_date_header_else_the_received_time():
    now = utc(2025, 6, 30, 12, 0)
    assert too_old(utc(2025, 6, 1), None, now, 14)
    assert not too_old(utc(2025, 6, 20), None, now, 14)
    assert not too_old(utc(2025, 6, 1), None, now, 0)              # 0: no limit
    assert not too_old(None, None, now, 14)                         # nothing to go on: drafted
    assert too_old(None, utc(2025, 5, 1), now, 14)                  # no Date: when it arrived
    assert not too_old(utc(2031, 1, 1), utc(2025, 6, 29), now, 14)  # a Date in the future: the same
    assert too_old(utc(2031, 1, 1), utc(2025, 5, 1), now, 14)
    naive = datetime(2025, 6, 1, 9, 0)                              # naive is UTC
    assert too_old(naive, None, now.astimezone(timezone.utc), 14)


def test_old_referrals_get_no_draft_and_no_log(tmp_path, db):
    _ingest(db, *OLD_REFERRALS)
    with clock.set_to(utc(2025, 6, 12, 12, 0)):
        report = draft_pending(_config(tmp_path), db)
    assert report.failed == [] and report.drafts == []
    assert store.select(db) == [] and _counters(db) == []
    assert problem_counts(db)["skipped_age"] == 4


def test_a_recent_referral_is_drafted_only_within_the_age(tmp_path, db):
    _ingest(db, RECENT)
    with clock.set_to(utc(2025, 7, 30, 12, 0)):       # seven weeks later: too old
        draft_pending(_config(tmp_path), db)
    assert store.select(db) == [] and problem_counts(db)["skipped_age"] == 1
    other = tmp_path / "other"
    other.mkdir()
    from crumail.store import open_database

    fresh = open_database(other / "crumail.db")
    try:
        _ingest(fresh, RECENT)
        with clock.set_to(utc(2025, 6, 12, 12, 0)):   # two days later: drafted
            draft_pending(_config(other), fresh)
        assert {d.log for d in store.select(fresh)} == {"1/25"}
        assert problem_counts(fresh)["skipped_age"] == 0
    finally:
        fresh.close()


def test_an_import_drafts_nothing_however_recent(tmp_path, db):
    _ingest(db, RECENT, *OLD_REFERRALS, drafts=False)
    with clock.set_to(utc(2025, 6, 12, 12, 0)):
        report = draft_pending(_config(tmp_path, days=0), db)
    assert report.messages == 0 and store.select(db) == [] and _counters(db) == []
    assert problem_counts(db)["skipped_no_drafts"] == 5
    # Stored, read and in the casebook all the same.
    assert db.execute("SELECT count(*) FROM messages").fetchone()[0] == 5


def test_status_shows_how_many_were_skipped_for_age(tmp_path):
    from crumail.cli import main
    from crumail.store import open_database

    toml = write_toml(tmp_path / "crumail.toml", **{"drafts": {"max_age_days": 14}})
    db = open_database(tmp_path / "crumail.db")
    try:
        _ingest(db, *OLD_REFERRALS)
        run_source(db, FileSource([_write(tmp_path, referral(utc(2025, 6, 11, 9, 0)))], name="t"))
        with clock.set_to(utc(2025, 6, 12, 12, 0)):
            draft_pending(_config(tmp_path), db)
    finally:
        db.close()
    result = CliRunner().invoke(main, ["--config", str(toml), "status", "--json"])
    assert result.exit_code == 0, result.output
    drafting = json.loads(result.stdout)["drafting"]
    assert drafting["skipped_age"] == 4 and drafting["skipped_no_drafts"] == 0
    text = CliRunner().invoke(main, ["--config", str(toml), "status"]).output
    assert "no drafts for 4 too old" in text


def _write(folder: Path, data: bytes) -> Path:
    path = folder / "recent.eml"
    path.write_bytes(data)
    return path
