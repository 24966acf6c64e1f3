"""The IMAP source against a real Dovecot: exactly once, whatever people do to the mailbox."""

from __future__ import annotations

import os
import socket
import threading
import time
from email.message import EmailMessage

import pytest

from crumail.intake.daemon import Daemon
from crumail.intake.pipeline import run_source
from crumail.sources.imap.source import ImapSource
from crumail.store import ledger
from support import mailgen
from support.process import DaemonThread, ledger_count, stored_ids, wait_for
from support.config import config

HANG_GUARD = 30   # seconds: only a hang trips it; how fast is bench/imap.py's figure


def sync(cfg, db, **kwargs):
    """One cycle of the first source; returns (report, source)."""
    source = ImapSource(cfg.sources[0], db)
    return run_source(db, source, **kwargs), source


@pytest.fixture
def daemon_db():
    made = []

    def make(cfg):
        daemon = Daemon(cfg)
        made.append(daemon)
        return daemon, daemon.db()

    yield make


def test_first_sync_then_incremental_polls_fetch_only_what_is_new(dovecot, imap_user, tmp_path, daemon_db):
    dovecot.append(imap_user, "INBOX", mailgen.messages(40, "first"))
    cfg = config(tmp_path, dovecot.source_options(imap_user, fetch_chunk=7))
    daemon, db = daemon_db(cfg)

    report, source = sync(cfg, db)
    assert report.counts["stored"] == 40
    assert sorted(stored_ids(db)) == sorted(mailgen.message_ids(40, "first"))

    report, source = sync(cfg, db)
    assert report.total == 0 and source.bytes_fetched == 0   # the watermark says nothing is new

    dovecot.append(imap_user, "INBOX", mailgen.messages(3, "first", first=41))
    report, source = sync(cfg, db)
    assert report.counts["stored"] == 3
    assert source.bytes_fetched == sum(len(m) for m in mailgen.messages(3, "first", first=41))
    assert len(stored_ids(db)) == len(set(stored_ids(db))) == 43

    with dovecot.client(imap_user) as person:       # BODY.PEEK: nothing was marked read
        person.select_folder("INBOX", readonly=True)
        assert person.search(["SEEN"]) == []
    state = ledger.state(db, cfg.sources[0].name, "INBOX")
    assert state["uidnext"] == 44 and state["backlog"] == 0 and state["last_success"]


def test_what_a_person_does_during_the_sync_changes_nothing_stored_and_loses_nothing(
        dovecot, imap_user, tmp_path, daemon_db):
    dovecot.append(imap_user, "INBOX", mailgen.messages(60, "busy"))
    cfg = config(tmp_path, dovecot.source_options(imap_user, folders=["INBOX", "Archive"], fetch_chunk=10))
    daemon, db = daemon_db(cfg)
    person = dovecot.client(imap_user)
    person.select_folder("INBOX")
    done: list[int] = []

    def meanwhile(raw):
        done.append(raw.uid)
        if len(done) == 20:   # 20 committed, 40 still to come
            person.add_flags([3, 4, 5, 30, 31, 32], [b"\\Seen"])     # read, stored or not
            person.move([6, 7, 40, 41, 42], "Archive")              # moved, stored or not
            person.delete_messages([8, 9, 10])                      # deleted once stored
            person.expunge()

    report, _ = sync(cfg, db, batch_size=10, progress=meanwhile)
    report2, _ = sync(cfg, db)
    person.logout()

    ids = stored_ids(db)
    assert len(ids) == len(set(ids)) == 60
    assert set(ids) == mailgen.message_ids(60, "busy")
    assert report.counts["stored"] + report2.counts["stored"] == 60
    with dovecot.client(imap_user) as check:
        check.select_folder("INBOX", readonly=True)
        assert sorted(check.search(["SEEN"])) == [3, 4, 5, 30, 31, 32]   # only the person's


