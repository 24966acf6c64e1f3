"""What `PRAGMA secure_delete=ON` (set on every crumail connection) costs.

    .venv/bin/python bench/secure_delete.py [--count 2000]

Writes ``count`` messages of about 20 KB (raw bytes and text) into a table
shaped like the store's, 50 to a transaction, under WAL and synchronous=
NORMAL as crumail opens its database; then erases them all (raw bytes and
text emptied, as `crumail retention apply` does), 100 to a transaction.
Off and on interleaved, three times each in the same run; prints each
phase's best rate and the ratio on/off.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import tempfile
import time
from pathlib import Path


def run(folder: Path, count: int, secure: bool) -> tuple[float, float]:
    path = folder / f"bench-{int(secure)}.db"
    db = sqlite3.connect(path, isolation_level=None)
    db.execute(f"PRAGMA secure_delete={'ON' if secure else 'OFF'}")
    db.execute("PRAGMA auto_vacuum=INCREMENTAL")
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    db.execute("CREATE TABLE messages (id INTEGER PRIMARY KEY, sha256 TEXT UNIQUE, text TEXT, raw BLOB)")
    rows = [(os.urandom(32).hex(), "word " * 2000, os.urandom(10_000)) for _ in range(count)]
    started = time.perf_counter()
    for start in range(0, count, 50):
        db.execute("BEGIN IMMEDIATE")
        db.executemany("INSERT INTO messages (sha256, text, raw) VALUES (?,?,?)", rows[start:start + 50])
        db.execute("COMMIT")
    write = count / (time.perf_counter() - started)
    started = time.perf_counter()
    for start in range(1, count + 1, 100):
        db.execute("BEGIN IMMEDIATE")
        db.execute("UPDATE messages SET raw = x'', text = '' WHERE id BETWEEN ? AND ?", [start, start + 99])
        db.execute("COMMIT")
    db.execute("PRAGMA incremental_vacuum")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    erase = count / (time.perf_counter() - started)
    db.close()
    return write, erase


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=2000)
    args = parser.parse_args()
    results: dict[bool, list[tuple[float, float]]] = {False: [], True: []}
    for round_ in range(3):          # interleaved, best of 3 each: the machine is shared
        for secure in (False, True):
            with tempfile.TemporaryDirectory() as folder:
                results[secure].append(run(Path(folder), args.count, secure))
    off = (max(r[0] for r in results[False]), max(r[1] for r in results[False]))
    on = (max(r[0] for r in results[True]), max(r[1] for r in results[True]))
    print(f"secure_delete off: write {off[0]:,.0f} msg/s, erase {off[1]:,.0f} msg/s")
    print(f"secure_delete on:  write {on[0]:,.0f} msg/s, erase {on[1]:,.0f} msg/s")
    print(f"ratio on/off: write {on[0] / off[0]:.2f}, erase {on[1] / off[1]:.2f}")


if __name__ == "__main__":
    main()
