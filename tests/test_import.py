"""``crumail import``: archives of old mail (PST, mbox, Maildir, folders of
.eml/.msg) stored once, resumable, hostile entries quarantined, never drafted."""

from __future__ import annotations

import os
import re
import random
import signal
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from crumail.drafts.stage import draft_pending
from crumail.config import load as load_config
from crumail.store import open_database
from support.cli import cli  # noqa: F401  (fixture)
from support.mail import referral, utc
from support import mailgen
from support.paths import shared
from support.process import cli_env, start_crumail, wait_for

PSTS = {  # sample: (messages, attachments, nested, addressed recipients of the first)
    "ruby-msg_attachAndInline.pst": (1, 2, 0, 1),
    "ruby-msg_msgInMsg.pst": (1, 1, 1, 0),
    "ruby-msg_200-recipients.pst": (1, 0, 0, 200),
}


def history(count: int, first: int = 0) -> list[bytes]:
    """Old mail: half of it referrals (the kind that is drafted and given a log number)."""
    return [referral(utc(2015, 3, 1 + n % 28), message_id=f"<ref-{n}@eastmoor.example.police.uk>")
            if n % 2 == 0 else mailgen.message(n, "hist")
            for n in range(first, first + count)]


def write_mbox(path: Path, mails: list[bytes], quote: bool = True) -> None:
    with open(path, "wb") as out:
        for data in mails:
            data = data.replace(b"\r\n", b"\n")
            if quote:
                data = data.replace(b"\nFrom ", b"\n>From ")
            out.write(b"From archive@example.com Mon Mar  2 09:00:00 2015\n" + data + b"\n")


def write_maildir(path: Path, mails: list[bytes]) -> None:
    for part in ("cur", "new", "tmp"):
        (path / part).mkdir(parents=True, exist_ok=True)
    for n, data in enumerate(mails):
        part = "cur" if n % 3 else "new"
        flags = ":2,S" if part == "cur" else ""
        (path / part / f"{1420070400 + n}.M{n}P1.archive{flags}").write_bytes(data)


def rows(db_path: Path, sql: str) -> list[tuple]:
    with closing(sqlite3.connect(db_path)) as conn:
        return conn.execute(sql).fetchall()


def count(db_path: Path, table: str) -> int:
    return rows(db_path, f"SELECT count(*) FROM {table}")[0][0]


def waiting(db_path: Path) -> int:
    """Queue rows the drafting stage would still take (an import's are entered done, skipped)."""
    return rows(db_path, "SELECT count(*) FROM drafting_queue WHERE skipped IS NOT 'no_drafts'")[0][0]


def test_the_three_real_pst_files_import_whole(cli):
    folder = shared("corpus/pst")
    result = cli("import", str(folder))
    assert result.exit_code == 0, result.output
    db = cli.base / "crumail.db"
    found = dict(rows(db, "SELECT i.path, i.stored FROM imports i"))
    for name, (messages, attachments, nested, recipients) in PSTS.items():
        assert found[str(folder / name)] == messages
        message = rows(db, f"""SELECT m.id FROM messages m JOIN ledger l ON l.message = m.id
                               WHERE l.source_key LIKE '{folder / name}#%'""")
        assert len(message) == messages, name
        mid = message[0][0]
        assert count_where(db, "attachments", mid) == attachments, name
        assert count_where(db, "nested", mid) == nested, name
        assert addressed(db, mid) == recipients, name
    assert count(db, "drafts") == 0 and waiting(db) == 0
    again = cli("import", str(folder))
    assert "0 stored" in again.output and count(db, "messages") == 3


def count_where(db: Path, table: str, message: int) -> int:
    top = " AND nested IS NULL" if table == "attachments" else ""
    return rows(db, f"SELECT count(*) FROM {table} WHERE message = {message}{top}")[0][0]


def addressed(db: Path, message: int) -> int:
    import json

    raw = rows(db, f"SELECT to_json FROM messages WHERE id = {message}")[0][0] or "[]"
    return sum(1 for a in json.loads(raw) if a.get("address"))


def test_an_mbox_is_streamed_with_its_from_quoting_undone(cli, tmp_path):
    body = b"From: a@example.com\nSubject: quoted\nMessage-ID: <q@example.com>\n\nline\nFrom here on\n"
    write_mbox(tmp_path / "old.mbox", [body, *history(3)])
    result = cli("import", str(tmp_path / "old.mbox"))
    assert result.exit_code == 0, result.output
    raw = rows(cli.base / "crumail.db", "SELECT raw FROM messages WHERE message_id = '<q@example.com>'")
    assert b"\nFrom here on\n" in raw[0][0]
    assert count(cli.base / "crumail.db", "messages") == 4


