"""The gazetteer: names of people learnt from stored mail and the staff list.

``learn_names`` is pure: ``names_in`` (crumail/checks/names.py) calls it
with the display names and addresses of a message (and
``names_from_signature`` with its text); intake hands what it finds to the
store, which keeps it and passes it back to the checks in the context.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterable

from crumail.wordlists import ROLE_LOCAL_PARTS, ROLE_WORDS, TITLES

Index = dict[str, list[tuple[tuple[str, ...], str]]]


@lru_cache(maxsize=8)
def gazetteer_index(
    names: frozenset[str], staff: frozenset[str]
) -> tuple[Index, frozenset[str]]:
    """First word (case-folded) to the rest of each known name, longest first;
    and each first word as written and in capitals, for the trigger regex."""
    index: Index = {}
    first_words: set[str] = set()
    for source, reason in ((staff, "name on the staff list"), (names, "known name (learnt from stored mail)")):
        for name in source:
            words = re.findall(r"[A-Za-z]+(?:['’\-][A-Za-z]+)*", name)
            if not words or not words[0][0].isupper():
                continue
            folded = tuple(w.casefold() for w in words)
            orders = [(words, folded, reason)]
            if len(words) > 1:  # "SMITHERS Alan", as police directories write it
                orders.append((words[-1:] + words[:-1], folded[-1:] + folded[:-1], reason + ", surname first"))
            for written, key, why in orders:
                first_words.update((written[0], written[0].upper()))
                index.setdefault(key[0], []).append((key[1:], why))
    for entries in index.values():
        entries.sort(key=lambda e: -len(e[0]))
    return index, frozenset(first_words)


def tidy_display_name(name: str) -> str | None:
    """A display name as "First Last", or None when it is no person's name.

    Handles "Smith, Jane", "SMITH Jane" (the police directory's order),
    "PC 1234 Jane Smith", "Jane Smith (Legal)" and "Jane Smith - Force".
    """
    name = re.sub(r"\([^)]*\)|\[[^\]]*\]|\"|'(?=\s|$)", " ", name)
    name = re.split(r"\s[-–|/]\s", name)[0]
    name = " ".join(name.split()).strip(" ,;")
    if "," in name:
        last, _, first = name.partition(",")
        name = f"{first.strip()} {last.strip()}"
    words = [w for w in name.split() if w.rstrip(".") not in TITLES and not w.isdigit()]
    if len(words) > 1 and words[0].isupper() and not words[-1].isupper():
        words = words[1:] + words[:1]
    if len(words) < 2 or len(words) > 4 or "@" in name:
        return None
    if any(w in ROLE_WORDS or w.capitalize() in ROLE_WORDS or w.upper() in ROLE_WORDS for w in words):
        return None
    if not all(re.fullmatch(r"[A-Za-z][A-Za-z'’\-]*", w) for w in words):
        return None
    return " ".join(w if not w.isupper() and not w.islower() else w.capitalize() for w in words)


def _name_from_address(address: str) -> str | None:
    local = address.strip().lower().rpartition("@")[0]
    if not local or local in ROLE_LOCAL_PARTS:
        return None
    parts = [p for p in re.split(r"[._]", local) if p]
    if len(parts) < 2 or len(parts) > 3 or not all(p.isalpha() for p in parts):
        return None
    if len(parts[0]) < 2 or len(parts[-1]) < 2 or any(p in ROLE_LOCAL_PARTS for p in parts):
        return None
    return f"{parts[0].capitalize()} {parts[-1].capitalize()}"


def learn_names(display_names: Iterable[str], addresses: Iterable[str]) -> set[str]:
    """Names of people from display names ("Smith, Jane", "Jane Smith (Force)")
    and first.last@ addresses; role mailboxes are left out."""
    found = {n for n in map(tidy_display_name, display_names) if n}
    found.update(n for n in map(_name_from_address, addresses) if n)
    return found
