"""The whole daemon, tortured: killed 20 times while everything else goes on beside it.

A real Dovecot takes mail all along (circulations, and referrals that are
drafted); ``crumail run`` takes it over IMAP IDLE (moving each stored
message to Archive) and sends approved drafts through a real aiosmtpd, with
the review desk served beside it.  Meanwhile an operator works the desk
over HTTP (queue, search, sources, approving acknowledgements) and another
runs the CLI (status, drafts list, search, export, approve).  The daemon is
SIGKILLed 20 times at random moments and started again; then it runs until
everything is taken in, drafted and sent, and stops.

Afterwards: every message on the server is stored exactly once and is on
the server exactly once; every referral has its drafts once; every approval
an operator was told had succeeded is still there, with its audit row, and
its draft was delivered exactly once or is marked unconfirmed, never twice
(counted at the SMTP server); ``PRAGMA integrity_check`` is ``ok``; no
command and no page failed.
"""

from __future__ import annotations

import email
import http.client
import itertools
import random
import sqlite3
import threading
import time
import urllib.request
from collections import Counter
from datetime import datetime, timedelta, timezone
from email import policy
from pathlib import Path

import pytest

from support import mailgen
from support.desk import DeskClient
from support.process import crumail, start_crumail, stored_ids, wait_for
from support.config import write_toml
from support.servers.dovecot import free_port
from support.mail import referral

KILLS = 20
TOTAL = 90                 # messages that arrive on the server
REFERRAL_EVERY = 3         # every third is a referral: two drafts each
HANG_GUARD = 180.0
ROUND_GUARD = 30.0         # the longest one life of the daemon waits for its kill moment
OPERATOR = ("otto", "Torture-desk-7f3k2q9w")
START = datetime(2026, 1, 5, 9, 0, tzinfo=timezone.utc)


def arriving(n: int) -> bytes:
    if n % REFERRAL_EVERY:
        return mailgen.message(n, "torture")
    return referral(START + timedelta(minutes=n), subject=f"FOI referral {n} - speed cameras",
                    message_id=f"<torture.{n}@example.police.uk>")


def query(database: Path, sql: str, params: tuple = ()) -> list[tuple]:
    """A read of our own, opened and closed each time, as the sqlite3 shell would."""
    if not database.exists():
        return []           # not made yet (and not to be made here, with the wrong mode)
    conn = sqlite3.connect(database, timeout=HANG_GUARD)
    try:
        return conn.execute(sql, params).fetchall()
    except sqlite3.OperationalError as exc:
        if "no such table" in str(exc):
            return []       # not migrated yet
        raise
    finally:
        conn.close()


class Actors:
    """Mail arriving, an operator on the desk, another on the CLI: threads until stopped."""

    def __init__(self, dovecot, user: str, database: Path, cfg: Path, desk_url: str, folder: Path):
        self.dovecot, self.user, self.database, self.cfg = dovecot, user, database, cfg
        self.desk_url, self.folder = desk_url, folder
        self.stop = threading.Event()
        self.problems: list[str] = []
        self.approved: dict[int, str] = {}          # draft -> who was told it is approved
        self.requests = Counter()
        self.rounds = 0                             # daemons started so far
        self.threads = [threading.Thread(target=self._reporting, args=(t,), daemon=True)
                        for t in (self.arrive, self.desk, self.cli)]

    def __enter__(self) -> "Actors":
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(HANG_GUARD)

    def _reporting(self, actor) -> None:
        try:
            actor()
        except Exception as exc:  # noqa: BLE001 - whatever stops an actor is a finding
            self.problems.append(f"{actor.__name__} stopped: {exc!r}")

    def arrived(self) -> bool:
        return not self.threads[0].is_alive()

    def arrive(self) -> None:
        """Spread over the daemon's lives, however long each takes: a share per round."""
        rng = random.Random(5)
        with self.dovecot.client(self.user) as client:
            for n in range(1, TOTAL + 1):
                while n > (self.rounds + 1) * TOTAL // (KILLS + 1) and not self.stop.is_set():
                    self.stop.wait(0.05)
                client.append("INBOX", arriving(n))
                self.stop.wait(rng.uniform(0.05, 0.5))

    def _pick(self, mine) -> int | None:
        rows = query(self.database, "SELECT id FROM drafts WHERE template = 'acknowledgement' "
                                    "AND state = 'drafted' ORDER BY id")
        return next((r[0] for r in rows if mine(r[0]) and r[0] not in self.approved), None)

    def cli(self) -> None:
        export = str(self.folder / "export.csv")
        commands = itertools.cycle([("status",), ("drafts", "list"), ("search", "speed", "cameras"),
                                    ("export", "--format", "csv", "--what", "logs", "-o", export), None])
        while not self.stop.is_set():
            args = next(commands)
            draft = self._pick(lambda d: d % 4 < 2) if args is None else None
            if args is None and draft is None:
                continue
            args = args or ("drafts", "approve", str(draft), "--by", OPERATOR[0])
            result = crumail("--config", str(self.cfg), *args, timeout=HANG_GUARD)
            self.requests[args[0]] += 1
            if result.returncode != 0:
                self.problems.append(f"crumail {' '.join(args)}: exit {result.returncode}: {result.stderr[-500:]}")
            elif draft is not None:
                self.approved[draft] = "cli"

    def desk(self) -> None:
        client = DeskClient(self.desk_url, timeout=HANG_GUARD)
        logged_in = False
        while not self.stop.is_set():
            try:
                if not logged_in:
                    client.log_in(*OPERATOR)
                    logged_in = True
                self._desk_round(client)
            except (OSError, http.client.HTTPException):
                self.requests["desk down"] += 1     # killed: the next round connects again
                self.stop.wait(0.1)

    def _desk_round(self, client: DeskClient) -> None:
        for path in ("/queue", "/search?q=speed+cameras", "/sources"):
            status, _, _ = client.request("GET", path)
            self._answered(path, status)
        draft = self._pick(lambda d: d % 4 >= 2)
        if draft is None:
            return
        token = client.csrf(f"/drafts/{draft}")
        status, _, headers = client.request("POST", f"/drafts/{draft}/approve", {"csrf": token, "comment": ""})
        if status == 303 and "done=approved" in headers.get("Location", ""):
            self.approved[draft] = "desk"
        else:
            self.problems.append(f"desk approve {draft}: HTTP {status}")

    def _answered(self, path: str, status: int) -> None:
        self.requests[path] += 1
        if status != 200:
            self.problems.append(f"desk GET {path}: HTTP {status}")


