"""Hostile mail against ordinary mail: time and peak memory of each step.

    .venv/bin/python bench/hostile.py [CASE ...]

Runs each case of tests/support/hostile_run.py in a fresh process (an ordinary
referral first: the baseline measured in the same run), with no memory cap,
and prints for each: the seconds of ingest, of drafting and of the slowest
desk page (a draft, or its redaction preview), and the peak resident memory
any step added, each with its ratio to the ordinary referral's.
Goal (the tester's bound): every step under 2 s and 200 MB.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
RUNNER = REPO / "tests" / "support" / "hostile_run.py"
CASES = ["ordinary", "subject_300k", "subject_10m", "phones_30k", "recipients_100k", "questions_30k",
         "rtf_21mb", "msg_recipients_4k", "msg_shared_sectors"]
GOAL_SECONDS, GOAL_MB = 2.0, 200


def measure(case: str) -> dict:
    with tempfile.TemporaryDirectory(prefix=f"crumail-hostile-{case}-") as folder:
        done = subprocess.run([sys.executable, str(RUNNER), case, folder], capture_output=True, text=True,
                              cwd=REPO)
    if done.returncode:
        raise SystemExit(f"{case} failed:\n{done.stderr[-2000:]}")
    steps = json.loads(done.stdout)["steps"]
    pages = [v for k, v in steps.items() if k.startswith(("page", "redact"))]
    return {"ingest": steps["ingest"]["seconds"], "draft": steps["draft"]["seconds"],
            "page": max((p["seconds"] for p in pages), default=0.0),
            "peak": max(v["peak_mb"] for v in steps.values())}


def main() -> None:
    cases = sys.argv[1:] or CASES
    base = measure("ordinary")
    print(f"{'case':20} {'ingest s':>14} {'drafting s':>14} {'slowest page s':>16} {'peak MB':>14}   goal")
    for case in cases:
        got = base if case == "ordinary" else measure(case)
        cells = [f"{got[k]:6.2f} ({got[k] / max(base[k], 1e-3):5.1f}x)" for k in ("ingest", "draft", "page")]
        peak = f"{got['peak']:5.0f} ({got['peak'] / max(base['peak'], 1):4.1f}x)"
        met = max(got["ingest"], got["draft"], got["page"]) < GOAL_SECONDS and got["peak"] < GOAL_MB
        print(f"{case:20} {cells[0]:>14} {cells[1]:>14} {cells[2]:>16} {peak:>14}   {'met' if met else 'MISSED'}")


if __name__ == "__main__":
    main()
