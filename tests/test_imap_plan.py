"""The exactly-once plan of an IMAP folder's sync (crumail/sources/imap/plan.py),
branch by branch, without a server: each row is one situation a SELECT and a
SEARCH can show, and what crumail must do about it."""

from __future__ import annotations

import pytest

from crumail.sources.imap.plan import Actions, Known, Look, Plan, look, pending_actions, plan

# (why, UIDVALIDITY, UIDNEXT, known to the ledger) -> Look
LOOKS = [
    ("first sync of an empty folder", 7, 1, Known(), Look(1, None)),
    ("first sync, mail waiting", 7, 5, Known(), Look(1, 1)),
    ("nothing new since the last poll", 7, 5, Known(7, 5), Look(5, None)),
    ("UIDNEXT below the watermark (never moves back; nothing new)", 7, 3, Known(7, 5), Look(5, None)),
    ("new mail since the last poll", 7, 9, Known(7, 5), Look(5, 5)),
    ("a server that does not say UIDNEXT: always search", 7, None, Known(7, 5), Look(5, 5)),
    ("no UIDNEXT, never polled", 7, None, Known(), Look(1, 1)),
    ("UIDVALIDITY changed: recreated, take it again from 1", 8, 5, Known(7, 5), Look(1, 1, changed=True)),
    ("UIDVALIDITY changed, new folder empty", 8, 1, Known(7, 5), Look(1, None, changed=True)),
    ("UIDVALIDITY changed, no UIDNEXT", 8, None, Known(7, 40), Look(1, 1, changed=True)),
    ("known UIDVALIDITY, no watermark stored yet", 7, 4, Known(7, None), Look(1, 1)),
    ("a watermark of 0 stored is read as 1", 7, 1, Known(7, 0), Look(1, None)),
]


@pytest.mark.parametrize("why, uidvalidity, uidnext, known, expected", LOOKS, ids=[r[0] for r in LOOKS])
def test_look(why, uidvalidity, uidnext, known, expected):
    assert look(uidvalidity, uidnext, known) == expected


# (why, UIDNEXT, watermark, SEARCH found, ledger holds, other UIDVALIDITY) -> Plan
PLANS = [
    ("fetch every new UID", 9, 5, [5, 6, 8], [], False, Plan(frozenset({5, 6, 8}), 9)),
    ("SEARCH N:* gives the highest UID even below N: left out", 9, 5, [4], [], False, Plan(frozenset(), 9)),
    ("committed before a crash, watermark not moved: not again", 9, 5, [5, 6, 7, 8], [5, 6], False,
     Plan(frozenset({7, 8}), 9)),
    ("all taken already: nothing to fetch, watermark catches up", 9, 5, [5, 6], [5, 6], False,
     Plan(frozenset(), 9)),
    ("mail expunged meanwhile: nothing found, watermark to UIDNEXT", 9, 5, [], [], False, Plan(frozenset(), 9)),
    ("UID at or past UIDNEXT (arrived after SELECT): watermark past it", 9, 5, [5, 11], [], False,
     Plan(frozenset({5, 11}), 12)),
    ("no UIDNEXT: the watermark goes past the highest UID found", None, 5, [5, 7], [], False,
     Plan(frozenset({5, 7}), 8)),
    ("no UIDNEXT, nothing found: the watermark stays", None, 5, [], [], False, Plan(frozenset(), 5)),
    ("after a UIDVALIDITY change: fetch all, match by Message-ID", 4, 1, [1, 2, 3], [], True,
     Plan(frozenset({1, 2, 3}), 4, resync=True)),
    ("ledger entries below the watermark do not matter", 9, 5, [5], [1, 2, 3], False, Plan(frozenset({5}), 9)),
]


@pytest.mark.parametrize("why, uidnext, watermark, found, taken, other, expected", PLANS,
                         ids=[r[0] for r in PLANS])
def test_plan(why, uidnext, watermark, found, taken, other, expected):
    assert plan(uidnext, watermark, found, taken, other) == expected


def test_the_watermark_never_passes_a_pending_uid():
    """Every UID below the target is either pending or taken: acknowledging every
    pending one and then moving to the target loses nothing."""
    for uidnext in (None, 1, 6, 30):
        for watermark in (1, 5):
            found = [u for u in range(1, 25) if u % 3]
            taken = [u for u in found if u % 4 == 0]
            result = plan(uidnext, watermark, found, taken)
            below = {u for u in found if watermark <= u < result.target}
            assert below <= set(result.pending) | set(taken)


ACTIONS = [
    ("none pending", False, True, Actions.NONE),
    ("none pending, source does not act", False, False, Actions.NONE),
    ("pending, source acts: void other UIDVALIDITYs, retry the rest", True, True, Actions.RETRY),
    ("pending, source no longer acts: void them all", True, False, Actions.VOID_ALL),
]


@pytest.mark.parametrize("why, pending, acts, expected", ACTIONS, ids=[r[0] for r in ACTIONS])
def test_pending_actions(why, pending, acts, expected):
    assert pending_actions(pending, acts) is expected
