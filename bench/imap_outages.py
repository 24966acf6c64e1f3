"""Recovery after repeated outages: Dovecot killed mid-sync, again and again.

The daemon (IDLE watcher, the default reconnect settings: 1 s doubling to
300 s) syncs a large folder while this script kills Dovecot with SIGKILL,
keeps it down for ``--down`` seconds and starts it again, ``--outages``
times.  For each outage it prints how long after the restart the next
message was committed, and the ratio of the last to the first: with the
backoff reset by progress it stays near 1 however many outages came
before (it was 51.6 / 2.4 = 21.5 when only a whole good cycle reset it).

    .venv/bin/python bench/imap_outages.py [--outages 5] [--down 2]

Needs Debian's dovecot-imapd (``make debs``).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "tests")]

from crumail.config import from_dict  # noqa: E402
from crumail.intake.daemon import Daemon  # noqa: E402
from support import mailgen  # noqa: E402
from support.servers.dovecot import PASSWORD, Dovecot  # noqa: E402

USER = "cru@example.police.uk"


def stored(db) -> int:
    return db.execute("SELECT count(*) FROM ledger").fetchone()[0]


def wait_until(predicate, timeout: float) -> float:
    started = time.monotonic()
    while not predicate():
        if time.monotonic() - started > timeout:
            raise SystemExit(f"gave up after {timeout} s")
        time.sleep(0.005)
    return time.monotonic() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--outages", type=int, default=5)
    parser.add_argument("--down", type=float, default=2.0, help="seconds the server stays down")
    parser.add_argument("--messages", type=int, default=2000)
    args = parser.parse_args()
    os.environ["CRUMAIL_TEST_IMAP_PASSWORD"] = PASSWORD
    server = Dovecot().start()
    try:
        server.append(USER, "INBOX", [mailgen.message(n, "outage", size=20_000)
                                      for n in range(1, args.messages + 1)])
        with tempfile.TemporaryDirectory() as work:
            options = server.source_options(USER, fetch_chunk=10)
            config = from_dict({"database": {"path": str(Path(work) / "crumail.db")},
                                "source": [options], "daemon": {"batch_size": 10}}, Path(work))
            resumed = run(server, config, args)
    finally:
        server.destroy()
    for n, seconds in enumerate(resumed, 1):
        print(f"outage {n}: next commit {seconds:.2f} s after the restart")
    print(f"median {statistics.median(resumed):.2f} s; last / first = {resumed[-1] / resumed[0]:.2f} "
          f"(goal: under 2; 21.5 before the backoff was reset by progress)")


def run(server: Dovecot, config, args) -> list[float]:
    daemon = Daemon(config)
    db = daemon.db()
    thread = threading.Thread(target=daemon.run_forever, daemon=True)
    thread.start()
    resumed = []
    try:
        for _ in range(args.outages):
            before = stored(db)
            wait_until(lambda: stored(db) >= before + 20, timeout=600)
            server.kill()
            time.sleep(args.down)
            server.start()
            at_restart = stored(db)
            resumed.append(wait_until(lambda: stored(db) > at_restart, timeout=600))
            if stored(db) >= args.messages:
                raise SystemExit("the folder was synced before the last outage: raise --messages")
    finally:
        daemon.stopping.set()
        thread.join(30)
    return resumed


if __name__ == "__main__":
    main()
