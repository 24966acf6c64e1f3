"""The casebook: logs, their questions, advice and links, grown from mail.

Two kinds of table (schema in migrations.m010_casebook):

* facts, keyed by message id: ``contributions`` (one row per stored message
  and per message nested in it, holding its extraction as JSON) and
  ``log_messages`` (which message mentions which log, and in what role);
* derived rows: ``logs``, ``questions``, ``advice`` and ``log_links``,
  rebuilt one log at a time from the facts that remain.

So ``forget`` (before ``crumail reprocess``) only deletes a message's facts
and rebuilds the logs they touched: a log's record is always exactly what
the stored mail says about it, never what was once said and then re-read.

How a log's record grows (``merge``): only a message whose primary log it
is speaks for its fields.  The log's own circulations speak first, earlier
mail before later; a field still null is filled from the next message that
states it.  Caveats and exemptions are the union of all.  The question set
is the richest one any message gave (most questions, then with advice, then
longest), and the advice the fullest.  ``first_seen``/``last_seen`` span
every message that mentions the log at all.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Iterator

from sqlite_utils import Database

from crumail import clock
from crumail.extract.model import Extraction
from crumail.lognumber import LogNumber, normalise
from crumail.model import ParsedMail

SCALAR_FIELDS = ("circulation_date", "case_worker", "logged_with", "sent_from",
                 "protective_marking")
LIST_FIELDS = ("handling_caveats", "exemptions")
# Which message kinds speak for a log first: its own circulation, then a
# forwarded copy, then anything else that named it as primary.
KIND_RANK = {"circulation": 0, "forwarded_circulation": 1, "referral": 2, "force_query": 3}
OTHER_RANK = 9
# Kinds that own a log even if the extractor left primary_log empty.
OWNING_KINDS = ("circulation", "forwarded_circulation")

@dataclass(frozen=True)
class Contribution:
    """What one message (or nested message at ``path``) says."""

    path: str
    kind: str
    primary_log: str | None
    seen_at: str
    extraction: dict
    roles: dict[str, str]


# -- writing -----------------------------------------------------------------

def record(db: Database, message: int, parsed: ParsedMail, extraction: Extraction) -> None:
    """Record what ``extraction`` (and its nested extractions) says about
    stored message ``message``, then rebuild every log it mentions."""
    fallback = _seen_at(getattr(parsed, "date", None), _received_at(db, message))
    touched: set[str] = set()
    for item in contributions_of(parsed, extraction, fallback):
        _insert(db, message, item)
        touched.update(item.roles)
    for log in sorted(touched):
        rebuild(db, log)


def forget(db: Database, message: int) -> None:
    """Remove everything ``message`` contributed, and rebuild what it touched."""
    touched = [r[0] for r in db.execute(
        "SELECT DISTINCT log FROM log_messages WHERE message = ?", [message])]
    db.execute("DELETE FROM log_messages WHERE message = ?", [message])
    db.execute("DELETE FROM contributions WHERE message = ?", [message])
    for log in touched:
        rebuild(db, log)


def contributions_of(parsed: ParsedMail, extraction: Extraction,
                     fallback_seen: str) -> Iterator[Contribution]:
    """The message and its nested messages, depth first, with the same paths
    as the ``nested`` table ("" for the message itself, then "0", "0.1"...)."""
    stack = [(parsed, extraction, "", fallback_seen)]
    while stack:
        mail, found, path, outer_seen = stack.pop()
        seen = _seen_at(getattr(mail, "date", None), outer_seen)
        yield _contribution(found, path, seen)
        children = list(zip(getattr(mail, "nested", ()) or (), found.nested or ()))
        stack.extend(reversed([(m, e, _child_path(path, i), seen)
                               for i, (m, e) in enumerate(children)]))


def _received_at(db: Database, message: int) -> str:
    """A dateless message is seen when it arrived (stable across reprocess)."""
    row = db.execute("SELECT received_at FROM messages WHERE id = ?", [message]).fetchone()
    return row[0] if row and row[0] else clock.stamp()


def _child_path(path: str, index: int) -> str:
    return f"{path}.{index}" if path else str(index)


def _contribution(extraction: Extraction, path: str, seen: str) -> Contribution:
    primary = _primary(extraction)
    roles: dict[str, str] = {}
    if primary:
        roles[primary] = "nested" if path else "primary"
    mentioned = [*extraction.log_numbers, *extraction.related_logs,
                 *(x.log for x in extraction.cross_references)]
    for log in mentioned:
        log = normalise(log)
        if log and log not in roles:
            roles[log] = "related"
    return Contribution(path, extraction.kind, primary, seen, extraction.as_dict(), roles)


def _primary(extraction: Extraction) -> str | None:
    if extraction.primary_log:
        return normalise(extraction.primary_log)
    if extraction.kind in OWNING_KINDS and extraction.log_numbers:
        return normalise(extraction.log_numbers[0])
    return None


def _seen_at(date: datetime | None, fallback: str) -> str:
    if date is None:
        return fallback
    if date.tzinfo is None:
        date = date.replace(tzinfo=timezone.utc)
    return date.astimezone(timezone.utc).isoformat(timespec="seconds")


def _insert(db: Database, message: int, item: Contribution) -> None:
    db.execute(
        """INSERT OR REPLACE INTO contributions (message, path, kind, primary_log, seen_at,
               extraction) VALUES (?,?,?,?,?,?)""",
        [message, item.path, item.kind, item.primary_log, item.seen_at,
         json.dumps(item.extraction, ensure_ascii=False)],
    )
    db.conn.executemany(
        """INSERT OR REPLACE INTO log_messages (message, path, log, role, seen_at)
           VALUES (?,?,?,?,?)""",
        [[message, item.path, log, role, item.seen_at] for log, role in item.roles.items()],
    )


# -- deriving ----------------------------------------------------------------

def rebuild(db: Database, log: str) -> None:
    """Derive ``log``'s row, questions, advice and links from the facts."""
    for table, column in (("logs", "log"), ("questions", "log"), ("advice", "log"),
                          ("log_links", "from_log")):
        db.execute(f"DELETE FROM {table} WHERE {column} = ?", [log])
    seen = db.execute(
        "SELECT min(seen_at), max(seen_at), count(DISTINCT message) FROM log_messages WHERE log = ?",
        [log]).fetchone()
    if not seen[2]:
        return
    own = [(kind, at, json.loads(extraction)) for kind, at, extraction in db.execute(
        """SELECT kind, seen_at, extraction FROM contributions WHERE primary_log = ?
           ORDER BY seen_at, message, path""", [log])]
    merged = merge(own)
    _write_log(db, log, merged, seen)
    _write_questions(db, log, merged["questions"])
    _write_advice(db, log, merged["advice"])
    _write_links(db, log, merged["links"])


