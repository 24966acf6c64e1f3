"""The acceptance test of the issue: the real circulation 43/23 and its nested 1355/22."""

from __future__ import annotations

import pytest

from crumail.extract import extract
from support.paths import SEED, shared


@pytest.fixture(scope="module")
def seed():
    from crumail.parse import parse_bytes

    path = shared(SEED)
    return extract(parse_bytes(path.read_bytes(), path.name))


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


SEED_TEXT = SEED.with_suffix(".txt")


def test_the_printed_rendering_of_the_seed_reads_the_same():
    """The seed as printed (headers at the top, Markdown emphasis) through the text path."""
    from crumail.model import ParsedMail

    outer, inner = shared(SEED_TEXT).read_text(encoding="utf-8").split("\n-\n\n**From:**", 1)

    def read(text: str, subject: str):
        return extract(ParsedMail(format="eml", sha256="0" * 64, size=len(text), subject=subject,
                                  text=text, text_source="html"))

    first = read(outer, "Log No. 43/23 - S.40(2) - CRU Circulation (23/01/2023) - RSO's - Including Advice")
    assert (first.kind, first.log_numbers, first.circulation_date) == ("circulation", ("43/23", "1355/22"), "2023-01-23")
    assert (first.case_worker, first.logged_with) == ("S.40(2)", "Lancashire Constabulary")
    assert len(first.questions) == 3 and first.cross_references[0].their_questions == (1, 6, 9)
    second = read("**From:**" + inner, "Log No.001355/22 CRU Circulation (16/09/2022) - Including Advice")
    assert (second.primary_log, second.logged_with, len(second.questions)) == ("1355/22", "National", 10)
    assert [a.questions for a in second.advice] == [(), (1,), (2,), (3, 9), (4,), (5,), (6, 7), (8,), (10,)]
