"""Server actions after commit: what a source must still do to a stored message.

An IMAP source with ``move_to`` or ``add_keyword`` asks for an action on
each message it hands over (``RawMessage.server_action``).  The batch that
commits the message records the action as *pending* in the same
transaction (crumail/store/batch.py), so the two exist together or not at
all.  The source carries it out after the commit and marks it *done*; one
that fails (a server error, a folder that does not exist yet, a crash or a
lost connection first) stays pending, with its attempts and last error, and
is tried again on the next cycle.  A pending action whose folder has since
changed UIDVALIDITY is *void*: its UID names nothing any more.

Every function here runs inside the caller's transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from sqlite_utils import Database

from crumail import clock
from crumail.model import RawMessage, ServerAction
from crumail.store.db import fetch_dicts


@dataclass(frozen=True)
class Pending:
    """One pending action, for the source to carry out."""

    uidvalidity: int
    uid: int
    action: ServerAction


def record(db: Database, raw: RawMessage) -> None:
    """The action ``raw`` asks for, pending; nothing when it asks for none."""
    action = raw.server_action
    if action is None or raw.folder is None or raw.uidvalidity is None or raw.uid is None:
        return
    db.execute(
        """INSERT INTO server_actions (source, folder, uidvalidity, uid, add_keyword, move_to, created_at)
           VALUES (?,?,?,?,?,?,?) ON CONFLICT DO NOTHING""",
        [raw.source, raw.folder, raw.uidvalidity, raw.uid, action.add_keyword, action.move_to, clock.stamp()])


def any_pending(db: Database, source: str, folder: str) -> bool:
    """True when ``folder`` has a pending action: one indexed read, so that a poll
    with nothing to do writes nothing."""
    return db.execute("SELECT 1 FROM server_actions WHERE state = 'pending' AND source = ? AND folder = ? "
                      "LIMIT 1", [source, folder]).fetchone() is not None


def pending(db: Database, source: str, folder: str, *, limit: int) -> list[Pending]:
    """Up to ``limit`` pending actions of ``folder``, oldest UIDs first."""
    rows = db.execute(
        """SELECT uidvalidity, uid, add_keyword, move_to FROM server_actions
           WHERE state = 'pending' AND source = ? AND folder = ? ORDER BY uid LIMIT ?""",
        [source, folder, limit])
    return [Pending(v, u, ServerAction(k, m)) for v, u, k, m in rows]


def done(db: Database, source: str, folder: str, uidvalidity: int, uids: Iterable[int]) -> None:
    stamp = clock.stamp()
    db.conn.executemany(
        """UPDATE server_actions SET state = 'done', settled_at = ?, last_attempt = ?
           WHERE source = ? AND folder = ? AND uidvalidity = ? AND uid = ? AND state = 'pending'""",
        [(stamp, stamp, source, folder, uidvalidity, uid) for uid in uids])


def failed(db: Database, source: str, folder: str, uidvalidity: int, uids: Iterable[int],
           error: str) -> None:
    """Count one more failed attempt; the actions stay pending."""
    stamp = clock.stamp()
    db.conn.executemany(
        """UPDATE server_actions SET attempts = attempts + 1, last_error = ?, last_attempt = ?
           WHERE source = ? AND folder = ? AND uidvalidity = ? AND uid = ? AND state = 'pending'""",
        [(error, stamp, source, folder, uidvalidity, uid) for uid in uids])


def void(db: Database, source: str, folder: str, reason: str, *, keep_uidvalidity: int | None = None) -> int:
    """Void the pending actions of ``folder`` (except those under ``keep_uidvalidity``); how many."""
    stamp = clock.stamp()
    cursor = db.execute(
        """UPDATE server_actions SET state = 'void', last_error = ?, settled_at = ?
           WHERE state = 'pending' AND source = ? AND folder = ? AND uidvalidity IS NOT ?""",
        [reason, stamp, source, folder, keep_uidvalidity])
    return cursor.rowcount


def summary(db: Database) -> dict[tuple[str, str], dict]:
    """Per (source, folder) with open or void actions: pending, failed (pending
    after a failed attempt), void, and the last error of a pending one."""
    rows = fetch_dicts(
        db,
        """SELECT source, folder, sum(state = 'pending') AS pending,
                  sum(state = 'pending' AND attempts > 0) AS failed, sum(state = 'void') AS void,
                  (SELECT last_error FROM server_actions AS s WHERE s.state = 'pending'
                     AND s.source = a.source AND s.folder = a.folder AND s.attempts > 0
                   ORDER BY s.last_attempt DESC LIMIT 1) AS last_error
           FROM server_actions AS a WHERE state IN ('pending', 'void') GROUP BY source, folder""")
    return {(r.pop("source"), r.pop("folder")): r for r in rows}


def prune(db: Database, before: str) -> int:
    """Forget done and void actions settled before ``before``."""
    cursor = db.execute("DELETE FROM server_actions WHERE state != 'pending' AND settled_at < ?", [before])
    return cursor.rowcount
