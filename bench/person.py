"""Subject access speed: `person find` on a 10,000-message store against a
plain LIKE scan of the stored text for the surname, measured in the same run.

    .venv/bin/python bench/person.py [--count 10000] [--work DIR]

Builds the store from tests/data/person's corpus (``--scale``) with
``crumail ingest`` (kept in --work to run again), builds the person index
once (reported), then times ``person.find`` for the planted applicant (name,
email, phone, address) and the LIKE scan, median of 5 each.  Goal: under
2 s on 10,000 messages.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).parent))

from backup import timed  # noqa: E402  (median of rounds)

from crumail.privacy.person import Person, bring_up_to_date, find  # noqa: E402
from crumail.store import open_database  # noqa: E402

GENERATOR = ROOT / "tests" / "data" / "person" / "make_person_corpus.py"
APPLICANT = Person("Rosalind Okafor-Hale", ("rosalind.okafor-hale@example.net",), ("07700 900461",),
                   ("27 Quillon Terrace, Ashbridge, ZZ9 4QT",))


def build(work: Path, count: int) -> Path:
    database = work / "bench.db"
    if database.exists():
        return database
    mail = work / "mail"
    subprocess.run([sys.executable, str(GENERATOR), str(mail), "--scale", str(count)], check=True)
    config = work / "bench.toml"
    config.write_text(f'[database]\npath = "{database}"\n')
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import sys; from crumail.cli import main; sys.exit(main())", "--config", str(config), "ingest", str(mail)],
                   check=True, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    print(f"ingest of {count:,} messages: {time.perf_counter() - started:.1f} s")
    return database


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--work", type=Path, default=Path("/tmp/crumail-bench-person"))
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    db = open_database(build(args.work, args.count))
    messages = db.execute("SELECT count(*) FROM messages").fetchone()[0]
    started = time.perf_counter()
    indexed = bring_up_to_date(db)
    print(f"person index: {indexed:,} messages indexed in {time.perf_counter() - started:.1f} s (once)")
    found = find(db, APPLICANT)
    search = timed(lambda: find(db, APPLICANT), 5)
    scan = timed(lambda: db.execute(
        "SELECT count(*) FROM messages WHERE text LIKE '%okafor-hale%'").fetchone(), 5)
    print(f"{messages:,} messages; person find: {len(found.messages)} messages, {len(found.hits)} places")
    print(f"person find median {search * 1000:.0f} ms; LIKE scan of the text median {scan * 1000:.0f} ms; "
          f"ratio {search / scan:.2f}; goal < 2 s: {'met' if search < 2 else 'MISSED'}")


if __name__ == "__main__":
    main()
