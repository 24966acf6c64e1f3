"""The unit's figures: counted right from a known store, the period forms,
the topics, the SVG charts (no script, escaped), the desk page and its
downloads (marked, audited), the cache's invalidation, and `crumail report`."""

from __future__ import annotations

import io
import stat
from datetime import date

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from crumail.cli import main
from crumail.errors import PeriodError
from crumail.figures import compute, period, svg, topics
from crumail.store import access
from crumail.store.figures import Period
from support.casebook import seed_logs
from support.desk import client, config, hashed, login, store  # noqa: F401  (fixtures)
from support.drafts import seed_draft

TODAY = date(2026, 11, 30)


def test_periods_are_quarters_months_and_years():
    assert period.parse("2025Q1") == (Period("2025-01-01", "2025-04-01"), "2025Q1")
    assert period.parse("2025q4") == (Period("2025-10-01", "2026-01-01"), "2025Q4")
    assert period.parse("2025-12") == (Period("2025-12-01", "2026-01-01"), "2025-12")
    assert period.parse("2025") == (Period("2025-01-01", "2026-01-01"), "2025")
    assert period.parse("") == (Period(), "all time")
    for wrong in ("2025Q5", "2025-13", "25Q1", "2025-1", "last year"):
        with pytest.raises(PeriodError):
            period.parse(wrong)


def test_a_log_has_the_topic_its_questions_speak_of_most():
    assert topics.topic_of(["How many speed cameras on rural roads?"]) == "Roads and vehicles"
    assert topics.topic_of(["How many tasers were drawn?", "How many arrests followed?",
                            "How many arrests were charged?"]) == "Custody and arrests"
    assert topics.topic_of(["What colour are the doors?"]) == topics.OTHER


def _figures(db, text=""):
    chosen, label = period.parse(text)
    return compute.compute(db, chosen, label, TODAY)


def test_the_figures_count_logs_drafts_turnaround_and_deadlines(store):
    seed_logs(store, 4)                                     # first seen 2024-05-03, Eastmoor Police
    store.execute("UPDATE logs SET exemptions = '[\"s.40(2)\", \"Section 31(1)\"]' WHERE log = '1/24'")
    store.execute("UPDATE logs SET exemptions = '[\"S40(2)\"]' WHERE log = '2/24'")
    late = seed_draft(store, n=1, due="2026-11-01")         # open, past due: missed
    in_time = seed_draft(store, n=2, due="2026-12-20")
    store.execute("UPDATE messages SET received_at = '2026-11-02T09:00:00+00:00'")
    store.execute("""UPDATE drafts SET approved_at = '2026-11-04T09:00:00+00:00',
                     sent_at = '2026-11-05T21:00:00+00:00' WHERE id = ?""", [in_time])
    figures = _figures(store)
    rows = {t.name: t.rows for t in figures.tables}
    assert rows["logs-by-week"] == [["2024-W18", 4]] and rows["logs-by-month"] == [["2024-05", 4]]
    assert rows["logs-by-force"] == [["Eastmoor Police", 4]]
    assert rows["logs-by-topic"] == [["Roads and vehicles", 4]]
    assert rows["exemptions"] == [["s.40(2)", 2], ["s.31(1)", 1]]
    assert rows["drafts-by-state"] == [["drafted", 2]]
    assert rows["turnaround"] == [["arrival to approval", 2.0, 2.0, 1], ["arrival to sending", 3.5, 3.5, 1]]
    assert dict(map(tuple, rows["deadlines"])) == {"met": 1, "missed": 0, "missed (still open)": 1,
                                                  "open, in time": 0}
    assert late and figures.table("force-positions").note.startswith("Forces' positions")
    assert [t.rows for t in _figures(store, "2025Q1").tables[:4]] == [[], [], [], []]


def test_charts_are_svg_with_escaped_labels_and_no_script():
    table = compute.Table("t", "A <b>title</b>", ("force", "logs"),
                          [["<script>alert(1)</script> Police", 3], ["Eastmoor", 1]])
    drawn = svg.bars(table)
    assert drawn.startswith("<svg") and drawn.count("<rect") == 2
    assert "<script" not in drawn and "&lt;script&gt;" in drawn and "style=" not in drawn
    assert svg.bars(compute.Table("e", "Empty", ("a", "b"), [])) == ""


def test_the_figures_page_its_downloads_and_the_cache_that_follows_the_store(config, store):
    seed_logs(store, 3)
    c = client(config, store)
    login(c)
    page = c.get("/figures").get_data(as_text=True)
    assert page.count("<svg") >= 5 and "Roads and vehicles" in page and "<script" not in page
    assert c.get("/figures?period=2024Q2").status_code == 200
    assert c.get("/figures?period=soon").status_code == 400
    assert "<td>drafted</td>" not in page
    seed_draft(store)                                       # a new draft: counted again
    assert "<td>drafted</td><td>1</td>" in c.get("/figures").get_data(as_text=True)
    response = c.get("/figures/logs-by-force.csv?period=2024")
    assert 'filename="OFFICIAL_crumail-figures-logs-by-force-2024.csv"' in response.headers["Content-Disposition"]
    assert response.get_data(as_text=True).lstrip("\ufeff").splitlines()[:3] == [
        "OFFICIAL", "force,logs", "Eastmoor Police,3"]
    book = load_workbook(io.BytesIO(c.get("/figures/all.xlsx").data))
    assert len(book.worksheets) == 9 and book.properties.category == "OFFICIAL"
    assert c.get("/figures/nothing.csv").status_code == 404
    assert c.get("/figures/all.csv").status_code == 400
    exported = [r["target"] for r in access.rows(store, access.Filter(action="export"), limit=None)[1]]
    assert exported == ["figures/all.xlsx", "figures/logs-by-force.csv"]


@pytest.mark.parametrize("fmt", ["xlsx", "html"])
def test_crumail_report_writes_the_period_marked_and_private(tmp_path, fmt, monkeypatch):
    from crumail.store import open_database

    db = open_database(tmp_path / "crumail.db")
    seed_logs(db, 2)
    db.close()
    (tmp_path / "crumail.toml").write_text(f'[database]\npath = "{tmp_path / "crumail.db"}"\n')
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["--config", str(tmp_path / "crumail.toml"), "report",
                                       "--period", "2024Q2", "--format", fmt])
    assert result.exit_code == 0, result.output
    written = tmp_path / f"OFFICIAL_crumail-report-2024Q2.{fmt}"
    assert stat.S_IMODE(written.stat().st_mode) == 0o600
    if fmt == "html":
        text = written.read_text()
        assert text.count("<svg") >= 4 and "<script" not in text and "OFFICIAL" in text
    else:
        assert next(load_workbook(written).worksheets[0].values)[0] == "OFFICIAL"
    bad = CliRunner().invoke(main, ["--config", str(tmp_path / "crumail.toml"), "report", "--period", "Q1"])
    assert bad.exit_code == 1 and "2025Q1" in bad.output
