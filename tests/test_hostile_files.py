"""The drop folder and ``crumail ingest`` against files planted by someone hostile.

Whoever can write to the drop folder can plant a symbolic link to a secret
(``/proc/self/environ`` holds the SMTP password), a FIFO that blocks a
reader, a device, a folder named like mail, a file far too big, or swap
``done/`` for a link to the outbox.  None of them may be read, stored or
followed, and none may be lost: a refused entry is moved aside (the entry,
never its target) into ``quarantine/`` with a quarantine note saying why.
"""

from __future__ import annotations

import json
import os
import socket
import stat
import tracemalloc
from dataclasses import replace

import pytest
from click.testing import CliRunner

from crumail.cli import main
from crumail.errors import FileTooBigError, TransientSendError, UnsafeFileError
from crumail.files.untrusted import read_regular
from crumail.intake.pipeline import run_source
from crumail.limits import DEFAULT as DEFAULT_LIMITS
from crumail.send.outbox import OutboxTransport
from crumail.sources.directory import DirectorySource, FileSource
from crumail.store import quarantine
from support.mail import circulation

SECRET = "smtp-password-5d1e88"


def _count(db, table: str) -> int:
    return db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


@pytest.fixture
def inbox(tmp_path):
    folder = tmp_path / "inbox"
    folder.mkdir()
    return folder


@pytest.fixture
def secret_file(tmp_path):
    """A private file that happens to be a valid mail: read through a link it would be stored."""
    path = tmp_path / "private" / "shadow"
    path.parent.mkdir()
    path.write_bytes(circulation("401/24", body_extra=f"root:{SECRET}:19000:0:99999:7:::"))
    path.chmod(0o600)
    return path


def _refused(db) -> dict[str, dict]:
    return {r["filename"]: r for r in quarantine.rows(db)}


def _no_secret_stored(db) -> None:
    for table, column in (("messages", "text"), ("quarantine", "raw"), ("quarantine", "reason")):
        for (value,) in db.execute(f"SELECT {column} FROM {table}"):
            text = value.decode("latin-1") if isinstance(value, bytes) else str(value or "")
            assert SECRET not in text, (table, column)


def test_a_link_to_the_process_environment_is_refused_not_read(db, inbox, monkeypatch):
    monkeypatch.setenv("CRUMAIL_SMTP_PASSWORD", SECRET)
    (inbox / "environ.eml").symlink_to("/proc/self/environ")
    report = run_source(db, DirectorySource(inbox, name="drop"))
    assert report.counts == {"stored": 0, "duplicate": 0, "quarantined": 1}
    row = _refused(db)["environ.eml"]
    assert "symbolic link" in row["reason"] and "/proc/self/environ" in row["reason"]
    _no_secret_stored(db)
    moved = inbox / "quarantine" / "environ.eml"
    assert moved.is_symlink() and os.readlink(moved) == "/proc/self/environ"  # the link, not its target
    assert not (inbox / "environ.eml").is_symlink()


def test_a_link_to_a_private_file_is_not_stored(db, inbox, secret_file):
    (inbox / "shadow.eml").symlink_to(secret_file)
    (inbox / "good.eml").write_bytes(circulation("402/24"))
    report = run_source(db, DirectorySource(inbox, name="drop"))
    assert report.counts == {"stored": 1, "duplicate": 0, "quarantined": 1}
    _no_secret_stored(db)
    assert secret_file.read_bytes().count(SECRET.encode()) == 1 and secret_file.exists()
    assert (inbox / "quarantine" / "shadow.eml").is_symlink()
    assert (inbox / "done" / "good.eml").is_file()