def test_a_recreated_folder_new_uidvalidity_stores_no_duplicate(dovecot, imap_user, tmp_path, daemon_db):
    folder = "Referrals"
    no_id = EmailMessage()
    no_id["From"], no_id["Subject"] = "Casey Arbuthnot <casey@example.org>", "no Message-ID here"
    no_id.set_content("Please call 07700 900123.")
    dovecot.append(imap_user, folder, mailgen.messages(20, "resync") + [bytes(no_id)])
    cfg = config(tmp_path, dovecot.source_options(imap_user, folder=folder))
    daemon, db = daemon_db(cfg)
    sync(cfg, db)
    before = ledger.state(db, cfg.sources[0].name, folder)["uidvalidity"]

    u = ["-u", imap_user]
    dovecot.doveadm("mailbox", "rename", *u, folder, "Old")
    dovecot.doveadm("mailbox", "create", *u, folder)
    dovecot.doveadm("move", *u, folder, "mailbox", "Old", "ALL")
    dovecot.doveadm("mailbox", "delete", *u, "Old")
    dovecot.append(imap_user, folder, mailgen.messages(2, "resync", first=21))

    report, source = sync(cfg, db)
    after = ledger.state(db, cfg.sources[0].name, folder)["uidvalidity"]
    assert after != before
    assert report.counts["stored"] == 2
    assert db.execute("SELECT count(*) FROM messages").fetchone()[0] == 23
    assert db.execute("SELECT count(*) FROM ledger WHERE uidvalidity = ?", [after]).fetchone()[0] == 23
    assert sync(cfg, db)[1].bytes_fetched == 0


def test_dovecot_restarted_mid_sync_daemon_recovers_every_message_once(dovecot_factory, tmp_path):
    server = dovecot_factory()
    user = "cru@example.police.uk"
    server.append(user, "INBOX", [mailgen.message(n, "restart", size=20_000) for n in range(1, 401)])
    cfg = config(tmp_path, server.source_options(user, fetch_chunk=5, reconnect_min=0.2, reconnect_max=1),
                 daemon={"batch_size": 5})
    daemon = Daemon(cfg)
    db = daemon.db()
    with DaemonThread(daemon):
        wait_for(lambda: ledger_count(db) >= 20, timeout=20, every=0.002)
        server.kill()
        stopped_at = ledger_count(db)
        time.sleep(1.0)
        server.start()
        wait_for(lambda: ledger_count(db) == 400, timeout=120)   # a hang guard: a loaded machine takes 30 s
    assert stopped_at < 400, "the server should have stopped in the middle of the sync"
    ids = stored_ids(db)
    assert len(ids) == len(set(ids)) == 400
    assert db.execute("SELECT count(*) FROM quarantine").fetchone()[0] == 0


class SilentServer:
    """Accepts connections and says nothing, until told to pass them to ``target``."""

    def __init__(self, target: tuple[str, int]):
        self.target = target
        self.forward = False
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.held: list[socket.socket] = []
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            if not self.forward:
                self.held.append(conn)       # never answer
                continue
            upstream = socket.create_connection(self.target)
            for a, b in ((conn, upstream), (upstream, conn)):
                threading.Thread(target=_pipe, args=(a, b), daemon=True).start()

    def close(self) -> None:
        self.sock.close()
        for conn in self.held:
            conn.close()


def _pipe(a: socket.socket, b: socket.socket) -> None:
    try:
        while data := a.recv(65536):
            b.sendall(data)
    except OSError:
        pass
    finally:
        for s in (a, b):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


def test_a_server_that_never_answers_times_out_and_the_next_cycle_succeeds(dovecot, imap_user, tmp_path):
    dovecot.append(imap_user, "INBOX", mailgen.messages(5, "silent"))
    silent = SilentServer((dovecot.host, dovecot.port))
    try:
        options = dovecot.source_options(imap_user, port=silent.port, timeout=1.0)
        daemon = Daemon(config(tmp_path, options))
        assert daemon.run_once()[options["name"]] is None   # returns: the 1 s timeout fired (pytest-timeout guards a hang)
        state = ledger.state(daemon.db(), options["name"], "")
        assert "no answer within the timeout" in state["last_error"]

        silent.forward = True
        report = daemon.run_once()[options["name"]]
        assert report is not None and report.counts["stored"] == 5
        assert ledger.state(daemon.db(), options["name"], "")["last_error"] is None
    finally:
        silent.close()


def test_idle_stores_each_appended_message_without_waiting_for_a_poll(dovecot, imap_user, tmp_path):
    """No poll in the test's lifetime (an hour's interval): only IDLE can bring the
    mail in; how fast it does is bench/imap.py's figure, not a bound here."""
    cfg = config(tmp_path, dovecot.source_options(imap_user, mode="idle", interval=3600))
    daemon = Daemon(cfg)
    db = daemon.db()
    with DaemonThread(daemon):
        wait_for(lambda: ledger.state(db, cfg.sources[0].name, "INBOX").get("last_success"), timeout=10)
        time.sleep(0.3)   # into IDLE
        for n in range(1, 4):
            dovecot.append(imap_user, "INBOX", [mailgen.message(n, "idle")])
            wait_for(lambda: len(stored_ids(db)) == n, timeout=HANG_GUARD, every=0.01)


