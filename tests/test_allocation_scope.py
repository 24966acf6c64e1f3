"""Issue 12: only a referral gets a new log number, and the counter follows
only the logs the unit allocated or circulated, never a number seen only in
a force's text (its own reference, a log it half remembers, one it chases)."""

from __future__ import annotations

from pathlib import Path

from crumail import clock
from crumail.drafts.stage import draft_pending
from crumail.intake.pipeline import run_source
from crumail.sources.directory import FileSource
from crumail.store import drafts as store
from support.config import outbound as config
from support.mail import utc

DATA = Path(__file__).resolve().parent / "data"
#: Forces' mail that names logs or references of their own: queries, a chaser,
#: a clarification, replies, and the old referrals with their own refs.
FORCES_TEXT = (
    "111-force-query-received-request-plain.eml", "114-force-query-deal-locally-plain.eml",
    "115-force-query-national-line-html.eml", "116-force-query-same-request-original-message-plain.eml",
    "113-msg-force-query-old-advice.msg", "152-force-reply-position-on-wrote-plain.eml",
    "154-msg-force-reply-own-ref.msg", "162-clarification-on-hold-html.eml",
    "171-chaser-force-awaiting-advice-plain.eml", "173-msg-chaser-second-request.msg",
)
PHANTOMS = ("987/23", "441/25", "533/25", "311/25", "123/15", "1142/25", "877/24", "654/23",
            "987/25", "456/25", "613/25", "640/25")


def _ingest(db, *names: str) -> None:
    run_source(db, FileSource([DATA / name for name in names], name="golden"))


def _logs(db) -> set[str]:
    return {row[0] for row in db.execute("SELECT log FROM logs")}


def test_no_kind_but_a_referral_is_drafted_or_given_a_log(tmp_path, db):
    _ingest(db, *FORCES_TEXT)
    with clock.set_to(utc(2025, 6, 12, 12, 0)):
        report = draft_pending(config(tmp_path), db)
    assert report.failed == [] and report.drafts == []
    assert store.select(db) == []
    assert not _logs(db) & set(PHANTOMS)


def test_a_referral_after_forces_mail_gets_the_next_number_the_unit_gave(tmp_path, db):
    # 173 chases "Log No. 0655/25", 115 and 142 quote "Log No. 0388/23": the
    # unit circulated none of them here, so 142 (June 2025) is log 1/25.
    _ingest(db, *FORCES_TEXT)
    _ingest(db, "142-referral-foi-ref-html.eml")
    with clock.set_to(utc(2025, 6, 12, 12, 0)):
        draft_pending(config(tmp_path), db)
    assert {d.log for d in store.select(db)} == {"1/25"}
    assert not _logs(db) & set(PHANTOMS)


def test_a_circulated_log_still_moves_the_counter(tmp_path, db):
    # 131 is the unit's circulation of 902/24; a referral dated 2024 comes next.
    _ingest(db, "131-circulation-other-acts-firearms-plain.eml", "154-msg-force-reply-own-ref.msg")
    _ingest(db, "183-msg-old-referral-2016.msg")
    with clock.set_to(utc(2016, 9, 6, 9, 0)):
        draft_pending(config(tmp_path), db)
    assert {d.log for d in store.select(db)} == {"1/16"}
    from crumail.drafts import allocate

    assert allocate.allocate(db, 2024) == "903/24"
