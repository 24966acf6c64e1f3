"""The casebook store: records grow from mail, forget and reprocess leave no
duplicates, links and memberships follow the extraction.

Extractions are built by hand here (the seed circulation, as the issue says
it must be read) so these tests do not wait on the extractor.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest

from crumail.extract.model import Advice, Extraction, Question
from crumail.store import casebook
from crumail.store import status
from crumail.store.db import transaction
from support.casebook import SEED_43, parsed_mail, questions, refresh, rows, seed_extraction, seed_parsed, snapshot, store


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


@pytest.mark.timeout(120)   # a hang guard; speed is bench/search.py's
def test_a_huge_extraction_is_stored_and_searched(db):
    from crumail.store import search

    many = tuple(Question(i, f"{i})", f"Question {i} about widgets number {i} \x00 ☃") for i in range(1, 5001))
    long_one = Question(5001, "Q5001", "digits/slashes " * 70_000)
    big = Extraction(kind="circulation", log_numbers=("1/24",), primary_log="1/24",
                     questions=many + (long_one,))
    message = store(db, "big", big)
    assert search.search(db, "widgets", limit=5)
    assert search.search(db, '"*" ( ) NEAR') == []
    refresh(db, message, big, parsed_mail("big", None))
    assert db.execute("SELECT count(*) FROM questions").fetchone()[0] == 5001