def test_idle_is_reissued_and_still_delivers(dovecot, imap_user, tmp_path):
    cfg = config(tmp_path, dovecot.source_options(imap_user, mode="idle", idle_renew=0.5, interval=3600))
    daemon = Daemon(cfg)
    db = daemon.db()
    with DaemonThread(daemon):
        wait_for(lambda: ledger.state(db, cfg.sources[0].name, "INBOX").get("last_success"), timeout=10)
        time.sleep(2.0)   # several IDLE/DONE rounds
        dovecot.append(imap_user, "INBOX", [mailgen.message(1, "renew")])
        wait_for(lambda: len(stored_ids(db)) == 1, timeout=HANG_GUARD)   # by IDLE: no poll is due


def test_an_idle_watcher_whose_server_dies_reconnects_by_itself(dovecot_factory, tmp_path, caplog):
    server = dovecot_factory()
    user = "cru@example.police.uk"
    cfg = config(tmp_path, server.source_options(user, mode="idle", reconnect_min=0.2, reconnect_max=0.5))
    daemon = Daemon(cfg)
    db = daemon.db()
    with DaemonThread(daemon):
        wait_for(lambda: ledger.state(db, cfg.sources[0].name, "INBOX").get("last_success"), timeout=10)
        time.sleep(0.5)                 # idling
        server.kill()
        time.sleep(0.5)
        server.start()
        server.append(user, "INBOX", mailgen.messages(2, "reborn"))
        wait_for(lambda: len(stored_ids(db)) == 2, timeout=10)
    assert any("reconnecting" in r.getMessage() for r in caplog.records)


def test_without_idle_the_watcher_polls_instead(dovecot_factory, tmp_path):
    server = dovecot_factory(extra="imap_capability = IMAP4rev1 LITERAL+ SASL-IR UIDPLUS MOVE UNSELECT MULTIAPPEND")
    user = "cru@example.police.uk"
    with server.client(user) as probe:
        assert not probe.has_capability("IDLE")
    cfg = config(tmp_path, server.source_options(user, mode="idle", interval=0.3))
    daemon = Daemon(cfg)
    db = daemon.db()
    with DaemonThread(daemon):
        wait_for(lambda: ledger.state(db, cfg.sources[0].name, "INBOX").get("last_success"), timeout=10)
        server.append(user, "INBOX", mailgen.messages(2, "noidle"))
        wait_for(lambda: len(stored_ids(db)) == 2, timeout=5)


def test_several_accounts_and_folders(dovecot, tmp_path):
    users = [f"alpha{os.getpid()}@example.police.uk", f"bravo{os.getpid()}@example.police.uk"]
    for user in users:
        dovecot.append(user, "INBOX", mailgen.messages(4, f"in-{user[:5]}"))
        dovecot.append(user, "Referrals", mailgen.messages(3, f"ref-{user[:5]}"))
    sources = [dovecot.source_options(u, folders=["INBOX", "Referrals"], mode="poll") for u in users]
    daemon = Daemon(config(tmp_path, *sources))
    reports = daemon.run_once()
    assert [r.counts["stored"] for r in reports.values()] == [7, 7]
    db = daemon.db()
    assert len(set(stored_ids(db))) == 14
    keys = {r for r in db.execute("SELECT source, source_key FROM ledger")}
    assert len(keys) == 14 and all(k.count("/") == 2 for _, k in keys)   # FOLDER/UIDVALIDITY/UID
    assert {s["folder"] for s in ledger.all_states(db) if s["folder"]} == {"INBOX", "Referrals"}


def test_server_actions_after_storing_move_and_keyword_never_delete(dovecot, imap_user, tmp_path):
    dovecot.append(imap_user, "INBOX", mailgen.messages(6, "act"))
    options = dovecot.source_options(imap_user, move_to="Archive", add_keyword="crumail-stored")
    daemon = Daemon(config(tmp_path, options))
    assert daemon.run_once()[options["name"]].counts["stored"] == 6
    with dovecot.client(imap_user) as person:
        assert person.select_folder("INBOX", readonly=True)[b"EXISTS"] == 0
        person.select_folder("Archive", readonly=True)
        assert len(person.search(["KEYWORD", "crumail-stored"])) == 6
        assert person.search(["DELETED"]) == [] and person.search(["SEEN"]) == []
    assert daemon.run_once()[options["name"]].total == 0


