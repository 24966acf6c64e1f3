"""The names gazetteer: people crumail has seen in the mail it stores.

Display names in From/To/Cc, ``first.last@`` addresses and names under a
sign-off are learned as each message is stored (in the same transaction),
so the outbound checks know the people the unit corresponds with.  Which
words are a person's name is the checks' business
(``crumail.checks.names_in``): the message to store carries its names in.
Learning is idempotent: ``crumail reprocess`` learns the same names again.
"""

from __future__ import annotations

from typing import Iterable

from sqlite_utils import Database

from crumail import clock


def learn(db: Database, names: Iterable[str]) -> None:
    stamp = clock.stamp()
    db.conn.executemany(
        """INSERT INTO gazetteer (name, first_seen, last_seen) VALUES (?, ?, ?)
           ON CONFLICT(name) DO UPDATE SET last_seen = excluded.last_seen""",
        [(name, stamp, stamp) for name in sorted(names)],
    )


def names(db: Database) -> set[str]:
    return {row[0] for row in db.execute("SELECT name FROM gazetteer")}



def forget(db: Database, names: Iterable[str]) -> int:
    """Remove names (an erasure on request); how many were there."""
    return sum(db.execute("DELETE FROM gazetteer WHERE name = ?", [name]).rowcount for name in names)