def test_an_mbox_message_over_the_limit_is_quarantined_unread_and_the_rest_go_in(cli, tmp_path):
    cli.base.joinpath("crumail.toml").write_text(
        '[database]\npath = "crumail.db"\n\n[intake]\nmax_message_bytes = 200000\n')
    huge = b"From: a@example.com\nSubject: huge\n\n" + b"x" * 70 + b"\n" * 1
    huge = huge + (b"y" * 1000 + b"\n") * 1000    # 1 MB, over the 200 kB limit
    write_mbox(tmp_path / "big.mbox", [history(1)[0], huge, history(2, 1)[1]])
    result = cli("import", str(tmp_path / "big.mbox"))
    db = cli.base / "crumail.db"
    assert count(db, "messages") == 2
    (reason,) = rows(db, "SELECT reason FROM quarantine")[0]
    assert "over the 200,000-byte limit" in reason and result.exit_code == 1


def test_links_are_never_followed(cli, tmp_path):
    secret = tmp_path / "secret.eml"
    secret.write_bytes(history(1)[0])
    archive = tmp_path / "archive"
    write_maildir(archive / "box", history(2, 10))
    os.symlink(secret, archive / "box" / "cur" / "1420070999.M9P9.evil:2,S")
    os.symlink(secret, archive / "linked.eml")
    os.symlink(tmp_path, archive / "loop")                       # a folder link: never entered
    os.symlink(secret, archive / "linked.mbox")
    result = cli("import", str(archive))
    db = cli.base / "crumail.db"
    assert count(db, "messages") == 2                             # the Maildir's own two
    reasons = [r for (r,) in rows(db, "SELECT reason FROM quarantine")]
    assert len(reasons) == 4 and all("link" in r for r in reasons), reasons
    assert result.exit_code == 1


def test_a_corrupt_pst_is_quarantined_with_its_reason_and_the_import_goes_on(cli, tmp_path):
    (tmp_path / "broken.pst").write_bytes(b"!BDN" + bytes(random.Random(1).randbytes(8000)))
    write_mbox(tmp_path / "good.mbox", history(2))
    result = cli("import", str(tmp_path))
    db = cli.base / "crumail.db"
    assert count(db, "messages") == 2
    (reason,) = rows(db, "SELECT reason FROM quarantine")[0]
    assert "broken.pst" in reason and "readpst" in reason
    assert rows(db, "SELECT state FROM imports WHERE path LIKE '%broken.pst'") == [("failed",)]