def merge(own: list[tuple[str, str, dict]]) -> dict:
    """One log's record from the extractions whose primary log it is,
    given as (kind, seen_at, extraction dict) in date order."""
    ordered = sorted(own, key=lambda c: KIND_RANK.get(c[0], OTHER_RANK))  # stable: dates kept
    merged: dict = {"kind": ordered[0][0] if ordered else None}
    for name in SCALAR_FIELDS:
        merged[name] = next((c[2].get(name) for c in ordered if c[2].get(name)), None)
    for name in LIST_FIELDS:
        merged[name] = sorted({v for c in ordered for v in c[2].get(name) or ()})
    extractions = [c[2] for c in ordered]
    merged["questions"] = _richest(extractions, "questions", lambda e: (
        len(e.get("questions") or ()), bool(e.get("advice")), _length(e.get("questions"))))
    merged["advice"] = _richest(extractions, "advice", lambda e: (
        len(e.get("advice") or ()), _length(e.get("advice"))))
    merged["links"] = _links(extractions)
    return merged


def _richest(extractions: list[dict], name: str, key) -> list[dict]:
    best = max(extractions, key=key, default=None)  # max keeps the first of equals
    return list((best or {}).get(name) or ())


def _length(items) -> int:
    return sum(len(i.get("text") or "") for i in items or ())


def _links(extractions: list[dict]) -> dict[str, tuple[list[int], list[int]]]:
    """Linked log -> (their questions, our questions); the first mapping stated wins."""
    links: dict[str, tuple[list[int], list[int]]] = {}
    for extraction in extractions:
        own = normalise(extraction.get("primary_log") or "")
        for ref in extraction.get("cross_references") or ():
            log = normalise(ref.get("log") or "")
            if log and log != own and not links.get(log, ([], []))[0]:
                links[log] = (list(ref.get("their_questions") or ()),
                              list(ref.get("our_questions") or ()))
        for other in [*(extraction.get("log_numbers") or ()), *(extraction.get("related_logs") or ())]:
            log = normalise(other)
            if log and log != own:
                links.setdefault(log, ([], []))
    return links


def _write_log(db: Database, log: str, merged: dict, seen) -> None:
    year, number = LogNumber.parse(log).sort_key
    db.execute(
        """INSERT INTO logs (log, number, year, kind, circulation_date, case_worker,
               logged_with, sent_from, protective_marking, handling_caveats, exemptions,
               first_seen, last_seen, message_count) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)""",
        [log, number, year, merged["kind"], *(merged[f] for f in SCALAR_FIELDS),
         json.dumps(merged["handling_caveats"]), json.dumps(merged["exemptions"]), *seen],
    )


def _write_questions(db: Database, log: str, questions: list[dict]) -> None:
    db.conn.executemany(
        "INSERT INTO questions (log, number, label, text) VALUES (?,?,?,?)",
        [[log, q.get("number") or i, q.get("label"), q.get("text") or ""]
         for i, q in enumerate(questions, 1)],
    )


def _write_advice(db: Database, log: str, advice: list[dict]) -> None:
    db.conn.executemany(
        "INSERT INTO advice (log, position, questions, heading, text) VALUES (?,?,?,?,?)",
        [[log, i, json.dumps(list(a.get("questions") or ())), a.get("heading"), a.get("text") or ""]
         for i, a in enumerate(advice)],
    )


def _write_links(db: Database, log: str, links: dict) -> None:
    db.conn.executemany(
        "INSERT INTO log_links (from_log, to_log, their_questions, our_questions) VALUES (?,?,?,?)",
        [[log, to, json.dumps(theirs), json.dumps(ours)] for to, (theirs, ours) in links.items()],
    )


def markings_of(db: Database, logs: list[str]) -> list[tuple[str | None, tuple[str, ...]]]:
    """The protective marking and handling caveats the casebook holds for each of ``logs``
    (those it knows): what a draft quoting or citing them may never be marked below."""
    wanted = sorted({normalise(log) or log for log in logs if log})
    if not wanted:
        return []
    marks = ", ".join("?" for _ in wanted)
    rows = db.execute(f"SELECT protective_marking, handling_caveats FROM logs WHERE log IN ({marks})", wanted)
    return [(marking, tuple(json.loads(caveats or "[]"))) for marking, caveats in rows.fetchall()]
