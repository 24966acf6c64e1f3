"""Fast candidate finding shared by the checks.

Python's regex engine is quick when a pattern starts with a literal
("wrote:", "@") and slow when it must try a complex pattern at every
position of a 5 MB text.  So each check first finds cheap *anchors* (a
literal, a short pattern with a literal first character), then runs its
full pattern only in a small window around each anchor.  Anchor hits and
the lower-cased text are cached per text, so checks that share an anchor
scan for it once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class Anchor:
    """Where a match may be: a pattern (or literal words) and a window around each hit.

    ``on_lower`` runs the pattern over the lower-cased text, so literal
    words match in any case at the cost of one ``str.lower``.
    """

    pattern: re.Pattern[str]
    before: int
    after: int
    on_lower: bool = False

    @classmethod
    def words(cls, words: tuple[str, ...], before: int, after: int) -> tuple["Anchor", ...]:
        """One literal anchor per lower-case word: each is a fast substring search."""
        return tuple(cls(re.compile(re.escape(w)), before, after, True) for w in words)


@lru_cache(maxsize=4)
def lowered(text: str) -> str:
    """text in lower case, the same length (so offsets still hold)."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


@lru_cache(maxsize=64)
def anchor_spans(anchor: Anchor, text: str) -> tuple[tuple[int, int], ...]:
    """Spans of every anchor hit in text (cached: checks share anchors)."""
    haystack = lowered(text) if anchor.on_lower else text
    return tuple(m.span() for m in anchor.pattern.finditer(haystack))


def windows(text: str, anchors: tuple[Anchor, ...]) -> list[tuple[int, int]]:
    """Merged windows around every anchor hit, in order."""
    size = len(text)
    raw = sorted(
        (max(0, start - a.before), min(size, end + a.after))
        for a in anchors
        for start, end in anchor_spans(a, text)
    )
    merged: list[tuple[int, int]] = []
    for lo, hi in raw:
        if merged and lo <= merged[-1][1]:
            if hi > merged[-1][1]:
                merged[-1] = (merged[-1][0], hi)
        else:
            merged.append((lo, hi))
    return merged


def ranges(text: str, anchors: tuple[Anchor, ...] = ()) -> list[tuple[int, int]]:
    """Where to search: the whole text, or the windows around the anchors."""
    return windows(text, anchors) if anchors else [(0, len(text))]


def finditer(pattern: re.Pattern[str], text: str, anchors: tuple[Anchor, ...] = ()):
    """pattern.finditer over the whole text, or only around the anchors."""
    for lo, hi in ranges(text, anchors):
        yield from pattern.finditer(text, lo, hi)
