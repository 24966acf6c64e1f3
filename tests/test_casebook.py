"""The casebook store: records grow from mail, forget and reprocess leave no
duplicates, links and memberships follow the extraction.

Extractions are built by hand here (the seed circulation, as the issue says
it must be read) so these tests do not wait on the extractor.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timezone

import pytest

from crumail.extract.model import Advice, CrossReference, Extraction, Question
from crumail.intake.prepare import Ingested
from crumail.model import ParsedMail, RawMessage
from crumail.store import casebook, messages
from crumail.store import status
from crumail.store.db import transaction

SEED_43 = [
    "How many sex offenders did your force have registered living in the force area, "
    "according to your most recent records.",
    "How many offences have been committed by sex offenders within your police force area of "
    "failure to comply with the notification requirement, according to your most recent records.",
    "How many registered sex offenders were recorded as having gone missing from your police "
    "force area or were wanted whereabouts unknown, according to your most recent records.",
]
BOILER = " Please break down these data by policing district if you are able to."
SEED_1355 = [
    "How many sex offenders did your force have registered living in the force area in each "
    "of the past three financial years?" + BOILER,
    "Of those sex offenders who were required to notify the police force of all foreign travel "
    "and their return to the UK, how many did inform your force?" + BOILER,
    "How many sex offenders has your force recorded as having failed to return to the UK?" + BOILER,
    "How many sex offenders have notified the force when they were living in a household with "
    "a child under the age of 18 and how many failed to do so?" + BOILER,
    "How many sex offenders have made a notification to your force that they have changed "
    "their identity through name change?" + BOILER,
    "How many offences have been committed by sex offenders within your police force area of "
    "failure to comply with the notification requirement?" + BOILER,
    "How many registered sex offenders failed to make annual contact with police stations?" + BOILER,
    "How long does it take for a registered sex offender to be classed as missing from your "
    "police force area?" + BOILER,
    "How many registered sex offenders went missing from your police force area in each of "
    "the past three financial years?" + BOILER,
    "Please provide these data in an .xlsx/.xls/.csv file format.",
]
ADVICE_1355 = [
    ((), None, "As always, the first consideration is whether complying with ALL parts of the "
               "request can be achieved within relevant Cost parameters, otherwise s12 is appropriate."),
    ((1,), "Q1", "Forces have released force wide RSO data previously, and we see no harm."),
    ((2,), "Q2", "We see no harm in providing total figures per year if able to do so."),
    ((3, 9), "Q3 and Q9", "These two questions seek to know how many RSOs have effectively "
                          "absconded; a caveat that whereabouts unknown totals are dynamic is advised."),
    ((4,), "Q4", "If able to do so, we see no immediate harm in complying with the request."),
    ((5,), "Q5", "This may have s12 Cost considerations if not easily retrievable."),
    ((6, 7), "Q6 and Q7", "If held we see no immediate harm with providing total figures."),
    ((8,), "Q8", "We are not sure that forces will hold information that specifically answers it."),
    ((10,), "Q10", "Q10 is not a request for information."),
]


def questions(texts, label="{n})"):
    return tuple(Question(i, label.format(n=i), t) for i, t in enumerate(texts, 1))


def nested_1355() -> Extraction:
    return Extraction(
        kind="circulation", log_numbers=("1355/22",), primary_log="1355/22",
        circulation_date="2022-09-16", case_worker="S.40(2)", logged_with="National",
        sent_from="S.40(2)", protective_marking="OFFICIAL-SENSITIVE",
        handling_caveats=("POLICE EYES ONLY",), questions=questions(SEED_1355, "{n}."),
        advice=tuple(Advice(q, h, t) for q, h, t in ADVICE_1355),
        exemptions=("s12", "s21", "s40"),
    )


def seed_extraction() -> Extraction:
    return Extraction(
        kind="circulation", log_numbers=("43/23", "1355/22"), primary_log="43/23",
        circulation_date="2023-01-23", case_worker="S.40(2)",
        logged_with="Lancashire Constabulary", sent_from="S.40(2)",
        protective_marking="OFFICIAL-SENSITIVE", handling_caveats=("POLICE EYES ONLY",),
        questions=questions(SEED_43),
        advice=(Advice((), None, "We note from your comments that you have been able to "
                                 "retrieve all the requested information for this refined request."),),
        related_logs=("1355/22",),
        cross_references=(CrossReference("1355/22", (1, 6, 9), (1, 2, 3)),),
        nested=(nested_1355(),),
    )


def parsed_mail(name: str, date: datetime | None, nested: tuple[ParsedMail, ...] = (),
                subject: str | None = None) -> ParsedMail:
    sha = hashlib.sha256(name.encode()).hexdigest()
    return ParsedMail(format="eml", sha256=sha, size=len(name), subject=subject or name,
                      message_id=f"<{name}@example.org>", date=date, nested=nested, filename=name)


def seed_parsed() -> ParsedMail:
    inner = parsed_mail("Log No.001355/22 CRU Circulation (16/09/2022)",
                        datetime(2022, 9, 22, 6, 34, tzinfo=timezone.utc))
    return parsed_mail("Log No. 43/23 - CRU Circulation (23/01/2023)",
                       datetime(2023, 1, 25, 7, 18, tzinfo=timezone.utc), (inner,))


def store(db, name: str, extraction: Extraction, parsed: ParsedMail | None = None) -> int:
    """Store a message as the pipeline would (casebook.record inside the batch)."""
    parsed = parsed or parsed_mail(name, datetime(2023, 1, 25, tzinfo=timezone.utc))
    raw = RawMessage(data=name.encode(), source="test", key=name, filename=name)
    with transaction(db):
        return messages.insert(db, Ingested(raw, parsed, extraction))


def refresh(db, message: int, extraction: Extraction, parsed: ParsedMail) -> None:
    raw = RawMessage(data=b"", source="test", key=str(message))
    with transaction(db):
        messages.refresh(db, message, Ingested(raw, parsed, extraction))


def rows(db, sql, params=()):
    cursor = db.execute(sql, list(params))
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, r)) for r in cursor.fetchall()]


def snapshot(db) -> dict:
    """Every derived and fact row, without ids (which reprocessing renumbers)."""
    return {
        "logs": rows(db, "SELECT * FROM logs ORDER BY log"),
        "questions": rows(db, "SELECT log, number, label, text FROM questions ORDER BY log, number"),
        "advice": rows(db, "SELECT log, position, questions, heading, text FROM advice ORDER BY log, position"),
        "links": rows(db, "SELECT * FROM log_links ORDER BY from_log, to_log"),
        "members": rows(db, "SELECT * FROM log_messages ORDER BY message, path, log"),
    }


@pytest.fixture
def seeded(db):
    message = store(db, "seed", seed_extraction(), seed_parsed())
    return db, message


def test_seed_gives_both_logs_with_their_own_fields(seeded):
    db, _ = seeded
    logs = {r["log"]: r for r in rows(db, "SELECT * FROM logs")}
    assert set(logs) == {"43/23", "1355/22"}
    assert logs["43/23"]["logged_with"] == "Lancashire Constabulary"
    assert logs["43/23"]["circulation_date"] == "2023-01-23"
    assert (logs["43/23"]["year"], logs["43/23"]["number"]) == (2023, 43)
    assert logs["1355/22"]["logged_with"] == "National"
    assert json.loads(logs["1355/22"]["exemptions"]) == ["s12", "s21", "s40"]
    assert json.loads(logs["43/23"]["handling_caveats"]) == ["POLICE EYES ONLY"]


def test_nested_circulation_gives_1355_22_its_questions_and_advice(seeded):
    db, _ = seeded
    numbers = [r["number"] for r in rows(db, "SELECT number FROM questions WHERE log='1355/22' ORDER BY number")]
    assert numbers == list(range(1, 11))
    groups = [json.loads(r["questions"]) for r in rows(
        db, "SELECT questions FROM advice WHERE log='1355/22' ORDER BY position")]
    assert groups == [[], [1], [2], [3, 9], [4], [5], [6, 7], [8], [10]]
    assert len(rows(db, "SELECT * FROM questions WHERE log='43/23'")) == 3


def test_first_and_last_seen_span_every_message_that_mentions_the_log(seeded):
    db, _ = seeded
    log = rows(db, "SELECT first_seen, last_seen, message_count FROM logs WHERE log='1355/22'")[0]
    assert log["first_seen"] == "2022-09-22T06:34:00+00:00"
    assert log["last_seen"] == "2023-01-25T07:18:00+00:00"
    assert log["message_count"] == 1


def test_membership_roles_and_nested_path(seeded):
    db, message = seeded
    members = {(r["log"], r["path"], r["role"]) for r in rows(db, "SELECT * FROM log_messages")}
    assert members == {("43/23", "", "primary"), ("1355/22", "", "related"),
                       ("1355/22", "0", "nested")}


def test_cross_reference_becomes_a_link_with_the_question_mapping(seeded):
    db, _ = seeded
    links = rows(db, "SELECT * FROM log_links")
    assert links == [{"from_log": "43/23", "to_log": "1355/22",
                      "their_questions": "[1, 6, 9]", "our_questions": "[1, 2, 3]"}]


def test_forget_then_record_again_changes_nothing(seeded):
    db, message = seeded
    before = snapshot(db)
    for _ in range(2):
        refresh(db, message, seed_extraction(), seed_parsed())
    assert snapshot(db) == before
    assert db.execute("SELECT count(*) FROM contributions").fetchone()[0] == 2


def test_forget_removes_the_log_only_this_message_spoke_of(seeded):
    db, message = seeded
    with transaction(db):
        casebook.forget(db, message)
    assert snapshot(db) == {"logs": [], "questions": [], "advice": [], "links": [], "members": []}
    assert db.execute("SELECT count(*) FROM questions_fts WHERE questions_fts MATCH 'offenders'").fetchone()[0] == 0


def test_fts_indexes_stay_consistent_through_reprocessing(seeded):
    db, message = seeded
    refresh(db, message, seed_extraction(), seed_parsed())
    for table in ("questions_fts", "advice_fts"):
        db.execute(f"INSERT INTO {table}({table}) VALUES ('integrity-check')")


def test_a_log_grows_as_more_mail_arrives(db):
    first = Extraction(kind="circulation", log_numbers=("88/25",), primary_log="88/25",
                       circulation_date="2025-02-03", case_worker="S.40(2)",
                       questions=questions(SEED_43[:2]), exemptions=("s12",))
    later = Extraction(kind="forwarded_circulation", log_numbers=("0088/25",), primary_log="88/25",
                       logged_with="Example Constabulary", case_worker="Someone Else",
                       questions=questions(SEED_43), exemptions=("s40(2)",),
                       advice=(Advice((1, 2, 3), "Q1 - Q3", "Disclose totals."),))
    one = store(db, "first", first, parsed_mail("first", datetime(2025, 2, 3, 9, tzinfo=timezone.utc)))
    two = store(db, "later", later, parsed_mail("later", datetime(2025, 3, 1, 9, tzinfo=timezone.utc)))
    log = rows(db, "SELECT * FROM logs WHERE log='88/25'")[0]
    assert log["kind"] == "circulation"
    assert log["case_worker"] == "S.40(2)"  # the log's own circulation speaks first
    assert log["logged_with"] == "Example Constabulary"  # a null filled from later mail
    assert json.loads(log["exemptions"]) == ["s12", "s40(2)"]
    assert (log["first_seen"][:10], log["last_seen"][:10], log["message_count"]) == ("2025-02-03", "2025-03-01", 2)
    assert db.execute("SELECT count(*) FROM questions WHERE log='88/25'").fetchone()[0] == 3
    with transaction(db):
        casebook.forget(db, two)
    log = rows(db, "SELECT * FROM logs WHERE log='88/25'")[0]
    assert (log["logged_with"], log["last_seen"][:10], log["message_count"]) == (None, "2025-02-03", 1)
    assert db.execute("SELECT count(*) FROM questions WHERE log='88/25'").fetchone()[0] == 2
    assert db.execute("SELECT count(*) FROM advice WHERE log='88/25'").fetchone()[0] == 0
    assert one


def test_a_log_only_referred_to_is_listed_without_a_kind(db):
    query = Extraction(kind="force_query", log_numbers=("233/25", "0241/25"))
    store(db, "query", query)
    logs = rows(db, "SELECT log, kind, message_count FROM logs ORDER BY log")
    assert logs == [{"log": "233/25", "kind": None, "message_count": 1},
                    {"log": "241/25", "kind": None, "message_count": 1}]
    roles = {r["role"] for r in rows(db, "SELECT role FROM log_messages")}
    assert roles == {"related"}


def test_a_message_without_logs_records_nothing_but_its_contribution(db):
    store(db, "ooo", Extraction(kind="out_of_office"))
    assert rows(db, "SELECT * FROM logs") == []
    assert db.execute("SELECT count(*) FROM contributions").fetchone()[0] == 1


def test_status_counts_logs_and_questions(seeded):
    db, _ = seeded
    counts = status.counts(db)
    assert (counts["logs"], counts["questions"]) == (2, 13)


def test_a_huge_extraction_is_stored_and_searched_quickly(db):
    import time

    from crumail.store import search

    many = tuple(Question(i, f"{i})", f"Question {i} about widgets number {i} \x00 ☃") for i in range(1, 5001))
    long_one = Question(5001, "Q5001", "digits/slashes " * 70_000)
    big = Extraction(kind="circulation", log_numbers=("1/24",), primary_log="1/24",
                     questions=many + (long_one,))
    started = time.perf_counter()
    message = store(db, "big", big)
    assert search.search(db, "widgets", limit=5)
    assert search.search(db, '"*" ( ) NEAR') == []
    refresh(db, message, big, parsed_mail("big", None))
    assert db.execute("SELECT count(*) FROM questions").fetchone()[0] == 5001
    assert time.perf_counter() - started < 10
