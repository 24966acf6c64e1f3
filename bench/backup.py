"""`crumail backup` against a plain copy of the same database file, in the same run.

    .venv/bin/python bench/backup.py [--count 2000] [--rounds 3]

Builds a database with ``crumail ingest`` of the generated corpus
(bench/corpus.py), then times (a) copying its file with shutil.copyfile once
nobody has it open (the floor: bytes moved, no consistency), (b)
``crumail.store.backup.backup``: SQLite's online backup of one snapshot, the
switch to a rollback journal, integrity_check, fsync and rename.  Prints the
median of each and the ratio (b)/(a); the integrity_check is most of it.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).parent))

from corpus import build  # noqa: E402

from crumail.store import open_database  # noqa: E402
from crumail.store.backup import backup  # noqa: E402


def make_database(work: Path, count: int) -> Path:
    folder = work / "mail"
    folder.mkdir()
    build(folder, count)
    config = work / "bench.toml"
    config.write_text(f'[database]\npath = "{work / "bench.db"}"\n')
    subprocess.run([str(ROOT / ".venv/bin/crumail"), "--config", str(config), "ingest", str(folder)],
                   check=True, capture_output=True, cwd=ROOT)
    return work / "bench.db"


def timed(action, rounds: int) -> float:
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="crumail-bench-backup-") as tmp:
        work = Path(tmp)
        database = make_database(work, args.count)
        size = database.stat().st_size
        plain = timed(lambda: shutil.copyfile(database, work / "plain.db"), args.rounds)
        db = open_database(database)
        online = timed(lambda: backup(db, work / "online.db"), args.rounds)
        db.close()
    print(f"database: {args.count} messages, {size / 1e6:.1f} MB")
    print(f"plain file copy (closed database):      median {plain * 1000:8.1f} ms")
    print(f"crumail backup (online, verified, sync): median {online * 1000:8.1f} ms")
    print(f"ratio: {online / plain:.1f}x a plain copy; {size / online / 1e6:.0f} MB/s")


if __name__ == "__main__":
    main()
