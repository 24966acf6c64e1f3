"""A draft marked lower than what it quotes or answers, or stripped of a caveat.

Drafting gives a draft the highest marking of its sources (the referral,
the messages attached to it, the logs it cites) and all their handling
caveats (``crumail.drafts.marking_floor``); the draft records them.  An
edit that lowers the marking written in the subject or body, or drops
POLICE EYES ONLY or NOT FOR PUBLICATION, would send OFFICIAL-SENSITIVE
material as if it were OFFICIAL: a hard block, checked at approval and at
send against what the draft recorded.
"""

from __future__ import annotations

import re

from crumail.checks.model import CheckContext, Finding
from crumail.extract.markings import protective_marking
from crumail.wordlists import MARKING_RANK

NAME = "marking_floor"


def _rank(marking: str | None) -> int:
    return -1 if not marking else MARKING_RANK.get(marking, 1)


def _squeezed(text: str) -> str:
    return " ".join(re.split(r"[\s\-–]+", text.upper()))


def floor_findings(subject: str, body: str, context: CheckContext) -> list[Finding]:
    """Findings when the mail is marked below ``context.marking_floor`` or lacks a caveat of ``caveat_floor``."""
    found = []
    wanted = context.marking_floor
    if wanted:
        written = protective_marking(subject, body)
        if _rank(written) < _rank(wanted):
            reason = (f"the draft is marked {written or 'with no marking'}, lower than {wanted}, the marking of "
                      f"what it quotes or answers; mark it {wanted} (this cannot be overridden)")
            found.append(Finding(NAME, 0, 0, "", "block", reason, False))
    if context.caveat_floor:
        text = _squeezed(subject + "\n" + body)
        for caveat in context.caveat_floor:
            if _squeezed(caveat) not in text:
                reason = (f"the handling caveat {caveat} of what the draft quotes or answers is missing; "
                          f"keep it in the subject or at the top (this cannot be overridden)")
                found.append(Finding(NAME, 0, 0, "", "block", reason, False))
    return found
