"""IMAP benchmark: crumail against a Dovecot this script starts, in one run.

1. First sync and ingest of 5,000 generated messages, beside mbsync (isync)
   syncing the same folder to a Maildir.  Goal: crumail <= 2x mbsync.
2. A poll with nothing new on mailboxes of 1,000 and 20,000 messages:
   the cost ratio must stay under 1.5 and bytes fetched must be 0.
3. IDLE latency, APPEND to stored, median and 95th percentile over 50
   messages.  Goal: p95 under 1 s.

    .venv/bin/python bench/imap.py [--messages 5000] [--large 20000]

Needs Debian's dovecot-imapd and isync (``make debs``).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "tests")]

from crumail.config import from_dict  # noqa: E402
from crumail.intake.daemon import Daemon  # noqa: E402
from crumail.intake.pipeline import run_source  # noqa: E402
from crumail.sources.imap.source import ImapSource  # noqa: E402
from support import mailgen  # noqa: E402
from support.servers.dovecot import PASSWORD, Dovecot  # noqa: E402

PASSWORD_ENV = "CRUMAIL_TEST_IMAP_PASSWORD"
SETTLE_SECONDS = 2.5     # Dovecot re-reads a folder for ~2 s after a large delivery


def config(folder: Path, server: Dovecot, user: str, **options):
    raw = {"database": {"path": str(folder / "crumail.db")},
           "source": [server.source_options(user, **options)]}
    return from_dict(raw, folder)


def deliver(server: Dovecot, user: str, count: int, tag: str) -> None:
    server.deliver_files(user, mailgen.messages(count, tag))
    with server.client(user, timeout=120) as client:     # let Dovecot index them now
        client.select_folder("INBOX", readonly=True)
    time.sleep(SETTLE_SECONDS)


def mbsync_seconds(server: Dovecot, user: str, work: Path, fsync: bool = True) -> float:
    maildir = work / "maildir"
    maildir.mkdir(parents=True)
    rc = work / "mbsyncrc"
    rc.write_text(
        f"FSync {'yes' if fsync else 'no'}\n\n"
        f"IMAPAccount bench\nHost {server.host}\nPort {server.port}\nUser {user}\nPass {PASSWORD}\n"
        "SSLType None\nAuthMechs LOGIN\n\nIMAPStore far\nAccount bench\n\n"
        f"MaildirStore near\nPath {maildir}/\nInbox {maildir}/INBOX\n\n"
        "Channel bench\nFar :far:\nNear :near:\nPatterns INBOX\nCreate Near\nSync Pull\nSyncState *\n")
    started = time.perf_counter()
    result = subprocess.run(["mbsync", "-q", "-c", str(rc), "bench"], capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"mbsync failed: {result.stderr.strip()}")
    return time.perf_counter() - started


def first_sync(server: Dovecot, work: Path, count: int) -> None:
    user = "first@example.police.uk"
    deliver(server, user, count, "bench-first")
    with server.client(user, timeout=120) as client:     # warm Dovecot's cache for both
        client.select_folder("INBOX", readonly=True)
        client.fetch(client.search(["ALL"]), ["BODY.PEEK[]"])
    mbsync = mbsync_seconds(server, user, work / "mbsync")
    mbsync_nofsync = mbsync_seconds(server, user, work / "mbsync-nofsync", fsync=False)
    (work / "crumail").mkdir()
    started = time.perf_counter()
    daemon = Daemon(config(work / "crumail", server, user, fetch_chunk=200))
    report = daemon.run_once()
    ours = time.perf_counter() - started
    stored = next(iter(report.values())).counts["stored"]
    assert stored == count, report
    transport = fetch_only_seconds(server, user, work / "fetch-only")
    print(f"first sync of {count:,} messages: crumail {ours:.2f} s (fetch, parse, extract, store); "
          f"mbsync {mbsync:.2f} s (to Maildir, fsync per message, its default): ratio {ours / mbsync:.2f}x; "
          f"mbsync with FSync no {mbsync_nofsync:.2f} s: ratio {ours / mbsync_nofsync:.2f}x (goal <= 2x)")
    print(f"  of which the IMAP side alone (ImapSource.fetch of {count:,} bodies, no parse or store): "
          f"{transport:.2f} s, {transport / mbsync_nofsync:.2f}x mbsync without fsync")


def fetch_only_seconds(server: Dovecot, user: str, folder: Path) -> float:
    folder.mkdir()
    cfg = config(folder, server, user, fetch_chunk=200)
    db = Daemon(cfg).db()
    source = ImapSource(cfg.sources[0], db)
    started = time.perf_counter()
    fetched = sum(1 for _ in source.fetch())
    source.close()
    elapsed = time.perf_counter() - started
    assert fetched > 0
    return elapsed


def poll_cost(server: Dovecot, work: Path, sizes: tuple[int, ...], polls: int = 30) -> None:
    results = {}
    for size in sizes:
        user = f"poll{size}@example.police.uk"
        deliver(server, user, size, f"bench-poll{size}")
        folder = work / f"poll{size}"
        folder.mkdir()
        cfg = config(folder, server, user, mode="poll", fetch_chunk=500)
        daemon = Daemon(cfg)
        daemon.run_once()                      # the first sync, not measured
        time.sleep(SETTLE_SECONDS)
        db = daemon.db()
        full, fetched = [], 0
        for _ in range(polls):
            source = ImapSource(cfg.sources[0], db)
            started = time.perf_counter()
            report = run_source(db, source)
            full.append(time.perf_counter() - started)
            fetched += source.bytes_fetched + report.total
        results[size] = (statistics.median(full), fetched)
        print(f"poll with nothing new, {size:,} messages: median {results[size][0] * 1000:.2f} ms "
              f"(connect, log in, SELECT, log out) over {polls} polls; bytes fetched {fetched}")
    small, large = (results[s][0] for s in sizes)
    print(f"poll cost ratio {sizes[1]:,} / {sizes[0]:,} messages: {large / small:.2f} (goal < 1.5)")


def idle_latency(server: Dovecot, work: Path, count: int = 50) -> None:
    user = "idle@example.police.uk"
    server.append(user, "INBOX", mailgen.messages(1, "bench-idle-warm"))
    folder = work / "idle"
    folder.mkdir()
    daemon = Daemon(config(folder, server, user, mode="idle"))
    thread = threading.Thread(target=daemon.run_forever, daemon=True)
    thread.start()
    db = daemon.db()

    def stored() -> int:
        return db.execute("SELECT count(*) FROM ledger").fetchone()[0]

    _wait(lambda: stored() == 1)
    latencies = []
    with server.client(user) as person:
        for n in range(count):
            time.sleep(0.2)                    # back in IDLE
            before = stored()
            started = time.perf_counter()
            person.append("INBOX", mailgen.message(n, "bench-idle"))
            _wait(lambda: stored() > before, every=0.001)
            latencies.append(time.perf_counter() - started)
    daemon.stopping.set()
    thread.join(15)
    latencies.sort()
    p95 = latencies[max(0, round(0.95 * len(latencies)) - 1)]
    print(f"IDLE latency APPEND -> stored over {count} messages: median "
          f"{statistics.median(latencies) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, "
          f"max {latencies[-1] * 1000:.0f} ms (goal p95 < 1 s)")


def _wait(predicate, timeout: float = 30.0, every: float = 0.01) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise RuntimeError("timed out")
        time.sleep(every)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=5000)
    parser.add_argument("--small", type=int, default=1000)
    parser.add_argument("--large", type=int, default=20000)
    parser.add_argument("--idle", type=int, default=50)
    args = parser.parse_args()
    for tool in ("dovecot", "doveadm", "mbsync"):
        if not shutil.which(tool) and not Path(f"/usr/sbin/{tool}").exists():
            sys.exit(f"bench/imap.py: {tool} is not installed (make debs)")
    os.environ[PASSWORD_ENV] = PASSWORD
    work = Path(tempfile.mkdtemp(prefix="crumail-bench-imap-"))
    server = Dovecot().start()
    try:
        first_sync(server, work, args.messages)
        poll_cost(server, work, (args.small, args.large))
        idle_latency(server, work, args.idle)
    finally:
        server.destroy()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
