"""The exactly-once plan of one folder's sync, as pure functions.

``ImapSource`` (crumail/sources/imap/source.py) makes the IMAP calls and
the ledger reads and writes; what to do between them is decided here, from
values only, so that every branch is tested without a server
(tests/test_imap_plan.py):

1. :func:`look`, after SELECT: from the folder's UIDVALIDITY and UIDNEXT and
   what the ledger holds of it (the UIDVALIDITY last seen, the watermark
   below which every UID is taken), whether anything can be new and from
   which UID to search.  A changed UIDVALIDITY means the folder was
   recreated: every UID is new again, so the search starts at 1 and the
   watermark stored is reset.
2. :func:`plan`, after ``UID SEARCH watermark:*``: from the UIDs the server
   gave and those the ledger already holds above the watermark, which UIDs
   to fetch and the watermark once they are all taken.  After a UIDVALIDITY
   change the fetched mail is matched by Message-ID (here ``resync``) and
   by SHA-256 (in the pipeline), so nothing taken before is stored twice.
3. :func:`pending_actions`, before either: what to do with server actions
   (move, keyword) an earlier cycle recorded and did not finish.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Iterable


@dataclass(frozen=True)
class Known:
    """What the ledger holds of one folder."""

    uidvalidity: int | None = None   # None: never selected before
    uidnext: int | None = None       # the watermark: every UID below it is taken


@dataclass(frozen=True)
class Look:
    """What SELECT's answer says to do.

    ``search_from`` is None when nothing can be new (no SEARCH, no FETCH);
    otherwise the first UID to search for.  ``changed`` says that the
    folder's UIDVALIDITY is not the one last seen: the stored watermark is
    reset and the mail taken again, with duplicates recognised."""

    watermark: int
    search_from: int | None
    changed: bool = False


@dataclass(frozen=True)
class Plan:
    """Which UIDs to fetch, and the watermark once every one of them is acknowledged."""

    pending: frozenset[int]
    target: int
    resync: bool = False             # match fetched mail by Message-ID against older UIDVALIDITYs


class Actions(Enum):
    """What to do with server actions an earlier cycle left pending in a folder."""

    NONE = "none"                    # none pending
    VOID_ALL = "void_all"            # the source no longer acts: void them all, do none
    RETRY = "retry"                  # void those of another UIDVALIDITY, do the rest


def look(uidvalidity: int, uidnext: int | None, known: Known) -> Look:
    """Step 1, from SELECT's UIDVALIDITY and UIDNEXT (None: the server did not say)."""
    changed = known.uidvalidity is not None and known.uidvalidity != uidvalidity
    watermark = 1 if changed else max(int(known.uidnext or 1), 1)
    if uidnext is not None and uidnext <= watermark:
        return Look(watermark, None, changed)
    return Look(watermark, watermark, changed)


def plan(uidnext: int | None, watermark: int, found: Iterable[int], taken: Iterable[int],
         other_uidvalidity: bool = False) -> Plan:
    """Step 2: ``found`` are the UIDs ``UID SEARCH watermark:*`` gave, ``taken``
    those the ledger holds at or above the watermark (committed, the watermark
    not yet moved: a crash in between).  A server answers ``N:*`` with its
    highest UID even when that is below N, so UIDs below the watermark are
    left out.  ``other_uidvalidity``: the ledger holds this folder under
    another UIDVALIDITY (it was recreated)."""
    uids = {u for u in found if u >= watermark}
    target = max([uidnext or 0, watermark, *(u + 1 for u in uids)])
    return Plan(frozenset(uids - set(taken)), target, other_uidvalidity)


def pending_actions(any_pending: bool, acts: bool) -> Actions:
    """Step 0: ``acts`` is whether the source is configured to move or mark mail now."""
    if not any_pending:
        return Actions.NONE
    return Actions.RETRY if acts else Actions.VOID_ALL
