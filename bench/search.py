"""Benchmark ``crumail search`` on a casebook of 10,000 generated logs.

Builds a temporary database through the store's own path (messages.insert,
which records each extraction in the casebook), then times the library
function the CLI calls for a set of realistic queries, and the CLI itself in
a subprocess for reference.  A baseline measured in the same run on the same
database (a LIKE scan of question text, which is what searching without the
FTS5 index would cost) gives the ratio, so the figures mean something on any
machine.  Goal: median under 50 ms.

    .venv/bin/python bench/search.py [--logs 10000] [--rounds 5]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from crumail.extract.model import Advice, CrossReference, Extraction, Question  # noqa: E402
from crumail.intake.prepare import Ingested  # noqa: E402
from crumail.model import ParsedMail, RawMessage  # noqa: E402
from crumail.store import open_database, search  # noqa: E402
from crumail.store.db import transaction  # noqa: E402
from crumail.store.messages import insert  # noqa: E402

SUBJECTS = [
    "registered sex offenders", "drones", "firearms licences", "body worn video cameras",
    "stop and search encounters", "Taser discharges", "hate crime reports", "cyber crime reports",
    "missing persons reports", "domestic abuse incidents", "vehicle pursuits", "police dogs",
    "overtime payments", "sickness absence days", "facial recognition deployments",
    "covert human intelligence sources", "automatic number plate recognition cameras",
    "misconduct hearings", "spit hoods", "mobile phone extractions", "knife crime offences",
    "county lines investigations", "modern slavery referrals", "fraud reports",
    "road traffic collisions", "custody deaths", "police vehicles", "helicopter deployments",
    "counter terrorism referrals", "protest policing operations", "speed camera fines",
    "animal welfare incidents", "wildlife crime offences", "stalking protection orders",
]
VERBS = ["were recorded", "were reported", "were investigated", "were deployed", "were purchased",
         "were used", "went missing", "were charged", "were refused", "were disclosed"]
PERIODS = ["in each of the past three financial years", "since 1 January 2019",
           "in the last calendar year", "between 2018 and 2023", "in each month of 2022"]
TEMPLATES = [
    "How many {subject} {verb} {period}?",
    "Please provide the number of {subject} that {verb} {period}, broken down by district.",
    "What was the total cost of {subject} {period}?",
    "Does your force hold a policy on {subject}? If so please provide a copy.",
    "Of the {subject} {verb} {period}, how many resulted in a complaint?",
    "Please state how many officers are trained in relation to {subject}.",
]
ADVICE = [
    "We see no harm in providing total figures per year if able to do so.",
    "This may have s12 cost considerations if the information is not easily retrievable.",
    "Disclosure at district level risks identifying individuals, so s40(2) should be considered.",
    "Forces have released similar data previously; s21 applies if already published.",
    "Tactical detail would be likely to prejudice law enforcement, consider s31(1)(a) and s24.",
    "Neither confirm nor deny is appropriate under s23(5) for any security body involvement.",
    "Policy documents are routinely published; please check the force website first.",
]
FORCES = ["Lancashire Constabulary", "Example Police", "Northshire Police", "Westvale Constabulary",
          "National", "Eastmoor Police", "Southdown Constabulary"]
QUERIES = [
    "sex offenders missing", "drones purchased", "firearms licences refused", "body worn video",
    "Taser discharges complaint", "facial recognition deployments", "overtime payments cost",
    "missing persons", "county lines", "s12 cost", "stalking protection orders",
    "covert human intelligence sources", "policy copy", "vehicle pursuits collisions",
    "hate crime", "speed camera fines district",
]


def generate(count: int, seed: int = 2023):
    """(log, extraction, date) for ``count`` fictitious logs, numbered from 1
    each year as the unit numbers them; one in ten refers to an earlier log."""
    rng = random.Random(seed)
    start = datetime(2014, 1, 6, 8, tzinfo=timezone.utc)
    numbers: dict[int, int] = {}
    earlier: list[str] = []
    for i in range(count):
        date = start + timedelta(hours=i * 8)
        numbers[date.year] = numbers.get(date.year, 0) + 1
        log = f"{numbers[date.year]}/{date.year % 100:02d}"
        questions = tuple(
            Question(n, f"{n})", rng.choice(TEMPLATES).format(
                subject=rng.choice(SUBJECTS), verb=rng.choice(VERBS), period=rng.choice(PERIODS)))
            for n in range(1, rng.randint(2, 8) + 1))
        advice = tuple(Advice((n,), f"Q{n}", rng.choice(ADVICE)) for n in range(1, len(questions) + 1)
                       if rng.random() < 0.7)
        refs = (CrossReference(rng.choice(earlier), (1,), (1,)),) \
            if earlier and rng.random() < 0.1 else ()
        earlier.append(log)
        yield log, Extraction(kind="circulation", log_numbers=(log,), primary_log=log,
                              circulation_date=date.date().isoformat(), case_worker="S.40(2)",
                              logged_with=rng.choice(FORCES), questions=questions, advice=advice,
                              related_logs=tuple(r.log for r in refs), cross_references=refs), date


def build(path: Path, count: int) -> float:
    db = open_database(path)
    started = time.perf_counter()
    items = list(generate(count))
    for offset in range(0, len(items), 500):
        with transaction(db):
            for log, extraction, date in items[offset:offset + 500]:
                name = f"bench-{log}-{date.isoformat()}"
                parsed = ParsedMail(format="eml", sha256=hashlib.sha256(name.encode()).hexdigest(),
                                    size=len(name), subject=f"Log No. {log} CRU Circulation", date=date)
                raw = RawMessage(data=name.encode(), source="bench", key=name)
                insert(db, Ingested(raw, parsed, extraction))
    db.execute("PRAGMA optimize")
    db.close()
    return time.perf_counter() - started


def timed(fn, rounds: int) -> list[float]:
    samples = []
    for _ in range(rounds):
        for query in QUERIES:
            started = time.perf_counter()
            fn(query)
            samples.append((time.perf_counter() - started) * 1000)
    return samples


def summary(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]


def cli_samples(config: Path, runs: int) -> list[float]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-c", "from crumail.cli import main; main()",
               "--config", str(config), "search", "--limit", "20"]
    samples = []
    for query in QUERIES[:runs]:
        started = time.perf_counter()
        subprocess.run([*command, query], env=env, check=True, capture_output=True)
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--logs", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.db"
        built = build(path, args.logs)
        db = open_database(path)
        counts = {t: db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                  for t in ("logs", "questions", "advice")}
        print(f"casebook: {counts['logs']} logs, {counts['questions']} questions, "
              f"{counts['advice']} advice blocks (built in {built:.1f} s, "
              f"{path.stat().st_size / 1e6:.1f} MB)")
        search.search(db, "warm up the page cache")
        fts = timed(lambda q: search.search(db, q, limit=20), args.rounds)
        like = timed(lambda q: db.execute(
            "SELECT count(*) FROM questions WHERE text LIKE ?", [f"%{q.split()[0]}%"]).fetchone(),
            args.rounds)
        count = timed(lambda q: db.execute("SELECT count(*) FROM questions").fetchone(), args.rounds)
        sim = [_timed_once(lambda: search.similar(db, log, limit=3))
               for log in [r[0] for r in db.execute("SELECT log FROM logs ORDER BY random() LIMIT 20")]]
        db.close()
        config = Path(folder) / "crumail.toml"
        config.write_text(f'[database]\npath = "{path}"\n')
        cli = cli_samples(config, 5)
    _report(len(QUERIES) * args.rounds, fts, like, count, sim, cli)


def _timed_once(fn) -> float:
    started = time.perf_counter()
    fn()
    return (time.perf_counter() - started) * 1000


def _report(n: int, fts, like, count, sim, cli) -> None:
    fts_med, fts_p95 = summary(fts)
    like_med, like_p95 = summary(like)
    print(f"search (library, FTS5 bm25, limit 20), {n} queries: median {fts_med:.2f} ms, p95 {fts_p95:.2f} ms")
    print(f"baseline LIKE '%word%' scan of questions:      median {like_med:.2f} ms, p95 {like_p95:.2f} ms")
    print(f"baseline SELECT count(*) FROM questions:       median {summary(count)[0]:.2f} ms")
    print(f"ratio search / LIKE scan (median): {fts_med / like_med:.2f}")
    print(f"similar (library, limit 3), 20 random logs:    median {summary(sim)[0]:.2f} ms, p95 {summary(sim)[1]:.2f} ms")
    print(f"crumail search via CLI subprocess (process start included), {len(cli)} runs: "
          f"median {summary(cli)[0]:.0f} ms")
    verdict = "PASS" if fts_med < 50 else "FAIL"
    print(f"goal: median under 50 ms -> {verdict}")


if __name__ == "__main__":
    main()
