"""Build the outbound attachment corpus and its expectations (issue 10).

Run from the repository root:

    .venv/bin/python tests/data/attachments/make_corpus.py            # the committed small files + cases.json
    .venv/bin/python tests/data/attachments/make_corpus.py --large DIR  # the big and hostile ones, into DIR

Every file is built from code (openpyxl, raw OOXML, odfpy, reportlab and
pypdf, msgforge, the stdlib email and csv modules, msoffcrypto-tool), with
times, IDs and salts pinned, so that two runs give the same bytes; the
corpus test checks that.  ``cases.json`` says, for each file, the decision
the outbound checks must reach for an outside recipient, whether a written
justification may release it, and the findings that must be among those
reported.  README.md beside this script explains the fields and the rules
behind the decisions.  Fictitious people only: invented names, Ofcom
drama-range numbers, example.* domains, unused NR postcodes.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from corpus_cases import CASES, LARGE_CASES  # noqa: E402

CONTEXT = {
    "recipients": ["applicant@example.com"],
    "internal_domains": ["police.uk"],
    "allow": ["01632 960100", "foi@example.police.uk", "www.example.police.uk"],
}


@dataclass(frozen=True)
class Built:
    """One case's file name, bytes and the record cases.json keeps for it."""

    file: str
    data: bytes
    record: dict[str, Any] = field(default_factory=dict)


def build(cases: list[Any]) -> list[Built]:
    out = []
    for case in cases:
        out.append(Built(case.file, case.build(), case.record()))
    return out


def manifest(built: list[Built], large: list[Any]) -> dict[str, Any]:
    """cases.json: the shared context, then every case (large ones marked not committed)."""
    return {
        "about": "Expected outcome of the outbound attachment checks for each file; see README.md.",
        "context": CONTEXT,
        "cases": [b.record for b in built] + [case.record() for case in large],
    }


def write(dest: Path, built: list[Built], large: list[Any]) -> None:
    dest.mkdir(parents=True, exist_ok=True)
    for item in built:
        (dest / item.file).write_bytes(item.data)
    text = json.dumps(manifest(built, large), indent=1, ensure_ascii=False) + "\n"
    (dest / "cases.json").write_text(text, encoding="utf-8")


def write_large(dest: Path, names: set[str] | None = None) -> list[Path]:
    """Build the cases too big to commit (and the benchmark inputs) into ``dest``."""
    dest.mkdir(parents=True, exist_ok=True)
    written = []
    for case in LARGE_CASES:
        if names is None or case.file in names:
            path = dest / case.file
            case.write(path)
            written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dest", type=Path, default=HERE, help="where the small files and cases.json go")
    parser.add_argument("--large", type=Path, metavar="DIR", help="also build the large and hostile files into DIR")
    args = parser.parse_args(argv)
    built = build(CASES)
    write(args.dest, built, LARGE_CASES)
    print(f"wrote {len(built)} files and cases.json ({len(built) + len(LARGE_CASES)} cases) to {args.dest}")
    if args.large:
        for path in write_large(args.large):
            print(f"wrote {path} ({path.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
