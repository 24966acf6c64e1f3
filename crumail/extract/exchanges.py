"""The mail around a request that is not itself a request: chasers,
clarifications, a force's reply to a circulation, and a force's question.

Only a referral gets a log number, so each of these must be told apart from
one (issue 12).  The tests are on the sender's own text and the subject:

* a **chaser** reminds someone that an answer is overdue (``Just chasing``,
  ``2nd request``, ``we have not yet received your response``);
* a **clarification** says a request is on hold until the applicant says
  what they mean, or asks for the request's full wording before logging;
* a **force reply** states what a force will do with a circulated request
  (``we will disclose``, ``we will rely on s43(2)``) and asks nothing;
* a **force query** asks the unit something about a request it has not
  (yet) referred: ``is this a mandatory referral?``, ``or can we deal with
  it locally?``, ``can we rely on the same advice?``.
"""

from __future__ import annotations

import re

CHASER_SUBJECT = re.compile(
    r"^\s*(?:(?:re|fw|fwd)\s*:\s*)*(?:chaser|reminder|(?:2nd|second|third|3rd|final)[ \t]+(?:request|reminder|chaser)"
    r"|follow(?:ing)?[ \t-]?up)\b"
    r"|\b(?:response|reply|position|advice)[ \t]+(?:position[ \t]+)?(?:outstanding|overdue)\b",
    re.I,
)
CHASER_TEXT = re.compile(
    r"\b(?:just[ \t]+)?chasing\b|\bfollowing[ \t]+up[ \t]+(?:my|our|on)\b|\bwe[ \t]+still[ \t]+(?:need|await|have[ \t]+not)\b"
    r"|\b(?:have|has)[ \t]+not[ \t]+yet[ \t]+(?:had|received|been[ \t]+sent)\b"
    r"|\bstill[ \t]+(?:awaiting|waiting[ \t]+for)\b|\b(?:is|are|remains?)[ \t]+(?:now[ \t]+)?overdue\b",
    re.I,
)
CLARIFICATION = re.compile(
    r"\bclarification[ \t]+(?:needed|sought|required|requested)\b"
    r"|\b(?:asked|ask|asking|go[ \t]+back[ \t]+to)[ \t]+the[ \t]+applicant\b[^.?!]{0,80}\b(?:clarif\w*|what[ \t]+they[ \t]+mean|whether)\b"
    r"|\bon[ \t]+hold[ \t]+(?:until|pending)\b"
    r"|\b(?:send|let[ \t]+us[ \t]+have)[ \t]+us[ \t]+the[ \t]+full[ \t]+wording\b|\bfull[ \t]+wording[ \t]+of[ \t]+the[ \t]+request\b",
    re.I,
)
#: A force saying what it will do, or did, with a circulated request: ``we``
#: or the force by any name (``Cumbria``, ``GMP``, ``Police Scotland``).
POSITION = re.compile(
    r"\b(?:we|and|but|so|(?-i:[A-Z][\w'’]*(?:\s+(?:of\s+)?[A-Z][\w'’]*){0,3}))(?:\s+(?:will|would|shall|intends?\s+to|are|have|had|is|now))+"
    r"\s+(?:now\s+|also\s+|only\s+|therefore\s+)?(?:be\s+)?(?:not\s+(?:be\s+)?)?"
    r"(?:disclos\w*|releas\w*|rely\w*|relying|apply\w*|applied|neither|refus\w*|withh[eo]ld\w*|provid\w*|respond(?:ed)?\s+as)"
    r"|\b(?:our|the\s+force['’]s|(?:[A-Z][\w'’]*\s+){1,3}(?:Police|Constabulary)['’]s?)\s+(?:position|response)\s+(?:on|to|is|will|went)\b"
    r"|\bposition\s+on\s+this\b|\bwe\s+(?:have\s+)?applied\b|\bwe\s+(?:are|will\s+be)\s+(?:not\s+)?(?:providing|disclosing|relying|refusing)\b"
    r"|\bwill\s+be\s+(?:disclosed|withheld|released|refused)\b|\b(?:is|are)\s+exempt\s+under\b"
    r"|\bpartial\s+disclosure\b|\b(?:is|are)\s+not\s+held\b|\binformation\s+not\s+held\b|\bdo(?:es)?\s+not\s+hold\b"
    r"|\bholds?\s+no\s+information\b|\b(?:have|has)\s+not\s+yet\s+decided\b|\bwe\s+have\s+(?:now\s+)?decided\b",
    re.I,
)
#: A line of prose: a signature block has none.
PROSE_LINE = re.compile(r"(?:\S+[ \t]+){5,}\S")
#: A force asking whether to refer at all, or whether old advice still serves:
#: a question, though it quotes the request or says "referral".
UNREFERRED = re.compile(
    r"\b(?:haven['’]t|have[ \t]+not|not)[ \t]+(?:yet[ \t]+)?(?:logged|sent|referred)[ \t]+it\b"
    r"|\bnot[ \t]+(?:yet[ \t]+)?sent[ \t]+it[ \t]+in\b|\bbefore[ \t]+we[ \t]+(?:send|refer)\b"
    r"|\bwhether[ \t]+(?:this|it)[ \t]+(?:is|needs)\b|\b(?:deal[ \t]+with|answer)[ \t]+(?:it|this)[ \t]+locally\b"
    r"|\bone[ \t]+for[ \t]+us[ \t]+to[ \t]+deal[ \t]+with\b|\brely[ \t]+on[ \t]+the[ \t]+same[ \t]+advice\b"
    r"|\b(?:is|are)[ \t]+(?:that|the|this)[ \t]+advice[ \t]+still\b|\brefer[ \t]+it[ \t]+again\b",
    re.I,
)


def is_chaser(subject: str, own: str) -> bool:
    return bool(CHASER_SUBJECT.search(subject) or CHASER_TEXT.search(own))


def is_clarification(subject: str, own: str) -> bool:
    return bool(CLARIFICATION.search(subject) or CLARIFICATION.search(own))


def asks_before_referring(own: str) -> bool:
    """A question about whether (or how) to refer: a query, not a referral."""
    return "?" in own and bool(UNREFERRED.search(own))


def states_position(own: str) -> bool:
    """A force's stated response position, with no question in it."""
    return "?" not in own and bool(POSITION.search(own))


def says_nothing(own: str) -> bool:
    """Only a greeting and a signature: a reply that quotes and adds nothing
    (``Thanks, noted.`` is a sentence: it says it has read it)."""
    lines = [line.strip() for line in own.split("\n")]
    return not any(PROSE_LINE.search(line) or line.endswith((".", "!", "?")) for line in lines)
