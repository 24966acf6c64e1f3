"""A casebook that looks like a unit's year, for the figures page's tests,
screenshot and benchmark: logs spread over weeks, forces and topics, with
exemptions cited, and drafts in every state with their times."""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone

from crumail.extract.model import Advice, Extraction, Question
from crumail.store.db import transaction
from support.casebook import parsed_mail, store
from support.drafts import seed_draft

FORCES = ("Eastmoor Police", "Westvale Constabulary", "Northfield Police", "Southmere Police",
          "Rivermouth Constabulary", "Highcombe Police")
QUESTIONS = ("How many speed cameras operate on rural roads?", "How many tasers were drawn?",
             "How many arrests were made in custody suites?", "What was spent on overtime pay?",
             "How many drones does the force own?", "How many domestic abuse offenders were charged?",
             "What contracts were signed with suppliers?", "How many missing persons reports?",
             "How many protests were policed at football events?", "What colour are the cars?")
EXEMPTIONS = ('[]', '["s.40(2)"]', '["s.31(1)", "s.40(2)"]', '["s.24(1)"]', '["s.38(1)"]')
START = datetime(2025, 1, 6, 9, tzinfo=timezone.utc)


def seed_unit(db, logs: int, drafts: int = 0, seed: int = 7) -> None:
    rng = random.Random(seed)
    for n in range(1, logs + 1):
        log = f"{n}/25"
        seen = START + timedelta(hours=rng.randint(0, 24 * 360))
        extraction = Extraction(
            kind="circulation", log_numbers=(log,), primary_log=log,
            circulation_date=seen.date().isoformat(), logged_with=rng.choice(FORCES),
            protective_marking="OFFICIAL",
            questions=(Question(1, "1)", rng.choice(QUESTIONS)), Question(2, "2)", rng.choice(QUESTIONS))),
            advice=(Advice((1,), "Q1", "Provide the totals."),))
        store(db, f"unit-{n}", extraction, parsed_mail(f"Log No. {log} - CRU Circulation", seen))
    with transaction(db):
        db.execute("UPDATE logs SET exemptions = CASE (number % 5) " + " ".join(
            f"WHEN {i} THEN '{e}'" for i, e in enumerate(EXEMPTIONS)) + " END")
    for n in range(drafts):
        draft = seed_draft(db, n=1000 + n, log=f"{n + 1}/25",
                           due=(START + timedelta(days=20 + n % 300)).date().isoformat())
        _settle(db, draft, rng)


def _settle(db, draft: int, rng: random.Random) -> None:
    """Give a draft an arrival, and (most of them) an approval and a sending."""
    arrived = START + timedelta(days=rng.randint(0, 300), hours=rng.randint(0, 8))
    approved = arrived + timedelta(hours=rng.randint(4, 24 * 12))
    sent = approved + timedelta(hours=rng.randint(1, 48))
    state = rng.choice(("drafted", "edited", "approved", "sent", "sent", "sent", "rejected"))
    with transaction(db):
        db.execute("UPDATE messages SET received_at = ? WHERE id = (SELECT message FROM drafts WHERE id = ?)",
                   [arrived.isoformat(), draft])
        db.execute("UPDATE drafts SET state = ?, approved_at = ?, sent_at = ? WHERE id = ?",
                   [state, approved.isoformat() if state in ("approved", "sent") else None,
                    sent.isoformat() if state == "sent" else None, draft])