def counts(database: Path) -> tuple[int, int, int]:
    """Messages stored, drafts, and drafts handed to the SMTP server (sent or unconfirmed)."""
    return tuple((query(database, sql) or [(0,)])[0][0] for sql in (
        "SELECT count(*) FROM messages", "SELECT count(*) FROM drafts",
        "SELECT count(*) FROM drafts WHERE state IN ('sent', 'unconfirmed')"))


def settled(database: Path) -> bool:
    """Everything taken in and drafted, and no approved draft still waiting to leave."""
    return settle_state(database) == (TOTAL, 2 * (TOTAL // REFERRAL_EVERY), 0)


def settle_state(database: Path) -> tuple[int, int, int]:
    """(messages stored, drafts made, approved drafts not yet sent): said when the guard fires."""
    messages, drafts, _ = counts(database)
    waiting = query(database, "SELECT count(*) FROM drafts WHERE state IN ('approved', 'sending')")
    return messages, drafts, waiting[0][0]


def _settle(database: Path, actors, log: Path) -> None:
    try:
        wait_for(lambda: settled(database) or actors.problems, timeout=HANG_GUARD, every=0.2)
    except AssertionError:
        raise AssertionError(f"not settled: (messages, drafts, waiting) = {settle_state(database)}, "
                             f"want {(TOTAL, 2 * (TOTAL // REFERRAL_EVERY), 0)}; daemon log tail:\n"
                             f"{log.read_text(errors='replace')[-3000:]}") from None


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/healthz", timeout=5) as reply:
            return reply.status == 200
    except OSError:
        return False


def kill_moment(rng: random.Random, database: Path, desk_url: str):
    """A moment to kill the daemon at: just after it stored mail, sent a draft, or began to serve."""
    before = counts(database)
    kind = rng.choice(("stored", "stored", "sent", "serving"))
    if kind == "serving":
        return kind, lambda: answers(desk_url)
    index = 0 if kind == "stored" else 2
    return kind, lambda: counts(database)[index] > before[index]


def run_and_kill(rng: random.Random, cfg: Path, log: Path, database: Path, actors: "Actors") -> str | None:
    """One life of the daemon, SIGKILLed at a random moment; what it was doing, or None if idle."""
    kind, moment = kill_moment(rng, database, actors.desk_url)
    daemon = start_crumail("--config", str(cfg), "run", log=log)
    give_up = time.monotonic() + ROUND_GUARD   # nothing to store or send this time: kill it anyway
    try:
        wait_for(lambda: moment() or daemon.poll() is not None or time.monotonic() > give_up or actors.problems,
                 timeout=HANG_GUARD, every=0.05)
        hit = moment() and daemon.poll() is None
        time.sleep(rng.uniform(0, 0.2))
        assert daemon.poll() is None, f"the daemon exited by itself ({daemon.returncode}): {log.read_text()[-2000:]}"
    finally:
        daemon.kill()
        daemon.wait(HANG_GUARD)
    return kind if hit else None


@pytest.mark.slow
@pytest.mark.server
@pytest.mark.timeout(1200)
def test_the_daemon_killed_20_times_beside_the_desk_and_the_cli_loses_and_repeats_nothing(
        dovecot, imap_user, smtp_server, tmp_path):
    port = free_port()
    desk_url = f"http://127.0.0.1:{port}"
    database = tmp_path / "crumail.db"
    cfg = write_toml(tmp_path / "crumail.toml",
                     dovecot.source_options(imap_user, move_to="Archive", fetch_chunk=5),
                     daemon={"batch_size": 5}, web={"enabled": True, "host": "127.0.0.1", "port": port},
                     smtp=smtp_server.smtp_table(), send={"transport": "smtp", "interval": 1,
                                                          "retry_delays": [0.2], "retry_after": 1},
                     redaction={"internal_domains": ["police.uk"]})
    password = tmp_path / "otto.password"
    password.write_text(OPERATOR[1] + "\n")
    made = crumail("--config", str(cfg), "user", "add", OPERATOR[0], "--password-file", str(password))
    assert made.returncode == 0, made.stderr
    log = tmp_path / "daemon.log"
    rng = random.Random(9)
    killed_at: list[str | None] = []
    with Actors(dovecot, imap_user, database, cfg, desk_url, tmp_path) as actors:
        for _ in range(KILLS):
            killed_at.append(run_and_kill(rng, cfg, log, database, actors))
            actors.rounds += 1
            assert actors.problems == [], actors.problems[:5]    # fail at once, not at the hang guard
        actors.rounds += 1
        daemon = start_crumail("--config", str(cfg), "run", log=log)
        wait_for(lambda: actors.arrived() or actors.problems, timeout=HANG_GUARD, every=0.1)
        _settle(database, actors, log)
    _settle(database, actors, log)  # last approvals
    daemon.terminate()
    assert daemon.wait(HANG_GUARD) == 0, log.read_text()[-3000:]

    print(f"kill moments {Counter(killed_at)}, approvals {Counter(actors.approved.values())}, "
          f"states {query(database, 'SELECT state, count(*) FROM drafts GROUP BY 1')}, "
          f"requests {dict(actors.requests)}, deliveries {len(smtp_server.messages)}")
    assert actors.problems == [], actors.problems
    busy = Counter(killed_at)
    assert sum(n for kind, n in busy.items() if kind) >= KILLS // 2, busy   # most kills hit work in hand
    assert len(actors.approved) >= 10 and {"cli", "desk"} <= set(actors.approved.values()), actors.requests
    expected = mailgen.message_ids(TOTAL, "torture")
    _stored_once(database, expected)
    _on_the_server_once(dovecot, imap_user, expected)
    _drafted_once_approved_kept_sent_at_most_once(database, actors.approved, smtp_server)
    assert query(database, "PRAGMA integrity_check") == [("ok",)]
    assert query(database, "PRAGMA foreign_key_check") == []


def _stored_once(database: Path, expected: set[str]) -> None:
    conn = sqlite3.connect(database)
    try:
        ids = stored_ids(conn)
    finally:
        conn.close()
    assert Counter(ids).most_common(1)[0][1] == 1 and set(ids) == expected


def _on_the_server_once(dovecot, user: str, expected: set[str]) -> None:
    found: list[str] = []
    with dovecot.client(user) as client:
        for folder in ("INBOX", "Archive"):
            client.select_folder(folder, readonly=True)
            fetched = client.fetch(client.search("ALL"), ["BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)]"])
            found += [email.message_from_bytes(f[b"BODY[HEADER.FIELDS (MESSAGE-ID)]"])["Message-ID"]
                      for f in fetched.values()]
    assert sorted(found) == sorted(expected)


def _drafted_once_approved_kept_sent_at_most_once(database: Path, approved: dict[int, str], smtp) -> None:
    assert query(database, "SELECT message, template FROM drafts GROUP BY 1, 2 HAVING count(*) > 1") == []
    states = dict(query(database, "SELECT id, state FROM drafts WHERE approved_by IS NOT NULL"))
    assert {draft: states.get(draft) for draft in approved} == {
        draft: states.get(draft) for draft in approved if states.get(draft) in ("sent", "unconfirmed")}
    audited = {r[0] for r in query(database, "SELECT draft FROM draft_audit WHERE action = 'approved'")}
    assert set(approved) <= audited and set(states) <= audited
    assert set(states.values()) <= {"sent", "unconfirmed"}
    delivered = Counter(email.message_from_bytes(m.data, policy=policy.default)["Message-ID"]
                        for m in smtp.messages)
    assert all(count == 1 for count in delivered.values()), delivered.most_common(3)
    by_state = dict(query(database, "SELECT message_id, state FROM drafts WHERE message_id IS NOT NULL"))
    assert set(delivered) <= {m for m, s in by_state.items() if s in ("sent", "unconfirmed")}
    assert {m for m, s in by_state.items() if s == "sent"} <= set(delivered)
