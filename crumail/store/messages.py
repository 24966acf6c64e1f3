"""Messages, their nested messages and attachments: rows in, rows out."""

from __future__ import annotations

import json
from typing import Iterable, Iterator, Protocol

from sqlite_utils import Database

from crumail import clock
from crumail.extract.model import Extraction
from crumail.model import Address, ParsedMail, RawMessage
from crumail.store import casebook, gazetteer, person
from crumail.store.db import fetch_dict


class Storable(Protocol):
    """One message ready to be stored: its bytes, parse and extraction, and the
    people it names for the gazetteer.  Built above the store
    (``crumail.intake.prepare.Ingested``), which knows how to find names."""

    @property
    def raw(self) -> RawMessage: ...

    @property
    def parsed(self) -> ParsedMail: ...

    @property
    def extraction(self) -> Extraction | None: ...

    @property
    def names(self) -> Iterable[str]: ...


def find_by_sha256(db: Database, sha256: str) -> int | None:
    row = db.execute("SELECT id FROM messages WHERE sha256 = ?", [sha256]).fetchone()
    return row[0] if row else None


def insert(db: Database, item: Storable) -> int:
    """Insert one new message with everything derived from it; returns its id."""
    parsed, raw = item.parsed, item.raw
    stamp = clock.stamp()
    cursor = db.execute(
        """INSERT INTO messages (sha256, message_id, format, size, subject, from_name,
               from_address, to_json, cc_json, date, in_reply_to, text, text_source,
               defects_json, source, source_key, origin, filename, received_at,
               parsed_at, raw)
           VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)""",
        [raw.sha256, *_header_columns(parsed), raw.source, raw.key, raw.origin,
         raw.filename, stamp, stamp, raw.data],
    )
    message = cursor.lastrowid
    _insert_derived(db, message, item)
    return message


def refresh(db: Database, message: int, item: Storable) -> None:
    """Replace everything derived from a stored message by a new parse."""
    casebook.forget(db, message)
    person.forget(db, message)     # indexed again from the new parse at the next search by person
    db.execute("DELETE FROM attachments WHERE message = ?", [message])
    db.execute("DELETE FROM nested WHERE message = ?", [message])
    db.execute(
        """UPDATE messages SET message_id=?, format=?, size=?, subject=?, from_name=?,
               from_address=?, to_json=?, cc_json=?, date=?, in_reply_to=?, text=?,
               text_source=?, defects_json=?, parsed_at=? WHERE id=?""",
        [*_header_columns(item.parsed), clock.stamp(), message],
    )
    _insert_derived(db, message, item)


def _insert_derived(db: Database, message: int, item: Storable) -> None:
    _insert_attachments(db, message, None, item.parsed)
    _insert_nested(db, message, item.parsed)
    gazetteer.learn(db, item.names)
    if item.extraction is not None:
        casebook.record(db, message, item.parsed, item.extraction)


def _header_columns(parsed: ParsedMail) -> list[object]:
    sender = parsed.from_ or Address(None, None)
    return [
        parsed.message_id, parsed.format, parsed.size, parsed.subject, sender.name,
        sender.address, _addresses(parsed.to), _addresses(parsed.cc),
        parsed.date.isoformat() if parsed.date else None, parsed.in_reply_to,
        parsed.text, parsed.text_source, json.dumps(list(parsed.defects)),
    ]


def _addresses(addresses: tuple[Address, ...]) -> str:
    return json.dumps([a.as_dict() for a in addresses])


def _insert_attachments(db: Database, message: int, nested: int | None, parsed: ParsedMail) -> None:
    rows = [
        [message, nested, position, a.filename, a.content_type, a.size, a.sha256]
        for position, a in enumerate(parsed.attachments)
    ]
    if rows:
        db.conn.executemany(
            """INSERT INTO attachments (message, nested, position, filename,
                   content_type, size, sha256) VALUES (?,?,?,?,?,?,?)""",
            rows,
        )


def _insert_nested(db: Database, message: int, parsed: ParsedMail) -> None:
    """Nested messages, depth first, without recursion (nesting may be deep)."""
    stack = [(child, None, str(i), 1) for i, child in enumerate(parsed.nested)]
    stack.reverse()
    while stack:
        child, parent, path, depth = stack.pop()
        sender = child.from_ or Address(None, None)
        row = db.execute(
            """INSERT INTO nested (message, parent, path, depth, format, sha256,
                   message_id, subject, from_name, from_address, date, filename, text)
               VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)""",
            [message, parent, path, depth, child.format, child.sha256, child.message_id,
             child.subject, sender.name, sender.address,
             child.date.isoformat() if child.date else None, child.filename, child.text],
        ).lastrowid
        _insert_attachments(db, message, row, child)
        grandchildren = [(g, row, f"{path}.{i}", depth + 1) for i, g in enumerate(child.nested)]
        stack.extend(reversed(grandchildren))


def raw_bytes(db: Database, message: int) -> bytes | None:
    row = db.execute("SELECT raw FROM messages WHERE id = ?", [message]).fetchone()
    return row[0] if row else None


def iter_ids(db: Database) -> Iterator[int]:
    """Every stored message id, oldest first (a list, so writes may follow);
    erased ones (tombstones, no bytes left) are not among them."""
    return iter([row[0] for row in db.execute("SELECT id FROM messages WHERE erased_at IS NULL ORDER BY id")])


def get(db: Database, message: int) -> dict | None:
    return fetch_dict(db, "SELECT * FROM messages WHERE id = ?", [message])
