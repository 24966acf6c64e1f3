"""A draft's marking is never lower than what it quotes or answers.

A referral marked OFFICIAL that quotes an OFFICIAL-SENSITIVE circulation,
or advice that cites earlier logs as precedents, carries the highest
marking among them, and every handling caveat they carry (POLICE EYES
ONLY, NOT FOR PUBLICATION ...).  Pure: the sources' markings come in as
values (the referral's extraction, its attached messages, the casebook's
record of the logs it cites).
"""

from __future__ import annotations

from typing import Iterable

from crumail.wordlists import MARKING_RANK

Marked = tuple[str | None, tuple[str, ...]]


def rank(marking: str | None) -> int:
    """How high a marking is; no marking is lowest, an unknown one counts as OFFICIAL."""
    return -1 if not marking else MARKING_RANK.get(marking, 1)


def highest(markings: Iterable[str | None]) -> str | None:
    """The highest of markings (None when there is none)."""
    found = [m for m in markings if m]
    return max(found, key=rank) if found else None


def floor(sources: Iterable[Marked]) -> Marked:
    """The highest marking of sources and every caveat any of them carries, in order."""
    sources = list(sources)
    caveats: dict[str, None] = {}
    for _marking, found in sources:
        caveats.update((c.upper(), None) for c in found if c)
    return highest(m for m, _ in sources), tuple(caveats)
