"""Subject access: every place crumail holds a person, found by name (in the
ways a name is written), email, phone and postal address.

Messages are read through the person index (crumail.store.person), brought
up to date first: the index gives candidate parts by word, phone digits and
email, and each candidate is then confirmed against the person's forms
(:class:`Person`), so a look-alike sharing a word is never a hit.  Drafts,
the casebook and the audit are read whole (they are small beside the mail).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Iterable

from sqlite_utils import Database

from crumail.privacy.documents import contact_keys, message_parts, phone_digits
from crumail.store import person as store
from crumail.store import transaction
from crumail.wordlists import TITLES

INDEX_BATCH = 200
NOT_DIGITS = re.compile(r"\D+")
HYPHENS = "\u2010\u2011\u2013-"  # "-" last: a literal in a character class
APOSTROPHES = "'\u2019"


@dataclass(frozen=True)
class Person:
    """Who is searched for: a name and any emails, phones and addresses."""

    name: str = ""
    emails: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()
    addresses: tuple[str, ...] = ()

    @property
    def first(self) -> str:
        words = self.name.split()
        return words[0] if len(words) > 1 else ""

    @property
    def surname(self) -> str:
        words = self.name.split()
        return words[-1] if words else ""

    def name_pattern(self) -> re.Pattern[str] | None:
        """The name as written: ``Jane Doe``, ``DOE, Jane``, ``Doe,Jane``, ``J. Doe``,
        ``Ms Doe`` (and across a line break), never a longer surname."""
        if not self.surname:
            return None
        surname = _words(self.surname)
        forms = [rf"{re.escape(t)}\.?" for t in sorted(TITLES, key=len, reverse=True)]
        if self.first:
            first = _words(self.first)
            forms += [first, rf"{re.escape(self.first[0])}\."]
            after = rf"|{surname}\s*,\s*{first}(?![\w{HYPHENS}])"
        else:
            after = ""
        return re.compile(rf"(?<![\w{HYPHENS}])(?:(?:{'|'.join(forms)})\s+{surname}(?![\w{HYPHENS}])"
                          rf"{after})", re.I)

    def address_patterns(self) -> list[re.Pattern[str]]:
        """An address's first line (``27 Quillon Terrace``), however wrapped."""
        found = []
        for address in self.addresses:
            line = address.split(",")[0].split()
            if line:
                found.append(re.compile(r"(?<!\w)" + r"\s+".join(map(re.escape, line)) + r"(?!\w)", re.I))
        return found

    def contact_keys(self) -> set[str]:
        return {e.lower() for e in self.emails} | {f"p{phone_digits(p)}" for p in self.phones}


def _words(value: str) -> str:
    """A name word, its hyphens and apostrophes written any of their ways."""
    out = []
    for ch in value:
        if ch in HYPHENS:
            out.append(rf"\s*[{HYPHENS}]\s*")
        elif ch in APOSTROPHES:
            out.append(f"[{APOSTROPHES}]")
        else:
            out.append(re.escape(ch))
    return "".join(out)


@dataclass(frozen=True)
class Hit:
    """One place the person is: a message's part, or a draft, casebook or audit row."""

    kind: str            # message, draft, question, advice, log, audit
    id: int
    where: str           # the part and path, or the row's log / field
    found: tuple[str, ...]
    message_id: str | None = None
    subject: str | None = None
    source: str | None = None

    def as_dict(self) -> dict:
        return {"kind": self.kind, "id": self.id, "where": self.where, "found": list(self.found),
                "message_id": self.message_id, "subject": self.subject, "source": self.source}


@dataclass
class Found:
    hits: list[Hit] = field(default_factory=list)
    indexed: int = 0

    @property
    def counts(self) -> dict[str, int]:
        counts = Counter(h.kind for h in self.hits)
        counts["messages"] = len({h.id for h in self.hits if h.kind == "message"})
        return dict(sorted(counts.items()))

    @property
    def messages(self) -> list[int]:
        return sorted({h.id for h in self.hits if h.kind == "message"})

    def as_dict(self) -> dict:
        return {"counts": self.counts, "hits": [h.as_dict() for h in self.hits], "indexed": self.indexed}


