"""Time crumail.parse over the shared Outlook .msg corpus.

    .venv/bin/python bench/msg_timing.py [--rounds N] [CORPUS_DIR]

For every file: crumail's parse_bytes (the contact counts, as the quick
NotMailError it is), and, measured in the same run as the baseline,
extract-msg's own ``openMsg`` + ``close``.  For the files whose bodies are
only compressed RTF it also times extract-msg's ``.htmlBody`` (RTFDE), the
cost the parser avoids.  The RTF-only files are made in memory by removing
the plain-text body stream from the corpus files that carry RTF; nothing is
written to disk.
"""

from __future__ import annotations

import argparse
import logging
import statistics
import sys
import time
from pathlib import Path
from typing import Callable

import extract_msg

sys.path[:0] = [str(Path(__file__).resolve().parents[1] / "tests")]

from crumail.errors import NotMailError, ParseError  # noqa: E402
from crumail.parse import parse_bytes  # noqa: E402
from support.hostile import without_plain_body  # noqa: E402

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "msg"
logging.getLogger("extract_msg").setLevel(logging.CRITICAL)


def timed(action: Callable[[], object], rounds: int) -> float:
    """Median seconds of ``rounds`` runs of ``action``."""
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        action()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def crumail_parse(data: bytes, name: str) -> Callable[[], object]:
    def run() -> object:
        try:
            return parse_bytes(data, name)
        except NotMailError:
            return None
    return run


def openmsg_close(data: bytes) -> Callable[[], object]:
    def run() -> None:
        extract_msg.openMsg(data).close()
    return run


def openmsg_html_body(data: bytes) -> Callable[[], object]:
    def run() -> None:
        item = extract_msg.openMsg(data)
        try:
            getattr(item, "htmlBody", None)
        finally:
            item.close()
    return run


def rtf_only(data: bytes) -> bytes | None:
    """The file without its plain body, when it carries RTF; else None."""
    item = extract_msg.openMsg(data)
    try:
        if not item.exists("__substg1.0_10090102") or item.exists("__substg1.0_10130102"):
            return None
    finally:
        item.close()
    return without_plain_body(data)


def summary(label: str, ours: list[float], theirs: list[float]) -> str:
    def p95(values: list[float]) -> float:
        ordered = sorted(values)
        return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]

    return (f"{label:<34} median {statistics.median(ours) * 1e3:7.2f} ms  p95 {p95(ours) * 1e3:7.2f} ms"
            f"   baseline median {statistics.median(theirs) * 1e3:7.2f} ms  p95 {p95(theirs) * 1e3:7.2f} ms"
            f"   ratio median {statistics.median(ours) / statistics.median(theirs):5.2f}x"
            f"  p95 {p95(ours) / p95(theirs):5.2f}x")


def main(argv: list[str] | None = None) -> int:
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    args.add_argument("--rounds", type=int, default=7, help="runs per file (median taken)")
    options = args.parse_args(argv)
    files = sorted(options.corpus.glob("*.msg"))
    if not files:
        print(f"no .msg files in {options.corpus}", file=sys.stderr)
        return 1

    print(f"{len(files)} files from {options.corpus}, {options.rounds} rounds each (median per file)\n")
    print(f"{'file':<46} {'crumail ms':>10} {'openMsg+close ms':>17} {'ratio':>6}")
    ours, theirs = [], []
    for path in files:
        data = path.read_bytes()
        mine = timed(crumail_parse(data, path.name), options.rounds)
        base = timed(openmsg_close(data), options.rounds)
        ours.append(mine)
        theirs.append(base)
        print(f"{path.name:<46} {mine * 1e3:10.2f} {base * 1e3:17.2f} {mine / base:6.2f}")
    print()
    print(summary("corpus: parse_bytes vs openMsg+close", ours, theirs))

    print(f"\n{'RTF-only (plain body removed)':<46} {'crumail ms':>10} {'openMsg+htmlBody ms':>20} {'ratio':>6}")
    rtf_ours, rtf_theirs = [], []
    for path in files:
        try:
            data = rtf_only(path.read_bytes())
        except Exception:
            data = None
        if data is None:
            continue
        try:
            mine = timed(crumail_parse(data, path.name), options.rounds)
        except ParseError as error:
            print(f"{path.name:<46} parse error: {error}")
            continue
        base = timed(openmsg_html_body(data), max(1, options.rounds // 2))
        rtf_ours.append(mine)
        rtf_theirs.append(base)
        print(f"{path.name:<46} {mine * 1e3:10.2f} {base * 1e3:20.2f} {mine / base:6.3f}")
    if rtf_ours:
        print()
        print(summary("RTF-only: parse_bytes vs htmlBody", rtf_ours, rtf_theirs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
