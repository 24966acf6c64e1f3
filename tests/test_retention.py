"""Retention and erasure (issue 13): `crumail retention plan` / `apply`.

Every command runs as its own process with the one clock moved
(``CRUMAIL_NOW``), as the operator would run it years later; the database
file and its -wal are read only once every process has ended.
"""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

import pytest

from support.config import write_toml
from support.mail import CRU, FORCE_FOI, referral, utc
from support.process import cli_env, crumail

PLANTED = "Quillfeather Marmalade"
PHONE = "07700 900123"
TAKEN_IN = "2025-01-10T09:00:00+00:00"
WEEKS_LATER = "2025-02-01T09:00:00+00:00"
YEARS_LATER = "2027-09-01T09:00:00+00:00"


def circulation(log: str, n: int) -> bytes:
    msg = EmailMessage()
    msg["From"] = f'"NPCC CRU Mailbox" <{CRU}>'
    msg["To"] = f'"Eastmoor FOI" <{FORCE_FOI}>'
    msg["Subject"] = f"Log No. {log} - CRU Circulation - {PLANTED}"
    msg["Date"] = format_datetime(utc(2025, 1, 3, 9, n // 60, n % 60))
    msg["Message-ID"] = f"<circ-{n}@npcc.example.police.uk>"
    msg.set_content(
        "OFFICIAL - SENSITIVE\n\nDear All,\n\n"
        f"Log Number: {log}\nCase worker: Dana Whitlock\nLogged with: Eastmoor Police\n\n"
        "Applicants Request:\n1) How many speed cameras does the force operate?\n"
        f"2) Please call me on {PHONE} about the revenue the cameras raised in 2023.\n\n"
        f"Kind regards\n\n{PLANTED} (applicant's reference)\n")
    msg.add_attachment(f"attached note: {PLANTED}\n".encode(), maintype="application",
                       subtype="octet-stream", filename="note.bin")
    return bytes(msg)


@pytest.fixture
def unit(tmp_path):
    inbox = tmp_path / "mail"
    inbox.mkdir()
    for n, log in enumerate(("301/24", "302/24")):
        (inbox / f"c{n}.eml").write_bytes(circulation(log, n))
    (inbox / "referral.eml").write_bytes(referral(utc(2025, 1, 4, 10), message_id="<ref-1@example.police.uk>"))
    (inbox / "broken.msg").write_bytes(b"\xd0\xcf\x11\xe0 not really an Outlook file " + PLANTED.encode())
    config = write_toml(tmp_path / "crumail.toml", redaction={"internal_domains": ["police.uk"]})
    return tmp_path, config, inbox


def run(config: Path, now: str, *args: str):
    done = crumail("--config", str(config), *args, env=cli_env(CRUMAIL_NOW=now), timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    return done


def query(database: Path, sql: str):
    with closing(sqlite3.connect(database)) as db:
        return db.execute(sql).fetchall()


def test_retention_erases_the_bytes_keeps_tombstones_and_the_masked_casebook(unit):
    folder, config, inbox = unit
    database = folder / "crumail.db"
    taken = run(config, TAKEN_IN, "ingest", str(inbox)).stdout
    assert "3 stored" in taken and "1 quarantined" in taken
    assert query(database, "SELECT count(*) FROM drafts")[0][0] >= 1
    assert PLANTED.encode() in database.read_bytes() + _wal(database)

    soon = json.loads(run(config, WEEKS_LATER, "retention", "plan", "--json").stdout)
    assert soon["items"] == [] and soon["counts"] == {}

    plan = json.loads(run(config, YEARS_LATER, "retention", "plan", "--json").stdout)
    assert plan["counts"] == {"mail": 3, "quarantine": 1, "draft": plan["counts"]["draft"]}
    assert plan["counts"]["draft"] >= 1
    assert {i["rule"] for i in plan["items"] if i["kind"] == "mail"} == {
        "mail_days after the last activity of its logs (or its receipt)"}
    assert all(i["age_days"] > 730 for i in plan["items"] if i["kind"] == "mail")

    applied = run(config, YEARS_LATER, "retention", "apply").stdout
    assert "erased" in applied and "3 mail" in applied and "1 quarantine" in applied

    # Every process has ended: the file and its WAL hold no erased byte.
    everything = database.read_bytes() + _wal(database)
    for planted in (PLANTED, PLANTED.lower(), "quillfeather", "Quillfeather", PHONE, "900123"):
        assert planted.encode() not in everything, planted
    assert query(database, "PRAGMA auto_vacuum")[0][0] == 2

    tombstones = query(database, """SELECT sha256, received_at, length(raw), subject, text, erased_at
                                    FROM messages ORDER BY id""")
    assert len(tombstones) == 3
    assert all(len(t[0]) == 64 and t[1] and t[2] == 0 and t[3] is None and t[4] == "" and t[5]
               for t in tombstones)
    assert query(database, "SELECT count(*) FROM quarantine WHERE length(raw) = 0 AND erased_at IS NOT NULL")[0][0] == 1

    # The casebook still knows the questions, with the personal data marked.
    questions = [q[0] for q in query(database, "SELECT text FROM questions WHERE log = '301/24' ORDER BY number")]
    assert questions[0] == "How many speed cameras does the force operate?"
    assert "S.40(2)" in questions[1] and "revenue the cameras raised" in questions[1]
    assert query(database, "SELECT case_worker FROM logs WHERE log = '301/24'") == [("S.40(2)",)]
    similar = json.loads(run(config, YEARS_LATER, "similar", "302/24", "--json").stdout)
    assert any(p["log"] == "301/24" for q in similar for p in q["precedents"])

    # The erasure record: a row a batch and one for the run, with counts.
    runs = query(database, "SELECT actor, action, counts_json FROM erasures WHERE action = 'retention-run'")
    assert runs and json.loads(runs[-1][2])["mail"] == 3 and runs[-1][0] == "cli"

    # Taking the same mail in again stores nothing.
    again = run(config, YEARS_LATER, "ingest", str(inbox)).stdout
    assert "0 stored" in again and "3 already stored" in again
    assert query(database, "SELECT count(*), sum(length(raw)) FROM messages") == [(3, 0)]
    assert query(database, "SELECT count(*) FROM quarantine WHERE length(raw) > 0") == [(0,)]

    # Nothing more is due: a second run erases nothing.
    assert "erased nothing" in run(config, YEARS_LATER, "retention", "apply").stdout


def _wal(database: Path) -> bytes:
    wal = database.with_name(database.name + "-wal")
    return wal.read_bytes() if wal.exists() else b""


def _store(tmp_path: Path, count: int, *sources: dict, **tables: dict) -> tuple[Path, Path]:
    inbox = tmp_path / "mail"
    inbox.mkdir()
    for n in range(count):
        (inbox / f"c{n}.eml").write_bytes(circulation(f"{400 + n}/24", n))
    config = write_toml(tmp_path / "crumail.toml", *sources, **tables)
    run(config, TAKEN_IN, "ingest", str(inbox))
    return config, tmp_path / "crumail.db"


def test_the_daemon_runs_retention_once_a_day_only_when_enabled(tmp_path):
    config, database = _store(tmp_path, 2, {"type": "directory", "path": str(tmp_path / "drop")})
    run(config, YEARS_LATER, "run", "--once")
    assert query(database, "SELECT count(*) FROM messages WHERE erased_at IS NOT NULL") == [(0,)]
    assert query(database, "SELECT count(*) FROM erasures") == [(0,)]

    config = write_toml(tmp_path / "crumail.toml", {"type": "directory", "path": str(tmp_path / "drop")},
                        retention={"enabled": True})
    run(config, YEARS_LATER, "run", "--once")
    assert query(database, "SELECT count(*) FROM messages WHERE erased_at IS NOT NULL") == [(2,)]
    runs = query(database, "SELECT actor, counts_json FROM erasures WHERE action = 'retention-run'")
    assert runs == [("daemon", json.dumps({"mail": 2}))]
    run(config, YEARS_LATER, "run", "--once")     # the same day: no second run
    assert len(query(database, "SELECT * FROM erasures WHERE action = 'retention-run'")) == 1


COUNT = 100


@pytest.mark.slow
def test_sigkill_mid_apply_leaves_every_message_whole_or_a_complete_tombstone(tmp_path):
    import signal

    from support.process import start_crumail, wait_for

    config, database = _store(tmp_path, COUNT, retention={"batch": 1})
    apply = start_crumail("--config", str(config), "retention", "apply", env=cli_env(CRUMAIL_NOW=YEARS_LATER))
    with closing(sqlite3.connect(database, timeout=30, isolation_level=None)) as db:
        wait_for(lambda: db.execute("SELECT count(*) FROM erasures").fetchone()[0] >= 3, timeout=120)
    apply.send_signal(signal.SIGSTOP)          # frozen wherever it is, inside a batch or between two
    apply.send_signal(signal.SIGKILL)
    assert apply.wait(timeout=60) == -signal.SIGKILL
    rows = query(database, """SELECT m.id, length(m.raw), m.subject, m.erased_at,
                                     (SELECT group_concat(extraction) FROM contributions c WHERE c.message = m.id)
                                FROM messages m""")
    erased = [r for r in rows if r[3] is not None]
    whole = [r for r in rows if r[3] is None]
    assert 3 <= len(erased) < COUNT and len(erased) + len(whole) == COUNT
    assert all(r[1] == 0 and r[2] is None and PHONE not in r[4] for r in erased)
    assert all(r[1] > 0 and PLANTED in r[2] and PHONE in r[4] for r in whole)
    counted = sum(json.loads(c)["mail"] for (c,) in query(
        database, "SELECT counts_json FROM erasures WHERE action = 'retention'"))
    assert counted == len(erased)                # each batch's record committed with it
    assert query(database, "PRAGMA integrity_check") == [("ok",)]

    run(config, YEARS_LATER, "retention", "apply")
    assert query(database, "SELECT count(*) FROM messages WHERE erased_at IS NULL") == [(0,)]
    assert PLANTED.encode() not in database.read_bytes() + _wal(database)