def bring_up_to_date(db: Database) -> int:
    """Index every stored message not yet in the person index; how many."""
    done = 0
    while True:
        rows = store.unindexed(db, INDEX_BATCH)
        if not rows:
            return done
        with transaction(db):
            for row in rows:
                parts = message_parts(row, store.nested_rows(db, row["id"]))
                store.add(db, row["id"], [(p.part, p.path, p.text, p.keys) for p in parts])
        done += len(rows)


def find(db: Database, person: Person) -> Found:
    """Every place ``person`` is mentioned."""
    found = Found(indexed=bring_up_to_date(db))
    matcher = _Matcher(person)
    seen: set[tuple[int, str, str | None]] = set()
    for message, part, path, text in store.candidates(db, _fts_query(person)):
        forms = matcher.forms(text)
        if forms and (message, part, path) not in seen:
            seen.add((message, part, path))
            found.hits.append(Hit("message", message, part if path is None else f"{part} {path}", forms))
    heads = store.message_heads(db, [h.id for h in found.hits])
    found.hits = [_with_head(h, heads.get(h.id)) for h in sorted(found.hits, key=lambda h: (h.id, h.where))]
    for kind, row_id, where, text in store.other_texts(db, matcher.words, matcher.tails6):
        forms = matcher.forms(text)
        if forms:
            found.hits.append(Hit(kind, row_id, where, forms))
    return found


def _with_head(hit: Hit, head: dict | None) -> Hit:
    if head is None:
        return hit
    return Hit(hit.kind, hit.id, hit.where, hit.found, head["message_id"], head["subject"],
               head["filename"] or head["source_key"])


def _fts_query(person: Person) -> str:
    """FTS5: any of the surname's words as a phrase, an email's words, a phone's digits."""
    terms = []
    for value in [person.surname, *person.emails, *(a.split(",")[0] for a in person.addresses)]:
        tokens = re.findall(r"\w+", value.lower())
        if tokens:
            terms.append('"' + " ".join(tokens) + '"')
    terms += [f'keys : "{key}"' for key in sorted(person.contact_keys())]
    return " OR ".join(terms) or '""'


class _Matcher:
    """The person's forms, compiled once: which of them a text holds."""

    def __init__(self, person: Person):
        # Each pattern runs only on a text holding its longest word (lower
        # case): a substring test in C, where the name's pattern is slow.
        self.name = person.name_pattern()
        self.surname_word = _longest_word(person.surname)
        self.addresses = [(_longest_word(a.split(",")[0]), p)
                          for a, p in zip(person.addresses, person.address_patterns())]
        self.keys = person.contact_keys()
        # A phone's last 9 digits, an email as written: one must be in the
        # text (its digits alone, its lower case) before the detectors run.
        self.tails = tuple(key[-9:] for key in self.keys if key.startswith("p"))
        self.emails = tuple(key for key in self.keys if not key.startswith("p"))
        self.words = (self.surname_word, *(w for w, _ in self.addresses), *self.emails)
        self.tails6 = tuple(tail[-6:] for tail in self.tails)

    def forms(self, text: str) -> tuple[str, ...]:
        found = []
        lowered = text.lower()
        if self.name is not None and self.surname_word in lowered:
            found += [" ".join(m.group().split()) for m in self.name.finditer(text)]
        found += [m.group() for word, p in self.addresses if word in lowered for m in p.finditer(text)]
        if self.keys and self._may_hold_contact(text, lowered):
            found += sorted(self.keys & contact_keys(text))
        return tuple(dict.fromkeys(found))

    def _may_hold_contact(self, text: str, lowered: str) -> bool:
        if self.emails and any(e in lowered for e in self.emails):
            return True
        digits = NOT_DIGITS.sub("", text) if self.tails else ""
        return any(tail in digits for tail in self.tails)


def _longest_word(value: str) -> str:
    return max(re.findall(r"\w+", value.lower()) or [""], key=len)


def describe(person: Person) -> str:
    parts = [person.name, *person.emails, *person.phones, *person.addresses]
    return ", ".join(p for p in parts if p)


def hits_by_kind(hits: Iterable[Hit]) -> dict[str, list[Hit]]:
    grouped: dict[str, list[Hit]] = {}
    for hit in hits:
        grouped.setdefault(hit.kind, []).append(hit)
    return grouped
