"""``crumail import`` speed against mail-parser's own parse rate, in the same run.

    .venv/bin/python bench/import.py [--count 20000] [--format mbox|maildir]

Generates ``--count`` old messages (half of them referrals, the kind that
would be drafted; fictitious people only), writes them as one mbox file (or
a Maildir), then prints (a) mail-parser's ``parse_from_bytes`` alone over
the same messages, (b) ``crumail import`` of the archive end to end (a
subprocess: start-up, read, parse, extract, store, commit; no drafts), their
rates and the ratio, and the drafts and log numbers made (both must be 0).
"""

from __future__ import annotations

import argparse
import sqlite3
import subprocess
import sys
import tempfile
import time
from contextlib import closing
from pathlib import Path

import mailparser

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
from support import mailgen  # noqa: E402
from support.mail import referral, utc  # noqa: E402


def history(count: int) -> list[bytes]:
    return [referral(utc(2015, 3, 1 + n % 28), message_id=f"<ref-{n}@eastmoor.example.police.uk>")
            .replace(b"\r\n", b"\n") if n % 2 == 0 else mailgen.message(n, "hist").replace(b"\r\n", b"\n")
            for n in range(count)]


def write(archive: Path, mails: list[bytes], form: str) -> None:
    if form == "mbox":
        with open(archive, "wb") as out:
            for data in mails:
                out.write(b"From archive@example.com Mon Mar  2 09:00:00 2015\n"
                          + data.replace(b"\nFrom ", b"\n>From ") + b"\n")
        return
    for part in ("cur", "new", "tmp"):
        (archive / part).mkdir(parents=True)
    for n, data in enumerate(mails):
        (archive / "cur" / f"{1420070400 + n}.M{n}P1.bench:2,S").write_bytes(data)


def raw_parse_rate(mails: list[bytes]) -> float:
    start = time.perf_counter()
    for blob in mails:
        mailparser.parse_from_bytes(blob)
    return len(mails) / (time.perf_counter() - start)


def import_rate(archive: Path, count: int, work: Path) -> tuple[float, Path]:
    config = work / "bench.toml"
    database = work / "bench.db"
    config.write_text(f'[database]\npath = "{database}"\n')
    start = time.perf_counter()
    subprocess.run([str(ROOT / ".venv/bin/crumail"), "--config", str(config), "import", str(archive)],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return count / (time.perf_counter() - start), database


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=20_000)
    parser.add_argument("--format", choices=("mbox", "maildir"), default="mbox")
    args = parser.parse_args()
    mails = history(args.count)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        archive = work / ("history.mbox" if args.format == "mbox" else "Maildir")
        write(archive, mails, args.format)
        print(f"corpus: {len(mails)} messages ({args.format}), "
              f"{sum(map(len, mails)) / 1e6:.1f} MB, half of them referrals")
        raw = raw_parse_rate(mails)
        ours, database = import_rate(archive, len(mails), work)
        with closing(sqlite3.connect(database)) as db:
            stored, drafts, logs = (db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                                    for t in ("messages", "drafts", "log_counters"))
    print(f"(a) mail-parser parse_from_bytes alone: {raw:8.1f} msg/s")
    print(f"(b) crumail import end to end:          {ours:8.1f} msg/s")
    print(f"ratio crumail import / mail-parser: {ours / raw:.2f}")
    print(f"stored {stored}, drafts {drafts}, log numbers allocated {logs} (both must be 0)")


if __name__ == "__main__":
    main()
