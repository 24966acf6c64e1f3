"""Names left beside a redaction marker: a redaction begun and not finished.

``S.40(2) (Jane Doe)``, ``[REDACTED] Smith``, ``Jane [REDACTED]``: the
marker shows someone meant to remove a person, and the name next to it
shows they did not finish.  A word next to a marker is a name when it is a
known first name or surname, a surname in capitals, or a person-like phrase
in brackets right after the marker; ordinary words ("S.40(2) applies",
"under S.40(2) Personal information") are not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator

from crumail.checks.nominal import caps_surname
from crumail.checks.markings import redaction_zones
from crumail.checks.model import CheckContext, Finding
from crumail.wordlists import (
    NOT_SURNAMES,
    ROLE_WORDS,
    SOFT_SURNAMES,
    STOP_FIRST_NAMES,
    TITLES,
    first_names,
    looks_like_person,
    surnames,
)

WORD = r"[A-Z][A-Za-z]*(?:['’\-][A-Za-z]+)*"
AFTER = re.compile(rf"[ \t]*(?:\((?P<bracket>[^()\n]{{1,60}})\)|(?P<run>{WORD}(?:[ \t]{WORD}){{0,2}}))")
BEFORE = re.compile(rf"(?P<run>(?:{WORD}[ \t]){{1,3}})[ \t]*$")
REASON = "a name left beside a redaction marker: the redaction looks unfinished"


def _namelike(word: str) -> bool:
    if word in NOT_SURNAMES or word in ROLE_WORDS or word in TITLES or word.title() in NOT_SURNAMES:
        return False
    if word.isupper():
        return caps_surname(word) and (len(word) > 3 or word.title() in surnames() | first_names())
    if re.fullmatch(r"[A-Z][a-z]+(?:-[A-Z][a-z]+)+", word):
        return True  # "Thornton-Blake": a double-barrelled surname
    return word in first_names() or word in surnames()


def _not_ordinary(word: str) -> bool:
    """A capitalised word that none of the name check's lists calls an ordinary word."""
    plain = word.title() if word.isupper() else word
    return not (plain in NOT_SURNAMES or plain in ROLE_WORDS or plain in TITLES or plain in STOP_FIRST_NAMES
                or plain in SOFT_SURNAMES or len(word) < 3)


def _leading_names(words: list[tuple[int, int, str]], loose: bool = False) -> list[tuple[int, int, str]]:
    """The name-like words at the head of words (``loose``: any capitalised word not an ordinary one)."""
    kept = []
    for word in words:
        if not (_namelike(word[2]) or loose and _not_ordinary(word[2])):
            break
        kept.append(word)
    return kept


WORDS = re.compile(WORD + r"(?![A-Za-z'’\-])")


def _words(text: str, start: int, end: int) -> list[tuple[int, int, str]]:
    """The capitalised words in text[start:end] (searched in place: no copy of the text)."""
    return [(m.start(), m.end(), m.group()) for m in WORDS.finditer(text, start, end)]


@dataclass(frozen=True)
class HalfRedactionCheck:
    """A person's name right before or after a final redaction marker."""

    name: str = "name"

    def run(self, text: str, context: CheckContext) -> list[Finding]:
        return [Finding(self.name, s, e, text[s:e], "block", REASON) for s, e in self._spans(text)]

    def _spans(self, text: str) -> Iterator[tuple[int, int]]:
        for start, end in redaction_zones(text):
            after = AFTER.match(text, end)
            if after and after.group("bracket"):
                inner = after.group("bracket").strip()
                if looks_like_person(inner, allow_single=True) or _namelike(inner):
                    first = after.start("bracket") + after.group("bracket").index(inner)
                    yield first, first + len(inner)
            elif after:
                # a bracketed marker stands for a redacted word, never a citation: any
                # capitalised word after it that is not an ordinary one is a name
                loose = text[start] == "[" or text.startswith("REDACTED", start)
                names = _leading_names(_words(text, after.start("run"), after.end("run")), loose)
                if names:
                    yield names[0][0], names[-1][1]
            before = BEFORE.search(text, max(0, start - 60), start)
            if before:
                names = _leading_names(_words(text, before.start("run"), before.end("run"))[::-1])
                if names:  # nearest the marker first
                    yield names[-1][0], names[0][1]