def test_a_readpst_that_hangs_is_given_up_and_its_temporary_folder_removed(tmp_path, monkeypatch):
    from crumail.sources.archive import pst

    hang = tmp_path / "readpst"      # stands for readpst stuck on a crafted file
    hang.write_text("#!/bin/sh\nmkdir -p \"$6/Inbox\"\nexec sleep 600\n")
    hang.chmod(0o700)
    monkeypatch.setattr(pst, "READPST", str(hang))
    monkeypatch.setattr(pst, "TIMEOUT_BASE", 1.0)
    monkeypatch.setattr(pst.tempfile, "tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    (tmp_path / "stuck.pst").write_bytes(b"!BDN" + b"\0" * 1000)
    (item,) = list(pst.read_pst(tmp_path / "stuck.pst", None, 25_000_000))
    assert item.fails_archive and "did not finish within 1 s" in item.refused
    assert list((tmp_path / "tmp").iterdir()) == []


def test_an_import_makes_no_drafts_where_ingest_does(cli, tmp_path):
    mails = history(6)
    write_maildir(tmp_path / "box", mails)
    assert cli("import", str(tmp_path / "box")).exit_code == 0
    db_path = cli.base / "crumail.db"
    config = load_config(cli.base / "crumail.toml")
    db = open_database(db_path)
    assert draft_pending(config, db).drafts == []      # nothing waits to be drafted either
    db.close()
    assert count(db_path, "drafts") == 0 and count(db_path, "log_counters") == 0
    assert rows(db_path, "SELECT skipped, count(*) FROM drafting_queue GROUP BY skipped") == [("no_drafts", 6)]
    status = cli("status", "--json")
    assert '"not_drafted": 6' in status.output
    # the same referrals dropped through ingest are drafted: the switch is what differs
    (tmp_path / "drop").mkdir()
    (tmp_path / "drop" / "r.eml").write_bytes(referral(utc(2024, 5, 1), message_id="<new@example.com>"))
    cli("ingest", str(tmp_path / "drop"))
    assert count(db_path, "drafts") > 0


def test_an_interrupted_import_goes_on_where_it_stopped(cli, tmp_path):
    from crumail.intake.pipeline import run_source
    from crumail.sources.archive import ArchiveSource

    write_mbox(tmp_path / "a.mbox", history(40))
    db_path = cli.base / "crumail.db"
    db = open_database(db_path)
    source = ArchiveSource(db, [tmp_path / "a.mbox"], 25_000_000)
    done: list = []
    report = run_source(db, source, batch_size=5, stop=lambda: len(done) >= 25,
                        progress=done.append, workers=0, drafts=False)
    db.close()
    stored = count(db_path, "messages")
    assert 25 <= stored < 40 and report.total == stored
    (position,) = rows(db_path, "SELECT position FROM imports")[0]
    # A kill lands between a batch's commit and the position's write: set the
    # position back five items, as the last write before the kill left it.
    keys = [k for (k,) in rows(db_path, "SELECT source_key FROM ledger ORDER BY rowid")]
    with closing(sqlite3.connect(db_path)) as conn:
        conn.execute("UPDATE imports SET position = ?", [keys[stored - 5].rsplit("@", 1)[1]])
        conn.commit()
    result = cli("import", str(tmp_path / "a.mbox"))
    assert f"{40 - stored} stored" in result.output and "5 skipped" in result.output, result.output
    assert count(db_path, "messages") == 40 and position


@pytest.mark.slow
@pytest.mark.timeout(1800)   # a hang guard: 6 runs over 5,000 messages on a loaded machine
def test_a_maildir_import_killed_five_times_stores_each_message_once(tmp_path):
    mails = [mailgen.message(n, "kill") for n in range(5000)]
    write_maildir(tmp_path / "box", mails)
    config = tmp_path / "crumail.toml"
    config.write_text(f'[database]\npath = "{tmp_path / "crumail.db"}"\n')
    db_path = tmp_path / "crumail.db"
    rng = random.Random(12)
    moments = sorted(rng.sample(range(100, 4900), 5))
    for moment in moments:
        process = start_crumail("--config", str(config), "import", str(tmp_path / "box"),
                                log=tmp_path / "import.log", env=cli_env())
        wait_for(lambda: _stored(db_path) >= moment or process.poll() is not None, timeout=600)
        process.send_signal(signal.SIGKILL)
        process.wait()
    process = start_crumail("--config", str(config), "import", str(tmp_path / "box"),
                            log=tmp_path / "import.log", env=cli_env())
    assert process.wait(timeout=900) == 0, (tmp_path / "import.log").read_text()[-2000:]
    ids = [r[0] for r in rows(db_path, "SELECT message_id FROM messages")]
    assert len(ids) == 5000 and len(set(ids)) == 5000
    assert rows(db_path, "SELECT state, stored, duplicates, files FROM imports") == [("done", 5000, 0, 5000)]
    assert count(db_path, "quarantine") == 0


def _stored(db_path: Path) -> int:
    try:
        return count(db_path, "messages")
    except sqlite3.OperationalError:
        return 0


@pytest.mark.slow
@pytest.mark.timeout(1800)   # a hang guard: about 2 minutes here
def test_twenty_thousand_old_messages_make_no_drafts_and_no_log_numbers(cli, tmp_path):
    write_mbox(tmp_path / "decade.mbox", history(20_000))
    result = cli("import", str(tmp_path / "decade.mbox"))
    assert result.exit_code == 0, result.output
    db_path = cli.base / "crumail.db"
    db = open_database(db_path)
    assert draft_pending(load_config(cli.base / "crumail.toml"), db).drafts == []
    db.close()
    assert count(db_path, "messages") == 20_000
    assert count(db_path, "drafts") == 0 and waiting(db_path) == 0
    assert count(db_path, "log_counters") == 0
    assert rows(db_path, "SELECT count(*) FROM drafting_queue WHERE skipped = 'no_drafts'")[0][0] == 20_000


def test_the_desk_sources_page_shows_imports_with_their_counts(tmp_path):
    from crumail.intake.pipeline import run_source
    from crumail.sources.archive import ArchiveSource
    from crumail.store import users
    from crumail.store.db import transaction
    from crumail.web.app import Desk
    from support.config import config as make_config
    from support.desk import PASSWORD, login
    from crumail.web.auth import hash_password
    from werkzeug.test import Client

    config = make_config(tmp_path)
    db = open_database(config.database)
    with transaction(db):
        users.add(db, "ada", "admin", hash_password(PASSWORD, "ada"))
    write_mbox(tmp_path / "old.mbox", [*history(3), b"\x00\x01 not mail"])
    run_source(db, ArchiveSource(db, [tmp_path / "old.mbox"], 25_000_000), workers=0,
               drafts=False)
    db.close()
    client = Client(Desk(config))
    login(client, "ada")
    page = client.get("/sources").get_data(as_text=True)
    assert str(tmp_path / "old.mbox") in page and "3 message(s) not drafted: import" in page
    row = page[page.index(str(tmp_path / "old.mbox")):]
    cells = re.findall(r'<td class="num">(\d+)</td>', row)[:5]
    assert cells == ["1", "3", "0", "1", "0"], cells      # files, stored, duplicates, quarantined, skipped
