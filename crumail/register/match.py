"""Which force a message comes from (pure: the register's rows in, one force out).

In order: the force the mail names in ``Logged with`` (its name or short
name), then the sender's address among the forces' FOI mailboxes, then the
longest of the forces' domains that the sender's domain ends with (a reply
from ``foi@mail.lancashire.police.example`` is Lancashire's, and
``notlancashire.police.example`` is nobody's: only whole labels match).
Inactive forces still match: their old mail is still theirs.
"""

from __future__ import annotations

from typing import Iterable, Sequence

from crumail.model import Force

#: Labels of a sender's domain considered: a longer one cannot be a force's.
MAX_LABELS = 16


def force_for(forces: Sequence[Force], logged_with: str | None, sender: str | None) -> Force | None:
    """The force of a message that names ``logged_with`` and comes from ``sender``."""
    return by_name(forces, logged_with) or by_sender(forces, sender)


def by_name(forces: Iterable[Force], name: str | None) -> Force | None:
    wanted = _folded(name)
    if not wanted:
        return None
    named = [f for f in forces if wanted in (_folded(f.name), _folded(f.short_name))]
    return min(named, key=lambda f: _folded(f.name) != wanted, default=None)


def by_sender(forces: Sequence[Force], sender: str | None) -> Force | None:
    """By FOI mailbox first, else by the longest matching domain suffix."""
    address = (sender or "").strip().strip("<>").lower()
    if "@" not in address:
        return None
    for force in forces:
        if address in force.foi_mailboxes:
            return force
    domain = address.rpartition("@")[2].strip(".")
    suffixes = _suffixes(domain)
    best: tuple[int, Force] | None = None
    for force in forces:
        for known in force.domains:
            if known in suffixes and (best is None or len(known) > best[0]):
                best = (len(known), force)
    return best[1] if best else None


def _suffixes(domain: str) -> frozenset[str]:
    labels = domain.split(".")[-MAX_LABELS:]
    return frozenset(".".join(labels[i:]) for i in range(len(labels)))


def _folded(text: str | None) -> str:
    return " ".join((text or "").lower().split())
