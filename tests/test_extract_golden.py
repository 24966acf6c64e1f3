"""The golden corpus: every message in tests/data reads as its .expected.json says."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crumail.extract.evaluate import (EXPECTED_SUFFIX, compare, confusions, EvalReport, evaluate, format_report,
                                     mail_files, read_mail)

DATA = Path(__file__).resolve().parent / "data"
MAIL = mail_files(DATA)


def test_corpus_is_big_and_varied_enough():
    kinds = {json.loads((DATA / (p.stem + EXPECTED_SUFFIX)).read_text())["kind"] for p in MAIL}
    assert len(MAIL) >= 30
    assert {p.suffix for p in MAIL} == {".eml", ".msg"}
    assert kinds == {"circulation", "forwarded_circulation", "referral", "force_query",
                     "force_reply", "clarification", "chaser",
                     "acknowledgement", "out_of_office", "other"}


@pytest.mark.parametrize("path", MAIL, ids=lambda p: p.name)
def test_message_reads_as_expected(path):
    expected = json.loads((DATA / (path.stem + EXPECTED_SUFFIX)).read_text(encoding="utf-8"))
    report = EvalReport(str(DATA))
    compare(report, path.name, expected, read_mail(path))
    assert not report.misses, format_report(report)


def test_eval_scores_the_corpus_at_100_percent():
    report = evaluate(DATA)
    assert report.files == len(MAIL)
    assert report.overall == 1.0, str(report)
    assert "overall" in str(report) and "100.0%" in str(report)


def test_eval_lists_each_miss(tmp_path):
    source = MAIL[0]
    (tmp_path / source.name).write_bytes(source.read_bytes())
    expected = json.loads((DATA / (source.stem + EXPECTED_SUFFIX)).read_text(encoding="utf-8"))
    expected["primary_log"] = "999/99"
    (tmp_path / (source.stem + EXPECTED_SUFFIX)).write_text(json.dumps(expected), encoding="utf-8")
    report = evaluate(tmp_path)
    assert report.overall < 1.0 and report.accuracy("primary_log") == 0.0
    assert [(m.field, m.expected) for m in report.misses] == [("primary_log", "999/99")]
    assert "999/99" in format_report(report)


def test_eval_reports_a_kind_matrix_without_confusions_and_the_alignment():
    report = evaluate(DATA)
    assert confusions(report) == []
    assert report.kinds["referral"] == {"referral": 10} and report.kinds["force_query"] == {"force_query": 10}
    assert all(r[1] == r[2] and r[3] == r[4] for r in report.alignment)
    text = format_report(report)
    assert "kinds (rows: expected, columns: read)" in text and "confusions: none" in text
    assert "questions 140/140 right" in text


def test_eval_shows_a_confusion_and_a_misaligned_message(tmp_path):
    source = DATA / "114-force-query-deal-locally-plain.eml"
    (tmp_path / source.name).write_bytes(source.read_bytes())
    expected = json.loads((DATA / (source.stem + EXPECTED_SUFFIX)).read_text(encoding="utf-8"))
    expected["kind"] = "referral"
    expected["questions"] = [{"number": 1, "label": "1.", "text": "How many?"}]
    (tmp_path / (source.stem + EXPECTED_SUFFIX)).write_text(json.dumps(expected), encoding="utf-8")
    report = evaluate(tmp_path)
    assert confusions(report) == [("referral", "force_query", 1)]
    assert report.alignment == [[source.name, 0, 1, 0, 0]]
    text = format_report(report)
    assert "referral read as force_query x1" in text and f"{source.name}: questions 0/1" in text


def test_eval_report_as_json_carries_the_accuracies():
    from dataclasses import asdict

    data = asdict(evaluate(DATA))
    assert data["overall_accuracy"] == 1.0 and data["accuracy_by_field"]["questions"] == 1.0
    json.dumps(data)


FORCE_REPLIES = DATA / "force-replies"


@pytest.mark.parametrize("path", mail_files(FORCE_REPLIES), ids=lambda p: p.name)
def test_a_forces_reply_to_a_circulation_reads_as_its_kind(path):
    # Issue 11's corpus: its expected files have another shape, but their kind
    # (force_reply or out_of_office) is the contract's.
    expected = json.loads((FORCE_REPLIES / (path.stem + EXPECTED_SUFFIX)).read_text(encoding="utf-8"))
    assert read_mail(path)["kind"] == expected["kind"]
