"""Every detector finds its item however it is written (issue 10).

A reader sees the same thing whether a hyphen is U+2011, a letter is a
Cyrillic look-alike or the digits are full-width; the checks must too, and
each finding must still point at the characters as written.  The table is
every detector against every variant that applies to its item.
"""

from __future__ import annotations

import pytest

from crumail.checks import CheckContext, run_checks
from crumail.checks.normalise import normalise

OUTSIDE = CheckContext.build(internal_domains=["police.uk"], recipients=["someone@example.org"])

# (check, sentence with {} where the item goes, the item)
DETECTORS = [
    ("email", "Write to {} today.", "jane.doe@example.org"),
    ("phone", "Call me on {} after two.", "07700-900417"),
    ("phone", "Office line {} please.", "01632 960123"),
    ("postcode", "She lives near {}, as stated.", "PR1 4AB"),
    ("ni_number", "Her NI number is {}.", "QQ 12 34 56 C"),
    ("date_of_birth", "DOB: {} (from the log).", "12-03-1984"),
    ("vehicle", "The vehicle {} was seen.", "AB51 CDE"),
    ("police_id", "PNC ID {} was quoted.", "23/123456A"),
    ("police_id", "The report was made by {} on Monday.", "PC 4412"),
    ("street_address", "He lives at {}, Preston.", "12 Acacia Avenue"),
    ("name", "I spoke with {} yesterday.", "Sarah Pryce"),
    ("marking", "{}\nThe advice follows.", "OFFICIAL-SENSITIVE"),
    ("marking", "{}\nDo not share.", "POLICE EYES ONLY"),
    ("drafting_marker", "The force is {} and the advice stands.", "[insert force]"),
]

FULL_WIDTH = {chr(c): chr(c + 0xFEE0) for c in range(0x21, 0x7F)} | {" ": "\u3000"}
ARABIC_INDIC = {str(d): chr(0x660 + d) for d in range(10)}
DEVANAGARI = {str(d): chr(0x966 + d) for d in range(10)}
CYRILLIC = {"O": "О", "A": "А", "E": "Е", "P": "Р", "C": "С", "a": "а", "e": "е", "o": "о", "p": "р", "c": "с"}
GREEK = {"O": "Ο", "A": "Α", "E": "Ε", "T": "Τ", "I": "Ι"}


def _inside(item: str, char: str) -> str | None:
    """char put between two letters or digits in the middle of item."""
    middle = len(item) // 2
    for pos in sorted(range(1, len(item)), key=lambda p: abs(p - middle)):
        if item[pos - 1].isalnum() and item[pos].isalnum():
            return item[:pos] + char + item[pos:]
    return None


def _every(item: str, table: dict[str, str]) -> str | None:
    out = "".join(table.get(c, c) for c in item)
    return out if out != item else None


def _first(item: str, table: dict[str, str]) -> str | None:
    for pos, char in enumerate(item):
        if char in table:
            return item[:pos] + table[char] + item[pos + 1 :]
    return None


def _dash(char: str):
    return lambda item: item.replace("-", char) if "-" in item else None


VARIANTS = {
    "non-breaking hyphen U+2011": _dash("\u2011"),
    "hyphen U+2010": _dash("\u2010"),
    "minus sign U+2212": _dash("\u2212"),
    "en dash": _dash("\u2013"),
    "full-width hyphen-minus": _dash("\uff0d"),
    "soft hyphen": lambda item: _inside(item, "\u00ad"),
    "zero-width space": lambda item: _inside(item, "\u200b"),
    "zero-width joiner": lambda item: _inside(item, "\u200d"),
    "word joiner": lambda item: _inside(item, "\u2060"),
    "byte order mark": lambda item: _inside(item, "\ufeff"),
    "right-to-left mark": lambda item: _inside(item, "\u200f"),
    "bidi override": lambda item: _inside(item, "\u202e"),
    "no-break space": lambda item: item.replace(" ", "\u00a0") if " " in item else None,
    "Cyrillic look-alike": lambda item: _first(item, CYRILLIC),
    "every Cyrillic look-alike": lambda item: _every(item, CYRILLIC),
    "Greek look-alike": lambda item: _first(item, GREEK),
    "full-width": lambda item: _every(item, FULL_WIDTH),
    "Arabic-Indic digits": lambda item: _every(item, ARABIC_INDIC),
    "Devanagari digits": lambda item: _every(item, DEVANAGARI),
}

CASES = [
    pytest.param(check, sentence, variant, id=f"{check}:{item}:{name}")
    for check, sentence, item in DETECTORS
    for name, make in VARIANTS.items()
    if (variant := make(item)) is not None
]


def test_the_table_covers_every_detector_and_variant():
    checks = {c for c, _, _ in DETECTORS}
    assert checks == {"email", "phone", "postcode", "ni_number", "date_of_birth", "vehicle", "police_id",
                      "street_address", "name", "marking", "drafting_marker"}
    used = {p.id.rsplit(":", 1)[1] for p in CASES}
    assert used == set(VARIANTS)
    assert len(CASES) >= 150


@pytest.mark.parametrize("check, sentence, variant", CASES)
def test_each_detector_finds_its_item_in_every_variant(check, sentence, variant):
    text = sentence.format(variant)
    report = run_checks(text, OUTSIDE)
    hits = [f for f in report.findings if f.check == check]
    assert [f.text for f in hits] == [variant], report.as_dict()
    (hit,) = hits
    assert text[hit.start : hit.end] == variant  # the offsets point at the characters as written
    assert report.blocked


def test_subject_findings_point_at_the_subject_as_written():
    subject = "ОFFICIAL\u2011SENSITIVE: advice"
    report = run_checks("The advice follows.", CheckContext.build(["x@example.org"], ["police.uk"],
                                                                   subject=subject))
    (hit,) = [f for f in report.findings if f.check == "marking"]
    assert hit.part == "subject" and subject[hit.start : hit.end] == hit.text == "ОFFICIAL\u2011SENSITIVE"


@pytest.mark.parametrize("text", [
    "plain ascii", "café au lait", "e\u0301cole", "\ufb01nal figures", "a\u200b\u200bb", "\u200b", "",
    "Ｏ\u00adＦ", "x\u0301\u0302y", "٣٤٥ ok", "Ⅻ chapter", "\u00ad\u00adend",
])
def test_the_offset_map_takes_every_normalised_span_back_into_the_original(text):
    normal, offsets = normalise(text)
    for start in range(len(normal) + 1):
        for end in range(start, len(normal) + 1):
            a, b = offsets.span(start, end)
            assert 0 <= a <= b <= len(text)
            # what the span covers, normalised again, holds what was found
            assert normal[start:end] in normalise(text[a:b])[0]


def test_normalising_grows_linearly_and_keeps_ascii_untouched():
    text = "Call 07700 900417 about PR1 4AB. " * 50
    assert normalise(text)[0] is text
    small, big = "О\u200bF\u2011" * 1000, "О\u200bF\u2011" * 100_000
    s_map, b_map = normalise(small)[1], normalise(big)[1]
    assert len(b_map.changes) == 100 * len(s_map.changes)
