"""Desk sessions and failed logins.

A session is stored under the SHA-256 of its token, so that a copy of the
database does not hand out live sessions; the browser holds the token itself
in an HttpOnly cookie.  Failed logins are counted per key (an account name,
or a client address) so that guessing is slowed down whoever is guessed.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta

from sqlite_utils import Database

from crumail import clock


def token_key(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create(db: Database, token: str, user: int, csrf: str, lifetime: timedelta,
           client: str | None = None) -> None:
    start = clock.now()
    db.execute(
        """INSERT INTO sessions (token_sha256, user, csrf, created_at, expires_at, last_seen, client)
           VALUES (?,?,?,?,?,?,?)""",
        [token_key(token), user, csrf, clock.stamp(start), clock.stamp(start + lifetime), clock.stamp(start), client],
    )


def find(db: Database, token: str) -> dict | None:
    """The live session for ``token`` with its account, or None."""
    cursor = db.execute(
        """SELECT s.token_sha256, s.csrf, s.created_at, s.expires_at, s.last_seen,
                  u.id AS user_id, u.name, u.role
           FROM sessions s JOIN users u ON u.id = s.user
           WHERE s.token_sha256 = ? AND s.expires_at > ? AND u.disabled_at IS NULL""",
        [token_key(token), clock.stamp()],
    )
    row = cursor.fetchone()
    return dict(zip([d[0] for d in cursor.description], row)) if row else None


def touch(db: Database, token_sha256: str) -> None:
    db.execute("UPDATE sessions SET last_seen = ? WHERE token_sha256 = ?", [clock.stamp(), token_sha256])


def delete(db: Database, token: str) -> None:
    db.execute("DELETE FROM sessions WHERE token_sha256 = ?", [token_key(token)])


def delete_for_user(db: Database, user: int) -> None:
    db.execute("DELETE FROM sessions WHERE user = ?", [user])


def purge_expired(db: Database, idle_before: str | None = None) -> int:
    """Remove expired sessions (and idle ones, when ``idle_before`` is given)."""
    sql = "DELETE FROM sessions WHERE expires_at <= ?"
    params: list = [clock.stamp()]
    if idle_before:
        sql += " OR last_seen < ?"
        params.append(idle_before)
    return db.execute(sql, params).rowcount


def failures(db: Database, key: str) -> tuple[int, str | None]:
    """(failed attempts in a row, time of the last one) for a login key."""
    row = db.execute(
        "SELECT failures, last_failure FROM login_failures WHERE key = ?", [key]
    ).fetchone()
    return (row[0], row[1]) if row else (0, None)


def note_failure(db: Database, key: str) -> int:
    db.execute(
        """INSERT INTO login_failures (key, failures, last_failure) VALUES (?, 1, ?)
           ON CONFLICT(key) DO UPDATE SET failures = failures + 1,
               last_failure = excluded.last_failure""",
        [key, clock.stamp(precise=True)],
    )
    return failures(db, key)[0]


def release_attempt(db: Database, key: str) -> None:
    """Take back one reserved attempt (it turned out to be a good password)."""
    db.execute("UPDATE login_failures SET failures = max(failures - 1, 0) WHERE key = ?", [key])


def clear_failures(db: Database, key: str) -> None:
    db.execute("DELETE FROM login_failures WHERE key = ?", [key])
