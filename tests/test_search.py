"""Reading the casebook: list, show, full-text search and precedents."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from crumail.extract.model import Advice, Extraction, Question
from crumail.store import similarity
from crumail.store import search
from support.casebook import parsed_mail, seed_extraction, seed_parsed, store


@pytest.fixture
def casebook(db):
    store(db, "seed", seed_extraction(), seed_parsed())
    later = Extraction(
        kind="circulation", log_numbers=("120/24",), primary_log="120/24",
        logged_with="Example Police", circulation_date="2024-03-04",
        questions=(Question(1, "Q1", "How many registered sex offenders went missing last year?"),
                   Question(2, "Q2", "How many drones does the force own?")),
        advice=(Advice((2,), "Q2", "Drone fleet sizes have been disclosed before; s24 rarely applies."),),
    )
    store(db, "later", later, parsed_mail("later", datetime(2024, 3, 5, tzinfo=timezone.utc)))
    return db


def test_list_logs_newest_first_with_filters(casebook):
    assert [r["log"] for r in search.list_logs(casebook)] == ["120/24", "43/23", "1355/22"]
    assert [r["log"] for r in search.list_logs(casebook, year=23)] == ["43/23"]
    assert [r["log"] for r in search.list_logs(casebook, year=2022)] == ["1355/22"]
    assert [r["log"] for r in search.list_logs(casebook, force="lancashire")] == ["43/23"]
    assert [r["log"] for r in search.list_logs(casebook, force="%")] == []
    assert len(search.list_logs(casebook, kind="circulation")) == 3
    row = search.list_logs(casebook, year=22)[0]
    assert (row["question_count"], row["advice_count"]) == (10, 9)


def test_show_puts_each_questions_advice_beside_it(casebook):
    log = search.get_log(casebook, "001355/22")
    assert log["log"] == "1355/22"
    q9 = log["questions"][8]
    assert q9["number"] == 9 and [a["heading"] for a in q9["advice"]] == ["Q3 and Q9"]
    assert [a["questions"] for a in log["general_advice"]] == [[]]
    assert log["links"] == [{"direction": "from", "log": "43/23",
                             "their_questions": [1, 2, 3], "our_questions": [1, 6, 9]}]
    assert [(m["role"], m["path"]) for m in log["messages"]] == [("nested", "0"), ("related", "")]
    assert log["messages"][0]["subject"].startswith("Log No.001355/22")
    assert search.get_log(casebook, "9/99") is None


def test_search_ranks_questions_and_advice(casebook):
    hits = search.search(casebook, "sex offenders missing", limit=5)
    assert hits and all(h.source in {"question", "advice"} for h in hits)
    assert {h.log for h in hits} >= {"1355/22", "120/24"}
    assert hits == sorted(hits, key=lambda h: h.score)
    assert "[missing]" in hits[0].snippet
    advice = search.search(casebook, "whereabouts caveat")
    assert [(h.log, h.source, h.questions) for h in advice] == [("1355/22", "advice", [3, 9])]


def test_search_stems_and_survives_punctuation(casebook):
    assert search.search(casebook, "offender") == search.search(casebook, "offenders")
    search.search(casebook, 's40(2) "RSO\'s" AND OR NEAR( * -')  # never an FTS5 syntax error
    assert search.search(casebook, "   ") == []


def test_search_falls_back_to_any_word(casebook):
    hits = search.search(casebook, "drones zeppelins")
    assert [h.log for h in hits][:1] == ["120/24"]


def test_similar_gives_stated_precedents_first_with_their_advice(casebook):
    found = search.similar(casebook, "43/23")
    assert [q.question for q in found] == [1, 2, 3]
    q3 = found[2].precedents[0]
    assert (q3.log, q3.question, q3.via) == ("1355/22", 9, "cross_reference")
    assert [a.questions for a in q3.advice] == [[3, 9]]
    assert found[0].precedents[0].advice[0].heading == "Q1"


def test_similar_looks_only_at_earlier_logs(casebook):
    found = search.similar(casebook, "120/24")
    missing = found[0].precedents
    assert missing and missing[0].via == "text"
    assert {p.log for p in missing} <= {"43/23", "1355/22"}
    best = max(missing, key=lambda p: p.similarity)
    assert (best.log, best.question) in {("1355/22", 9), ("43/23", 3)}
    assert found[1].precedents == []  # nobody asked about drones before
    assert all(p.log != "43/23" for q in search.similar(casebook, "1355/22") for p in q.precedents)
    assert search.similar(casebook, "1/01") == []


def test_similar_falls_back_to_general_advice(casebook):
    found = search.similar(casebook, "120/24")
    for precedent in found[0].precedents:
        assert precedent.advice, precedent


@pytest.mark.parametrize("a, b, low", [
    ("How many sex offenders went missing?", "Number of registered sex offender missing", 0.5),
    ("How many drones?", "How many sex offenders?", None),
])
def test_similarity(a, b, low):
    score = similarity.similarity(a, b)
    assert 0.0 <= score <= 1.0
    if low is None:
        assert score == 0.0
    else:
        assert score >= low


def test_fts_query_quotes_every_term():
    assert similarity.fts_query(["sex", "offenders"], "OR") == '"sex" OR "offenders"'
    assert similarity.search_terms('s40(2) "RSO\'s"') == ["s40", "2", "rso", "s"]
    assert similarity.cross_referenced([1, 6, 9], [1, 2, 3]) == {1: 1, 2: 6, 3: 9}
    assert similarity.cross_referenced([1, 6], [1]) == {}
