"""Ingest speed against mail-parser's own parse rate, measured in the same run.

    .venv/bin/python bench/ingest.py [--count 2000]

Prints (a) mail-parser's ``parse_from_bytes`` alone over the corpus, (b)
``crumail ingest`` of the same corpus end to end (a subprocess: start-up,
parse, extract, store, commit), their rates and the ratio (goal >= 0.5), and
the median time to parse each real .msg sample in ../shared/corpus/msg/.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import mailparser

sys.path.insert(0, str(Path(__file__).parent))
from corpus import build  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
CORPUS_MSG = ROOT.parent / "shared" / "corpus" / "msg"


def raw_parse_rate(paths: list[Path]) -> float:
    blobs = [p.read_bytes() for p in paths]
    start = time.perf_counter()
    for blob in blobs:
        mailparser.parse_from_bytes(blob)
    return len(blobs) / (time.perf_counter() - start)


def crumail_rate(folder: Path, count: int, work: Path) -> float:
    config = work / "bench.toml"
    config.write_text(f'[database]\npath = "{work / "bench.db"}"\n')
    start = time.perf_counter()
    subprocess.run([str(ROOT / ".venv/bin/crumail"), "--config", str(config), "ingest", str(folder)],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return count / (time.perf_counter() - start)


def msg_median_ms() -> tuple[float, int]:
    from crumail.errors import ParseError
    from crumail.parse import parse_bytes

    times = []
    for path in sorted(CORPUS_MSG.glob("*.msg")):
        data = path.read_bytes()
        for _ in range(5):
            start = time.perf_counter()
            try:
                parse_bytes(data, path.name)
            except ParseError:
                pass
            times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), len(times) // 5


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=2000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        paths = build(work / "corpus", args.count)
        size = sum(p.stat().st_size for p in paths) / 1e6
        print(f"corpus: {len(paths)} messages, {size:.1f} MB, {len(paths) // 5} with an attached .msg")
        raw = raw_parse_rate(paths)
        ours = crumail_rate(work / "corpus", len(paths), work)
    print(f"(a) mail-parser parse_from_bytes alone: {raw:8.1f} msg/s")
    print(f"(b) crumail ingest end to end:          {ours:8.1f} msg/s")
    print(f"ratio crumail / mail-parser: {ours / raw:.2f}  (goal >= 0.50)")
    median, files = msg_median_ms()
    print(f"real .msg samples: median parse {median:.1f} ms over {files} files (goal < 10 ms)")


if __name__ == "__main__":
    main()
