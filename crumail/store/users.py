"""Desk accounts: who may log in to the review desk, and with which role.

Only the password *hash* is stored (argon2id, made by ``crumail.web.auth``);
the store never sees a password.  Accounts are disabled, never deleted, so
that the audit trail keeps naming the person who acted.
"""

from __future__ import annotations

import re

from sqlite_utils import Database

from crumail import clock
from crumail.model import SYSTEM_ACTOR
from crumail.store.db import fetch_dict, fetch_dicts

ROLES = ("operator", "admin")
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$")
COLUMNS = "id, name, role, created_at, disabled_at, password_changed_at"


def add(db: Database, name: str, role: str, password_hash: str) -> int:
    """Create an account; raises ValueError for a bad role or a name in use."""
    if role not in ROLES:
        raise ValueError(f"role must be one of {ROLES}, not {role!r}")
    if not NAME.match(name):
        raise ValueError("an account name is 1 to 64 letters, digits, '.', '_', '@' or '-'")
    if name.casefold() == SYSTEM_ACTOR:
        raise ValueError(f"{SYSTEM_ACTOR!r} is the name crumail itself signs the audit trail with")
    if get_by_name(db, name) is not None:
        raise ValueError(f"an account named {name!r} already exists")
    stamp = clock.stamp()
    cursor = db.execute(
        """INSERT INTO users (name, role, password_hash, created_at, password_changed_at)
           VALUES (?,?,?,?,?)""",
        [name, role, password_hash, stamp, stamp],
    )
    return cursor.lastrowid


def get(db: Database, user: int) -> dict | None:
    return _one(db, f"SELECT {COLUMNS} FROM users WHERE id = ?", [user])


def get_by_name(db: Database, name: str) -> dict | None:
    return _one(db, f"SELECT {COLUMNS} FROM users WHERE name = ?", [name])


def password_hash(db: Database, name: str) -> tuple[int, str] | None:
    """(id, hash) of an enabled account, for checking a password at login."""
    row = db.execute(
        "SELECT id, password_hash FROM users WHERE name = ? AND disabled_at IS NULL", [name]
    ).fetchone()
    return (row[0], row[1]) if row else None


def set_password(db: Database, user: int, password_hash: str) -> None:
    db.execute(
        "UPDATE users SET password_hash = ?, password_changed_at = ? WHERE id = ?",
        [password_hash, clock.stamp(), user],
    )


def set_role(db: Database, user: int, role: str) -> None:
    if role not in ROLES:
        raise ValueError(f"role must be one of {ROLES}, not {role!r}")
    db.execute("UPDATE users SET role = ? WHERE id = ?", [role, user])


def set_disabled(db: Database, user: int, disabled: bool) -> None:
    db.execute("UPDATE users SET disabled_at = ? WHERE id = ?", [clock.stamp() if disabled else None, user])


def all_users(db: Database) -> list[dict]:
    return fetch_dicts(db, f"SELECT {COLUMNS} FROM users ORDER BY name")


def count_admins(db: Database) -> int:
    return db.execute(
        "SELECT count(*) FROM users WHERE role = 'admin' AND disabled_at IS NULL"
    ).fetchone()[0]


def _one(db: Database, sql: str, params: list) -> dict | None:
    return fetch_dict(db, sql, params)
