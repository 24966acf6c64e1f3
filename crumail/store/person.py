"""Subject access: the person index (``person_text``) and the stored rows a
search by person reads besides it (drafts, the casebook, the audit).

Every stored text is a copy of personal data: a message's index rows go
when the message is erased (crumail.store.retention.erase_message).
"""

from __future__ import annotations

from typing import Iterable, Iterator

from sqlite_utils import Database

from crumail import clock
from crumail.store.db import fetch_dicts

#: Index rows a message may have (parts beyond are not indexed).
PARTS_PER_MESSAGE = 1000


def unindexed(db: Database, limit: int) -> list[dict]:
    """Stored messages not yet in the index, with what indexing them needs."""
    return fetch_dicts(db, """SELECT id, format, raw, subject, from_name, from_address, to_json, cc_json, text
                                FROM messages m WHERE erased_at IS NULL
                                 AND NOT EXISTS (SELECT 1 FROM person_indexed p WHERE p.message = m.id)
                               ORDER BY id LIMIT ?""", [limit])


def nested_rows(db: Database, message: int) -> list[dict]:
    return fetch_dicts(db, "SELECT path, subject, from_name, from_address, filename, text FROM nested "
                           "WHERE message = ? ORDER BY id", [message])


def add(db: Database, message: int, parts: Iterable[tuple[str, str | None, str, str]]) -> None:
    """Index ``message``'s parts, given as (part, path, text, keys)."""
    base = message * PARTS_PER_MESSAGE
    rows = [(base + i, *part) for i, part in enumerate(parts) if i < PARTS_PER_MESSAGE]
    db.conn.executemany("INSERT INTO person_text (rowid, part, path, text, keys) VALUES (?,?,?,?,?)", rows)
    db.execute("INSERT OR REPLACE INTO person_indexed (message, at) VALUES (?, ?)", [message, clock.stamp()])


def forget(db: Database, message: int) -> None:
    base = message * PARTS_PER_MESSAGE
    db.execute("DELETE FROM person_text WHERE rowid BETWEEN ? AND ?", [base, base + PARTS_PER_MESSAGE - 1])
    db.execute("DELETE FROM person_indexed WHERE message = ?", [message])


def candidates(db: Database, match: str) -> Iterator[tuple[int, str, str | None, str]]:
    """(message, part, path, text) of every index row the FTS5 query matches."""
    for rowid, part, path, text in db.execute(
            "SELECT rowid, part, path, text FROM person_text WHERE person_text MATCH ?", [match]):
        yield rowid // PARTS_PER_MESSAGE, part, path, text


def message_heads(db: Database, ids: Iterable[int]) -> dict[int, dict]:
    wanted = sorted(set(ids))
    heads: dict[int, dict] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start:start + 500]
        for row in fetch_dicts(db, f"""SELECT id, message_id, subject, source_key, filename, received_at
                                        FROM messages WHERE id IN ({','.join('?' * len(chunk))})""", chunk):
            heads[row["id"]] = row
    return heads


def other_texts(db: Database, words: Iterable[str], digits: Iterable[str]) -> Iterator[tuple[str, int, str, str]]:
    """(kind, id, where, text) of every draft, casebook row and audit row
    whose text holds one of ``words`` (lower case, ASCII folding) or, once
    spaces and punctuation are taken out, one of ``digits``: the candidates,
    which the caller confirms."""
    words = [f"%{_like_escaped(w)}%" for w in words if w]
    digits = [d for d in digits if d]
    tests = ["text LIKE ? ESCAPE '\\'"] * len(words) + [f"instr({_digits_only('text')}, ?)"] * len(digits)
    if not tests:
        return
    where = " OR ".join(tests)
    queries = (
        ("draft", "SELECT id, 'subject', subject AS text FROM drafts UNION ALL SELECT id, 'body', body FROM drafts "
                  "UNION ALL SELECT id, 'to', to_json || cc_json FROM drafts"),
        ("question", "SELECT id, log, text FROM questions"),
        ("advice", "SELECT id, log, coalesce(heading, '') || ' ' || text AS text FROM advice"),
        ("log", "SELECT rowid, log, coalesce(case_worker, '') || ' ' || coalesce(sent_from, '') AS text FROM logs"),
        ("audit", "SELECT id, 'draft ' || draft || ' ' || action, coalesce(comment, '') || ' ' || detail AS text "
                  "FROM draft_audit"),
    )
    for kind, sql in queries:
        for row_id, place, text in db.execute(f"SELECT * FROM ({sql}) WHERE {where}", [*words, *digits]):
            yield kind, row_id, place, text


def _digits_only(column: str) -> str:
    """SQL for ``column`` without the separators a phone number's last digits are
    written with (space, hyphen, dot): what comes before them does not matter."""
    for ch in (" ", "-", "."):
        column = f"replace({column}, '{ch}', '')"
    return column


def _like_escaped(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def raw_of(db: Database, message: int) -> bytes:
    row = db.execute("SELECT raw FROM messages WHERE id = ?", [message]).fetchone()
    return row[0] if row else b""


def draft_text(db: Database, draft: int) -> str:
    row = db.execute("SELECT subject, to_json, body FROM drafts WHERE id = ?", [draft]).fetchone()
    return "" if row is None else f"Subject: {row[0]}\nTo: {row[1]}\n\n{row[2]}"


def log_markings(db: Database, logs: list[str]) -> list[str]:
    wanted = sorted(set(logs))
    if not wanted:
        return []
    return [row[0] or "" for row in db.execute(
        f"SELECT protective_marking FROM logs WHERE log IN ({','.join('?' * len(wanted))})", wanted)]
