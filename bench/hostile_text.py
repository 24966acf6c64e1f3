"""Time that the tests no longer measure: hostile text through extraction and
the outbound checks, as ratios.

The tests count work (Python line events) and guard against hangs; the
regex engine's own work is not counted there, so its figures are here.
For each hostile input of tests/test_extract_hostile.py it prints the
growth ratio (time at 200,000 characters over time at 50,000: about 4 is
linear, 16 quadratic); for the issue-sized inputs and the checks'
pathological texts it prints the time as a multiple of one plain pass over
the same text (``re.findall(r"\\d+")`` and ``split``), measured in the same
run.

    .venv/bin/python bench/hostile_text.py [--runs 2]
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path
from typing import Callable

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "tests")]

from crumail.checks import CheckContext, run_checks  # noqa: E402
from crumail.extract import extract  # noqa: E402
from support.mail import parsed  # noqa: E402
from support.hostile import HOSTILE_TEXT, digits_and_slashes  # noqa: E402

ISSUE_SIZED = {
    "5 MB of digits and slashes": digits_and_slashes(5_000_000),
    "1 MB line": "Log No. 1/25 Case worker: " + "x" * 1_000_000,
    "deeply repeated headings": "CRU Advice:\n" + "Q1 and Q2 - Q3 and Q9 -\n" * 40_000,
}
PATHOLOGICAL = {
    "quoted lines": "Jane Smith wrote: " * 20_000,
    "cell names": "A1 " * 100_000,
    "brackets": "[[" * 200_000,
    "one long word then wrote:": ("x" * 400_000) + " wrote:",
    "at signs": "@" * 300_000,
}


def best(action: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return min(times)


def plain_pass(text: str, runs: int) -> float:
    return max(best(lambda: (re.findall(r"\d+", text), text.split("\n")), runs), 1e-4)


def mail(text: str):
    return parsed(text, "Log No. 1/25 CRU Circulation", text_source="plain")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=2)
    runs = parser.parse_args().runs
    print("extraction, 4x the input (4 is linear, 16 quadratic):")
    for name, build in sorted(HOSTILE_TEXT.items()):
        small, large = (best(lambda m=mail(build(n)): extract(m), runs) for n in (50_000, 200_000))
        print(f"  {name:30} {small * 1000:8.1f} ms -> {large * 1000:8.1f} ms  x{large / small:5.1f}")
    print("extraction of the issue's full-size inputs, in plain passes over the same text:")
    for name, text in ISSUE_SIZED.items():
        took = best(lambda: extract(mail(text)), 1)
        print(f"  {name:30} {took:7.2f} s  = {took / plain_pass(text, runs):7.0f} plain passes")
    context = CheckContext.build(internal_domains=["police.uk"])
    print("outbound checks on pathological text, in plain passes over the same text:")
    for name, text in PATHOLOGICAL.items():
        took = best(lambda: run_checks(text, context), 1)
        print(f"  {name:30} {took:7.2f} s  = {took / plain_pass(text, runs):7.0f} plain passes")


if __name__ == "__main__":
    main()