def test_a_fifo_a_device_and_a_folder_named_like_mail_are_moved_aside(db, inbox):
    os.mkfifo(inbox / "pipe.eml")          # opening it for reading would wait for a writer for ever
    (inbox / "folder.eml").mkdir()
    (inbox / "folder.eml" / "inner.eml").write_bytes(circulation("403/24"))
    listening = socket.socket(socket.AF_UNIX)
    listening.bind(str(inbox / "socket.eml"))     # opening it fails with ENXIO, not ELOOP
    expected = {"pipe.eml": "named pipe", "folder.eml": "folder", "socket.eml": "socket"}
    try:
        os.mknod(inbox / "null.msg", stat.S_IFCHR | 0o600, os.makedev(1, 3))  # /dev/null's numbers
        expected["null.msg"] = "character device"
    except PermissionError:
        pass  # not root: the other kinds still count
    report = run_source(db, DirectorySource(inbox, name="drop"))
    listening.close()
    assert report.counts["quarantined"] == len(expected) and report.counts["stored"] == 0
    rows = _refused(db)
    for name, kind in expected.items():
        assert kind in rows[name]["reason"], rows[name]["reason"]
        assert os.path.lexists(inbox / "quarantine" / name) and not os.path.lexists(inbox / name)
    assert (inbox / "quarantine" / "folder.eml" / "inner.eml").is_file()  # nothing inside is lost
    assert stat.S_ISFIFO(os.lstat(inbox / "quarantine" / "pipe.eml").st_mode)


@pytest.mark.parametrize("sub", ["done", "quarantine"])
def test_a_subfolder_that_is_a_link_stops_the_drop_folder(db, inbox, tmp_path, sub):
    outbox = tmp_path / "outbox"
    outbox.mkdir()
    (inbox / sub).symlink_to(outbox)
    (inbox / "referral.eml").write_bytes(circulation("404/24"))
    (inbox / "bad.eml").write_bytes(b"")
    with pytest.raises(UnsafeFileError, match=f"{sub}.*symbolic link"):
        run_source(db, DirectorySource(inbox, name="drop"))
    assert list(outbox.iterdir()) == []                # nothing unreviewed reached the outbox
    assert (inbox / "referral.eml").is_file() and (inbox / "bad.eml").is_file()  # nor was lost
    assert _count(db, "messages") == 0 and _count(db, "quarantine") == 0


def test_the_daemon_says_why_a_drop_folder_is_refused(tmp_path):
    inbox, outbox = tmp_path / "inbox", tmp_path / "outbox"
    inbox.mkdir()
    outbox.mkdir()
    (inbox / "done").symlink_to(outbox)
    (inbox / "referral.eml").write_bytes(circulation("405/24"))
    config = tmp_path / "crumail.toml"
    config.write_text('[database]\npath = "crumail.db"\n[[source]]\ntype = "directory"\n'
                      'path = "inbox"\nname = "drop"\n[outbox]\npath = "outbox"\n')
    runner = CliRunner()
    ran = runner.invoke(main, ["--config", str(config), "run", "--once"])
    assert ran.exit_code == 1 and "drop: failed" in ran.output
    status = json.loads(runner.invoke(main, ["--config", str(config), "status", "--json"]).stdout)
    (drop,) = [s for s in status["sources"] if s["source"] == "drop"]
    assert "symbolic link" in drop["last_error"] and "done" in drop["last_error"]
    assert list(outbox.iterdir()) == [] and (inbox / "referral.eml").is_file()


def test_a_drop_folder_that_is_itself_a_link_still_works(db, tmp_path):
    real = tmp_path / "real-inbox"
    real.mkdir()
    (tmp_path / "inbox").symlink_to(real)  # the configured path is the operator's own choice
    (real / "a.eml").write_bytes(circulation("406/24"))
    report = run_source(db, DirectorySource(tmp_path / "inbox", name="drop"))
    assert report.counts["stored"] == 1 and (real / "done" / "a.eml").is_file()


def test_a_file_over_the_limit_is_not_read(db, inbox):
    limit = 1024 * 1024
    big = inbox / "big.eml"
    with open(big, "wb") as stream:
        stream.write(circulation("407/24"))
        stream.truncate(400 * 1024 * 1024)     # sparse: 400 MB that cost no disk
    tracemalloc.start()
    try:
        report = run_source(db, DirectorySource(inbox, name="drop"),
                            limits=replace(DEFAULT_LIMITS, max_message_bytes=limit), workers=0)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert report.counts["quarantined"] == 1
    assert peak < 16 * 1024 * 1024, f"{peak:,} bytes at the peak: the file was read"
    row = _refused(db)["big.eml"]
    assert "419,430,400 bytes" in row["reason"] and "max_message_bytes" in row["reason"]
    assert (inbox / "quarantine" / "big.eml").stat().st_size == 400 * 1024 * 1024  # kept whole


