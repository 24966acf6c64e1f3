"""``crumail logs``, ``search``, ``similar`` and ``export`` on a casebook
built from hand-made extractions of the seed circulation."""

from __future__ import annotations

import csv
import json

import pytest
from click.testing import CliRunner

from crumail.cli import main
from support.cli import casebook_cli as crumail  # noqa: F401  (fixture)


def test_logs_list_table_and_json(crumail):
    out = crumail("logs", "list").output
    assert out.splitlines()[0].split()[:2] == ["LOG", "KIND"]
    assert "43/23" in out and "Lancashire Constabulary" in out
    rows = json.loads(crumail("logs", "list", "--year", "22", "--json").output)
    assert [r["log"] for r in rows] == ["1355/22"]
    assert json.loads(crumail("logs", "list", "--force", "lancs", "--json").output) == []


def test_logs_show_side_by_side(crumail):
    out = crumail("logs", "show", "1355/22").output
    assert "Q9 (9.)" in out and "advice Q3 and Q9:" in out
    assert "<- 43/23  (our Q1 = their Q1, our Q6 = their Q2, our Q9 = their Q3)" in out
    assert "nested" in out
    record = json.loads(crumail("logs", "show", "001355/22", "--json").output)
    assert len(record["questions"]) == 10
    missing = crumail("logs", "show", "9/99")
    assert missing.exit_code == 1 and "not in the casebook" in missing.output
    assert crumail("logs", "show", "ABC/FOI").exit_code == 2


def test_search_and_similar(crumail):
    out = crumail("search", "sex", "offenders", "missing", "--limit", "3").output
    assert len(out.strip().splitlines()) == 4  # three hits and the count line
    hits = json.loads(crumail("search", "whereabouts caveat", "--json").output)
    assert hits[0]["log"] == "1355/22" and hits[0]["source"] == "advice"
    out = crumail("similar", "43/23").output
    assert "1355/22 Q9 (cross_reference" in out and "advice Q3 and Q9" in out
    found = json.loads(crumail("similar", "43/23", "--json").output)
    assert found[0]["precedents"][0]["advice"][0]["heading"] == "Q1"
    assert crumail("similar", "5/20").exit_code == 1


def test_export_xlsx_has_two_sheets_and_no_formulas(crumail, tmp_path):
    from openpyxl import load_workbook

    target = tmp_path / "casebook.xlsx"
    crumail("export", "--format", "xlsx", "--output", str(target))
    book = load_workbook(target)
    assert book.sheetnames == ["Logs", "Questions"]
    logs = list(book["Logs"].iter_rows(values_only=True))
    assert logs[0][0] == "OFFICIAL-SENSITIVE"          # the export's protective marking first
    assert logs[1][0] == "log" and len(logs) == 5
    cells = [c for row in book["Logs"].iter_rows() for c in row] + \
            [c for row in book["Questions"].iter_rows() for c in row]
    assert not [c for c in cells if c.data_type == "f"]
    questions = list(book["Questions"].iter_rows(values_only=True))
    q9 = [q for q in questions if q[0] == "1355/22" and q[1] == 9][0]
    assert q9[4] == "Q3 and Q9" and "absconded" in q9[5]


def test_export_csv_both_or_one_table(crumail, tmp_path):
    result = crumail("export", "--format", "csv", "--output", str(tmp_path / "cb.csv"))
    assert "3 log(s), 14 question(s)" in result.output
    with open(tmp_path / "cb-logs.csv", encoding="utf-8-sig") as f:
        assert f.readline().strip() == "OFFICIAL-SENSITIVE"    # the marking, then the header
        logs = list(csv.DictReader(f))
    assert {r["log"] for r in logs} == {"43/23", "1355/22", "7/24"}
    assert [r["logged_with"] for r in logs if r["log"] == "7/24"] == ["'=HYPERLINK(\"http://example.org\")"]
    with open(tmp_path / "cb-questions.csv", encoding="utf-8-sig") as f:
        f.readline()
        assert len(list(csv.DictReader(f))) == 14
    out = crumail("export", "--format", "csv", "--what", "questions", "--year", "2023", "-o", "-").output
    assert [r["log"] for r in csv.DictReader(out.splitlines()[1:])] == ["43/23"] * 3
    assert crumail("export", "--format", "xlsx", "-o", "-").exit_code == 2


def test_eval_scores_a_directory_and_says_so_in_its_exit_status(tmp_path, seed_bytes):
    pytest.importorskip("crumail.extract.evaluate")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "seed.eml").write_bytes(seed_bytes)
    expected = {"kind": "circulation", "primary_log": "43/23", "nested": [{"primary_log": "1355/22"}]}
    (corpus / "seed.expected.json").write_text(json.dumps(expected))
    result = CliRunner().invoke(main, ["eval", str(corpus)])
    assert result.exit_code == 0, result.output
    assert "100.0%" in result.output
    expected["primary_log"] = "44/23"
    (corpus / "seed.expected.json").write_text(json.dumps(expected))
    result = CliRunner().invoke(main, ["eval", str(corpus), "--json"])
    assert result.exit_code == 1
    report = json.loads(result.output)
    assert report["fields"]["primary_log"] == {"hits": 1, "total": 2, "accuracy": 0.5}  # nested too
    assert report["misses"][0]["got"] == "43/23"
