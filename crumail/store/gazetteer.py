"""The names gazetteer: people crumail has seen in the mail it stores.

Display names in From/To/Cc, ``first.last@`` addresses and names under a
sign-off are learned as each message is stored (in the same transaction),
so the outbound checks know the people the unit corresponds with.  Learning
is idempotent: ``crumail reprocess`` learns the same names again.
"""

from __future__ import annotations

from sqlite_utils import Database

from crumail.checks import learn_names, names_from_signature
from crumail.model import ParsedMail
from crumail.store.clock import now


def names_in(parsed: ParsedMail) -> set[str]:
    """Every person's name this message and its nested messages show."""
    found: set[str] = set()
    for mail in parsed.walk():
        people = [p for p in (mail.from_, *mail.to, *mail.cc, *mail.bcc, *mail.reply_to) if p]
        found |= learn_names([p.name for p in people if p.name],
                             [p.address for p in people if p.address])
        found |= names_from_signature(mail.text)
    return found


def learn(db: Database, parsed: ParsedMail) -> None:
    stamp = now()
    db.conn.executemany(
        """INSERT INTO gazetteer (name, first_seen, last_seen) VALUES (?, ?, ?)
           ON CONFLICT(name) DO UPDATE SET last_seen = excluded.last_seen""",
        [(name, stamp, stamp) for name in sorted(names_in(parsed))],
    )


def names(db: Database) -> set[str]:
    return {row[0] for row in db.execute("SELECT name FROM gazetteer")}

