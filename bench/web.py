"""Review desk speed: the queue and a log page against a /healthz baseline.

    .venv/bin/python bench/web.py [--drafts 10000] [--logs 10000] [--requests 300]

Fills a temporary database through the store (logs with questions and
advice through the casebook, drafts through the drafts store), serves the
desk with ``start_in_thread`` on a free loopback port, logs in over HTTP and
times full requests with one keep-alive HTTP client, in the same run:

* ``/healthz`` (the baseline: the server and one SQLite query),
* ``/queue`` (the first page: drafts awaiting review, by deadline),
* ``/queue?state=all&page=100`` (a deep page),
* ``/logs/N/24`` (a random log: fields, questions beside advice, messages, drafts),
* ``/drafts/N`` (a random draft: the checks run on every view, and the
  casebook is asked for precedents),
* ``/drafts/N again`` (a draft viewed again, as after each review action:
  the precedents are remembered while the casebook's questions are unchanged),
* ``/messages/N`` (a message: each view writes a row of the access trail),
* ``/figures`` (the unit's figures, all time: counted once per change of the
  store and kept; the first count, and the count after one change of a
  draft, are timed on their own and printed).

Prints the median and 95th percentile of each and their ratio to /healthz.
Goal: the queue and a log page under 50 ms median and 150 ms p95; the
figures page under 100 ms median.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "tests")]

from crumail.config import from_dict  # noqa: E402
from crumail.extract.model import Advice, Extraction, Question  # noqa: E402
from crumail.intake.prepare import Ingested  # noqa: E402
from crumail.model import Address, DraftText, ParsedMail, RawMessage  # noqa: E402
from crumail.store import audit, drafts, messages, open_database, users  # noqa: E402
from crumail.store.db import transaction  # noqa: E402
from crumail.web import start_in_thread  # noqa: E402
from crumail.web.auth import hash_password  # noqa: E402
from support.desk import DeskClient as Browser  # noqa: E402

PASSWORD = "benchmark password"
TOPICS = ["speed cameras", "drones at public events", "registered sex offenders", "overtime",
          "body-worn video", "stop and search", "firearms licences", "cyber crime reports",
          "missing persons", "vehicle pursuits", "taser use", "domestic abuse arrests"]
SUBJECTS = ["cameras", "drones", "offenders", "overtime", "video", "searches", "licences", "fraud",
            "persons", "pursuits", "tasers", "arrests", "complaints", "vetting", "custody", "dogs",
            "helicopters", "cautions", "warrants", "informants", "protests", "knives", "burglary",
            "graffiti", "livestock", "wildlife", "bicycles", "scooters", "horses", "boats"]
MEASURES = ["incidents", "officers", "payments", "contracts", "deaths", "injuries", "hours",
            "vehicles", "referrals", "convictions", "training", "budgets", "staff", "appeals"]
BATCH = 500


def fill(db, logs: int, count: int) -> None:
    rng = random.Random(7)
    for start in range(1, logs + 1, BATCH):
        with transaction(db):
            for n in range(start, min(start + BATCH, logs + 1)):
                messages.insert(db, _circulation(n, rng))
    today = datetime.now(timezone.utc).date()
    states = ["drafted"] * 6 + ["edited", "approved", "sent", "rejected"]
    for start in range(1, count + 1, BATCH):
        with transaction(db):
            for n in range(start, min(start + BATCH, count + 1)):
                drafts.insert(db, None, _draft(n, rng, today, logs), state=rng.choice(states))


def _circulation(n: int, rng: random.Random) -> Ingested:
    log = f"{n}/24"
    topic = rng.choice(TOPICS)
    questions = tuple(Question(i, f"{i})", f"How many {rng.choice(MEASURES)} involving "
                                           f"{rng.choice(SUBJECTS)} and {rng.choice(SUBJECTS)} were "
                                           f"recorded in {2015 + i + n % 7}?") for i in range(1, 4))
    extraction = Extraction(
        kind="circulation", log_numbers=(log,), primary_log=log, circulation_date="2024-05-02",
        case_worker="S.40(2)", logged_with=f"Force {n % 43}", protective_marking="OFFICIAL-SENSITIVE",
        questions=questions, exemptions=("s12", "s31"),
        advice=(Advice((1, 2), "Q1 and Q2", f"Forces have released {topic} totals before; no harm seen."),
                Advice((), None, "Consider s12 if retrieval needs a manual search.")))
    raw = f"circulation {log}".encode()
    parsed = ParsedMail(format="eml", sha256=hashlib.sha256(raw).hexdigest(), size=len(raw),
                        subject=f"Log No. {log} - CRU Circulation - {topic}",
                        date=datetime(2024, 5, 3, tzinfo=timezone.utc),
                        from_=Address("NPCC CRU Mailbox", "cru@npcc.example.police.uk"),
                        text="\n".join(q.text for q in questions))
    return Ingested(RawMessage(raw, "bench", log), parsed, extraction)


def _draft(n: int, rng: random.Random, today: date, logs: int) -> DraftText:
    log = f"{rng.randint(1, logs)}/24"
    return DraftText(
        template="acknowledgement", log=log, from_address="cru@npcc.example.police.uk",
        to=(f"foi@force{n % 43}.example.police.uk",), subject=f"Re: Log No. {log} - {rng.choice(TOPICS)}",
        body="Dear colleague,\n\nThank you for your request; the unit's advice follows.\n\n"
             "Kind regards\nCentral Referral Unit\n" * 3,
        due_date=(today + timedelta(days=rng.randint(-10, 40))).isoformat(),
        force=f"Force {n % 43}")


def timed(client: Browser, paths, count: int) -> list[float]:
    took = []
    for i in range(count):
        path = paths(i) if callable(paths) else paths
        start = time.perf_counter()
        status, body, _ = client.request("GET", path)
        took.append((time.perf_counter() - start) * 1000)
        if status != 200:
            raise SystemExit(f"{path}: HTTP {status}")
    return took


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--drafts", type=int, default=10_000)
    parser.add_argument("--logs", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON too")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="crumail-bench-web-") as folder:
        root = Path(folder)
        config = from_dict({"database": {"path": str(root / "bench.db")},
                            "source": [{"type": "directory", "path": str(root / "inbox")}],
                            "web": {"port": 0}}, root)
        db = open_database(config.database)
        started = time.perf_counter()
        fill(db, args.logs, args.drafts)
        with transaction(db):
            users.add(db, "bench", "operator", hash_password(PASSWORD, "bench"))
        db.execute("ANALYZE")
        print(f"filled {args.logs} logs and {args.drafts} drafts in {time.perf_counter() - started:.1f} s")
        server = start_in_thread(config)
        try:
            report = run(server.url, args, db)
        finally:
            server.close()
    if args.json:
        print(json.dumps(report, indent=2))


def run(url: str, args, db) -> dict:
    client = Browser(url)
    client.log_in("bench", PASSWORD)
    rng = random.Random(11)
    logs = [rng.randint(1, args.logs) for _ in range(args.requests)]
    draft_ids = [rng.randint(1, args.drafts) for _ in range(args.requests)]
    pages = {
        "/healthz": "/healthz",
        "/queue": "/queue",
        "/queue?state=all&page=100": "/queue?state=all&page=100",
        "/logs/N/24": lambda i: f"/logs/{logs[i]}/24",
        "/drafts/N": lambda i: f"/drafts/{draft_ids[i]}",
        "/drafts/N again": lambda i: f"/drafts/{draft_ids[i % 20]}",
        "/messages/N": lambda i: f"/messages/{logs[i]}",
        "/figures": "/figures",
    }
    started = time.perf_counter()
    _, figures_page, _ = client.request("GET", "/figures")
    print(f"figures counted afresh: {(time.perf_counter() - started) * 1000:.0f} ms (once per change of the store)")
    if figures_page.count(b"<svg") < 5:
        raise SystemExit("the figures page has no charts")
    with transaction(db):                 # one change of a draft, as a review makes
        audit.record(db, 1, actor="bench", action="edited", from_state="drafted", to_state="edited",
                     body_sha256="0" * 64)
    started = time.perf_counter()
    client.request("GET", "/figures")
    print(f"figures counted again after one change: {(time.perf_counter() - started) * 1000:.0f} ms "
          "(each log's topic is read once)")
    for paths in pages.values():          # warm every thread's connection and the page cache
        timed(client, paths, 20)
    _, page, _ = client.request("GET", f"/logs/{logs[0]}/24")
    _, queue, _ = client.request("GET", "/queue")
    if b"Questions and advice" not in page or b"Q1 and Q2" not in page or queue.count(b"/drafts/") < 50:
        raise SystemExit("the pages measured are not the pages expected")
    print(f"log page {len(page)} bytes, queue page {len(queue)} bytes")
    figures = {name: timed(client, paths, args.requests) for name, paths in pages.items()}
    base = statistics.median(figures["/healthz"])
    base95 = p95(figures["/healthz"])
    print(f"{'page':28} {'median ms':>10} {'p95 ms':>8} {'x healthz (median)':>19} {'x healthz (p95)':>16}")
    report = {}
    for name, values in figures.items():
        median, high = statistics.median(values), p95(values)
        report[name] = {"median_ms": round(median, 2), "p95_ms": round(high, 2),
                        "median_ratio": round(median / base, 1), "p95_ratio": round(high / base95, 1)}
        print(f"{name:28} {median:10.2f} {high:8.2f} {median / base:19.1f} {high / base95:16.1f}")
    goal = all(report[n]["median_ms"] < 50 and report[n]["p95_ms"] < 150
               for n in ("/queue", "/logs/N/24"))
    print(f"goal (queue and log page: median < 50 ms, p95 < 150 ms): {'met' if goal else 'NOT met'}")
    print(f"goal (figures page: median < 100 ms): {'met' if report['/figures']['median_ms'] < 100 else 'NOT met'}")
    return report


if __name__ == "__main__":
    main()
