"""The force-reply corpus (tests/data/force-replies/) against the example
register: every reply's sender is matched to the force its expected file
names (issue 11: "found from the sender's domain")."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crumail.parse import parse_bytes
from crumail.register import csvfile, match

REPO = Path(__file__).resolve().parents[1]
REPLIES = REPO / "tests" / "data" / "force-replies"
CASES = sorted(p for p in REPLIES.iterdir() if p.suffix in (".eml", ".msg"))


@pytest.fixture(scope="module")
def register():
    return csvfile.parse((REPO / "data" / "forces.example.csv").read_text(encoding="utf-8"))


def test_the_corpus_is_there():
    assert len(CASES) >= 37


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_each_reply_is_matched_to_its_force_by_sender(path, register):
    expected = json.loads(path.with_suffix(".expected.json").read_text(encoding="utf-8"))
    parsed = parse_bytes(path.read_bytes(), path.name)
    found = match.by_sender(register, parsed.from_.address if parsed.from_ else None)
    assert (found.name if found else None) == expected["force"]


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_each_reply_gives_the_forces_own_receipt_date_or_none(path):
    from crumail.extract.receipt import stated_receipt

    expected = json.loads(path.with_suffix(".expected.json").read_text(encoding="utf-8"))
    parsed = parse_bytes(path.read_bytes(), path.name)
    assert stated_receipt(parsed.text) == expected.get("received_date")


@pytest.mark.parametrize("text, expected", [
    ("Date received: 04/03/2025\n", "2025-03-04"),
    ("Received by us 21/12/2023.", "2023-12-21"),
    ("We received this request on 20 December 2023 and will disclose.", "2023-12-20"),
    ("Request received - 5th March 2025", "2025-03-05"),
    ("Our response is due 23/01/2024.", None),                     # a due date
    ("Received by us, and we will reply by 23/01/2024.", None),    # the date is not next to the phrase
    ("I am out of the office until 10/03/2025.", None),
    ("Thanks.\n\nOn 22/12/2023 CRU wrote:\n> Date received: 01/12/2023\n", None),  # only in the quote
    ("Date received: 31/02/2025", None),                             # no such day
])
def test_receipt_phrases(text, expected):
    from crumail.extract.receipt import stated_receipt

    assert stated_receipt(text) == expected