def test_a_message_the_server_cannot_deliver_is_quarantined_after_three_tries(dovecot, imap_user, tmp_path):
    dovecot.append(imap_user, "INBOX", mailgen.messages(12, "broken"))
    os.chmod(dovecot.maildir_file(imap_user, 5), 0)   # the mail process (nobody) cannot read UID 5
    options = dovecot.source_options(imap_user, fetch_chunk=4)
    daemon = Daemon(config(tmp_path, options))
    db = daemon.db()
    for attempt in range(3):   # the server hangs up on the FETCH that includes UID 5
        assert daemon.run_once()[options["name"]] is None
    row = db.execute("SELECT stage, source_key, reason FROM quarantine").fetchone()
    assert row[0] == "fetch" and row[1].endswith("/5") and "FETCH failed" in row[2]

    assert daemon.run_once()[options["name"]].counts["stored"] > 0   # the rest goes on
    ids = stored_ids(db)
    assert len(ids) == len(set(ids)) == 11
    assert "<broken.5@example.police.uk>" not in ids
    assert db.execute("SELECT count(*) FROM failures").fetchone()[0] == 0
    assert daemon.run_once()[options["name"]].total == 0


def test_fetch_chunks_are_capped_in_bytes(dovecot, imap_user, tmp_path, monkeypatch):
    import crumail.sources.imap.source as imap

    monkeypatch.setattr(imap, "CHUNK_BYTES", 50_000)
    dovecot.append(imap_user, "INBOX", [mailgen.message(n, "big", size=20_000) for n in range(1, 8)])
    cfg = config(tmp_path, dovecot.source_options(imap_user, mode="poll"))
    db = Daemon(cfg).db()
    source = ImapSource(cfg.sources[0], db)
    with dovecot.client(imap_user) as client:
        client.select_folder("INBOX", readonly=True)
        sizes = client.fetch([1, 2, 3, 4, 5, 6, 7], ["RFC822.SIZE"])
        chunks = list(source._chunks((uid, sizes[uid][b"RFC822.SIZE"]) for uid in range(1, 8)))
    assert chunks == [[1, 2], [3, 4], [5, 6], [7]]
    assert run_source(db, source).counts["stored"] == 7


def test_server_actions_on_a_batch_spanning_two_folders_touch_the_right_messages(dovecot, imap_user, tmp_path):
    dovecot.append(imap_user, "INBOX", mailgen.messages(4, "span-in"))
    dovecot.append(imap_user, "Referrals", mailgen.messages(3, "span-ref"))
    options = dovecot.source_options(imap_user, folders=["INBOX", "Referrals"], move_to="Archive",
                                     add_keyword="crumail-stored")
    daemon = Daemon(config(tmp_path, options, daemon={"batch_size": 50}))   # one batch, two folders
    assert daemon.run_once()[options["name"]].counts["stored"] == 7
    with dovecot.client(imap_user) as person:
        for folder in ("INBOX", "Referrals"):
            assert person.select_folder(folder, readonly=True)[b"EXISTS"] == 0
        person.select_folder("Archive", readonly=True)
        assert len(person.search(["KEYWORD", "crumail-stored"])) == 7


def test_mail_that_arrives_while_a_cycle_moves_mail_is_taken_without_waiting_for_the_idle_renew(
        dovecot, imap_user, tmp_path, monkeypatch):
    """The server tells of new mail in the middle of the cycle's own commands
    (here its UID MOVE), where imapclient drops the news; IDLE would then
    wait up to idle_renew (25 minutes) for it.  The watcher syncs again
    until a cycle finds nothing new before it goes into IDLE."""
    from crumail.sources.imap import actions as imap_actions
    real = imap_actions.ServerActions._carry_out
    arrivals = iter([mailgen.message(2, "race")])

    def carry_out_while_mail_arrives(self, client, *args, **kwargs):
        for raw in arrivals:                         # once: mail arrives just as the MOVE is sent
            dovecot.append(imap_user, "INBOX", [raw])
        return real(self, client, *args, **kwargs)

    monkeypatch.setattr(imap_actions.ServerActions, "_carry_out", carry_out_while_mail_arrives)
    cfg = config(tmp_path, dovecot.source_options(imap_user, mode="idle", move_to="Archive"))
    daemon = Daemon(cfg)
    db = daemon.db()
    with DaemonThread(daemon):
        wait_for(lambda: ledger.state(db, cfg.sources[0].name, "INBOX").get("last_success"), timeout=10)
        dovecot.append(imap_user, "INBOX", [mailgen.message(1, "race")])
        wait_for(lambda: len(stored_ids(db)) == 2, timeout=20)
