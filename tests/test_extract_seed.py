"""The acceptance test of the issue: the real circulation 43/23 and its nested 1355/22."""

from __future__ import annotations

import pytest

from crumail.extract import extract

from conftest import SEED


@pytest.fixture(scope="module")
def seed():
    if not SEED.exists():
        pytest.skip("seed circulation not present")
    from crumail.parse import parse_bytes

    return extract(parse_bytes(SEED.read_bytes(), SEED.name))


def test_outer_circulation(seed):
    assert seed.kind == "circulation"
    assert seed.log_numbers == ("43/23", "1355/22")
    assert (seed.primary_log, seed.related_logs) == ("43/23", ("1355/22",))
    assert seed.circulation_date == "2023-01-23"
    assert (seed.case_worker, seed.logged_with, seed.sent_from) == ("S.40(2)", "Lancashire Constabulary", "S.40(2)")
    assert (seed.protective_marking, seed.handling_caveats) == ("OFFICIAL-SENSITIVE", ("POLICE EYES ONLY",))
    assert seed.redaction_markers == ("S.40(2)", "S.31(1)")


def test_outer_questions_stop_before_the_note(seed):
    assert [(q.number, q.label) for q in seed.questions] == [(1, "1)"), (2, "2)"), (3, "3)")]
    assert seed.questions[0].text.startswith("How many sex offenders did your force have registered")
    assert seed.questions[2].text.endswith("according to your most recent records.")
    assert all("NB." not in q.text for q in seed.questions)


def test_outer_advice_and_cross_reference(seed):
    assert [a.questions for a in seed.advice] == [()]
    assert seed.advice[0].text.startswith("We note from your comments")
    assert [(x.log, x.their_questions, x.our_questions) for x in seed.cross_references] == [
        ("1355/22", (1, 6, 9), (1, 2, 3))]


def test_nested_circulation(seed):
    (inner,) = seed.nested
    assert (inner.kind, inner.primary_log, inner.circulation_date) == ("circulation", "1355/22", "2022-09-16")
    assert inner.logged_with == "National"
    assert len(inner.questions) == 10
    assert inner.questions[9].text.startswith("Please provide these data")
    assert [a.questions for a in inner.advice] == [(), (1,), (2,), (3, 9), (4,), (5,), (6, 7), (8,), (10,)]
    assert inner.advice[3].heading == "Q3 and Q9"
    assert inner.advice[-1].text.startswith("Q10 is not a request for information.")
    assert set(inner.exemptions) >= {"s12", "s21", "s31(1)"}