def test_a_file_that_grows_while_read_is_read_no_further_than_the_limit():
    # /proc files say they are empty and hold more: as good as one that grows while read.
    with pytest.raises(FileTooBigError) as refused:
        read_regular("/proc/self/status", 100)
    assert refused.value.size == 101
    assert len(read_regular("/proc/self/status", 1 << 20)) > 100


def test_ingest_refuses_the_same_tricks_and_moves_nothing(tmp_path, secret_file, monkeypatch):
    monkeypatch.setenv("CRUMAIL_SMTP_PASSWORD", SECRET)
    folder = tmp_path / "mail"
    folder.mkdir()
    (folder / "environ.eml").symlink_to("/proc/self/environ")
    (folder / "shadow.eml").symlink_to(secret_file)
    os.mkfifo(folder / "pipe.eml")
    (folder / "dir.eml").mkdir()
    (folder / "good.eml").write_bytes(circulation("408/24"))
    config = tmp_path / "crumail.toml"
    config.write_text('[database]\npath = "crumail.db"\n')
    runner = CliRunner()
    result = runner.invoke(main, ["--config", str(config), "ingest", str(folder)])
    assert result.exit_code == 0, result.output
    assert "1 stored, 0 already stored, 4 quarantined" in result.output
    listed = runner.invoke(main, ["--config", str(config), "quarantine", "list"]).output
    assert "symbolic link" in listed and SECRET not in listed
    assert sorted(p.name for p in folder.iterdir()) == ["dir.eml", "environ.eml", "good.eml",
                                                        "pipe.eml", "shadow.eml"]
    named = runner.invoke(main, ["--config", str(config), "ingest", str(folder / "shadow.eml")])
    assert "1 quarantined" in named.output
    from crumail.store import open_database

    _no_secret_stored(open_database(tmp_path / "crumail.db"))


def test_a_refused_entry_says_why_again_when_retried(db, inbox):
    from crumail.intake.maintenance import retry

    (inbox / "environ.eml").symlink_to("/proc/self/environ")
    run_source(db, DirectorySource(inbox, name="drop"))
    (entry,) = quarantine.open_ids(db)
    (outcome,) = retry(db, [entry]).values()
    assert "not read" in outcome and "quarantine" in outcome
    assert "symbolic link" in quarantine.get(db, entry)["reason"]


def test_the_outbox_is_never_written_through_a_link(tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (tmp_path / "outbox").symlink_to(elsewhere)
    with pytest.raises(TransientSendError, match="symbolic link"):
        OutboxTransport(tmp_path / "outbox").deliver(b"Subject: x\r\n\r\nx\r\n", "a@example.org",
                                                     ["b@example.org"], "<1@example.org>")
    assert list(elsewhere.iterdir()) == []


def test_the_outbox_does_not_write_through_a_planted_temporary_name(tmp_path):
    outbox = tmp_path / "outbox"
    outbox.mkdir()
    victim = tmp_path / "victim"
    victim.write_text("untouched")
    transport = OutboxTransport(outbox)
    target = transport.path_for("<2@example.org>")
    (outbox / f".{target.name}.{os.getpid()}.tmp").symlink_to(victim)
    transport.deliver(b"Subject: x\r\n\r\nx\r\n", "a@example.org", ["b@example.org"], "<2@example.org>")
    assert victim.read_text() == "untouched"
    assert target.read_bytes() == b"Subject: x\r\n\r\nx\r\n" and not target.is_symlink()


def test_a_file_moved_back_after_the_limit_is_raised_is_stored_and_its_note_settled(db, inbox):
    (inbox / "big.eml").write_bytes(circulation("409/24", body_extra="x" * 5000))
    run_source(db, DirectorySource(inbox, name="drop", max_bytes=1000))
    assert len(quarantine.open_ids(db)) == 1
    os.rename(inbox / "quarantine" / "big.eml", inbox / "big.eml")  # as the note says
    report = run_source(db, DirectorySource(inbox, name="drop", max_bytes=100_000))
    assert report.counts["stored"] == 1 and quarantine.open_ids(db) == []
    assert (inbox / "done" / "big.eml").is_file()
