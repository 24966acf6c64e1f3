"""A draft is never marked lower than what it quotes or answers, and keeps its caveats (issue 10)."""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import format_datetime

import pytest

from crumail import review
from crumail.drafts.marking_floor import floor, highest
from crumail.drafts.stage import draft_pending
from crumail.intake.pipeline import run_source
from crumail.sources.directory import FileSource
from crumail.store import drafts as store
from support.config import outbound as config
from support.mail import CRU, FORCE_FOI, utc

JUSTIFICATION = "The force agreed the advice may be handled as OFFICIAL only."


def _referral() -> bytes:
    """A force's referral marked OFFICIAL and NOT FOR PUBLICATION that cites
    the OFFICIAL-SENSITIVE circulation of 43/23."""
    msg = EmailMessage()
    msg["From"] = f'"Eastmoor FOI" <{FORCE_FOI}>'
    msg["To"] = f'"NPCC CRU Mailbox" <{CRU}>'
    msg["Subject"] = "FOI referral - speed cameras"
    msg["Date"] = format_datetime(utc(2023, 12, 11, 10, 0))
    msg["Message-ID"] = "<referral-floor@eastmoor.example.police.uk>"
    msg.set_content(
        "OFFICIAL\nNOT FOR PUBLICATION\n\nDear CRU,\n\n"
        "Please could you log the following request and provide advice. It is close to "
        "Log No. 43/23, circulated earlier.\n\nForce: Eastmoor Police\n\nApplicant's request:\n\n"
        "1) How many speed cameras does the force operate?\n\nKind regards\n\nEastmoor FOI Team\n")
    return bytes(msg)


def _ingest(db, folder, *mails) -> None:
    folder.mkdir(exist_ok=True)
    for name, data in mails:
        (folder / name).write_bytes(data)
    run_source(db, FileSource([folder / name for name, _ in mails], name="test"))


def test_floor_takes_the_highest_marking_and_every_caveat():
    assert highest(["OFFICIAL", None, "OFFICIAL-SENSITIVE", "PROTECT"]) == "OFFICIAL-SENSITIVE"
    assert highest([None, None]) is None
    assert floor([("OFFICIAL", ("NOT FOR PUBLICATION",)), ("OFFICIAL-SENSITIVE", ("Police Eyes Only",)),
                  (None, ())]) == ("OFFICIAL-SENSITIVE", ("NOT FOR PUBLICATION", "POLICE EYES ONLY"))


@pytest.fixture
def drafted(tmp_path, db, seed_bytes):
    cfg = config(tmp_path)
    _ingest(db, tmp_path / "in", ("seed.eml", seed_bytes), ("referral.eml", _referral()))
    assert draft_pending(cfg, db).failed == []
    return cfg, {d.template: d for d in store.select(db)}


def test_a_draft_is_marked_as_high_as_the_circulation_its_referral_cites(drafted):
    _cfg, made = drafted
    advice = made["advice"]
    assert advice.marking == "OFFICIAL-SENSITIVE"
    assert {"NOT FOR PUBLICATION", "POLICE EYES ONLY"} <= set(advice.caveats)
    assert advice.subject.startswith("OFFICIAL-SENSITIVE")
    assert "NOT FOR PUBLICATION" in advice.body and "POLICE EYES ONLY" in advice.body


def test_lowering_the_marking_or_dropping_a_caveat_blocks_approval(drafted, db):
    cfg, made = drafted
    advice = made["advice"]
    body = advice.body.replace("[insert advice for Q1]", "No concerns.")
    body = "\n".join(line for line in body.splitlines() if "[insert" not in line) + "\n"
    lowered = body.replace("OFFICIAL - SENSITIVE", "OFFICIAL", 1)
    review.edit(db, advice.id, by="Operator One", body=lowered,
                subject=advice.subject.replace("OFFICIAL-SENSITIVE", "OFFICIAL", 1))
    with pytest.raises(review.ApprovalBlocked) as blocked:
        review.approve(cfg, db, advice.id, by="Operator Two", override=JUSTIFICATION)
    floor_hits = [f for f in blocked.value.report.findings if f.check == "marking_floor"]
    assert floor_hits and not any(f.overridable for f in floor_hits)
    assert "lower than OFFICIAL-SENSITIVE" in floor_hits[0].reason
    no_caveat = body.replace("NOT FOR PUBLICATION", "")
    review.edit(db, advice.id, by="Operator One", body=no_caveat, subject=advice.subject.replace(
        "NOT FOR PUBLICATION", ""))
    with pytest.raises(review.ApprovalBlocked) as blocked:
        review.approve(cfg, db, advice.id, by="Operator Two", override=JUSTIFICATION)
    assert any("NOT FOR PUBLICATION" in f.reason for f in blocked.value.report.findings
               if f.check == "marking_floor")
