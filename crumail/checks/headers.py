"""The Subject and the display names: checked like the body, each its own part.

A referral's subject can carry the applicant's name, mobile and address,
and an acknowledgement that repeats it sends them on; a display name can
hold a phone number or a case note ("Jane Smith re 07700 900417").  The
subject gets every check (its marking is judged by the marking check with
the body, so that one is left out here).  A display name that is only a
person's name is that person's own address label, which the mail must
carry; anything else in it is checked like the body.
"""

from __future__ import annotations

from dataclasses import replace
from email.utils import getaddresses
from typing import Iterable, Iterator

from crumail.checks.markings import MarkingCheck
from crumail.checks.model import Check, CheckContext, Finding
from crumail.checks.names import NameCheck
from crumail.checks.runner import DEFAULT_CHECKS, run_checks
from crumail.wordlists import looks_like_person

#: Header name -> the part its findings carry.
NAME_HEADERS = (("From", "from"), ("To", "to"), ("Cc", "cc"), ("Bcc", "bcc"), ("Reply-To", "reply-to"))
SUBJECT_CHECKS: tuple[Check, ...] = tuple(c for c in DEFAULT_CHECKS if not isinstance(c, MarkingCheck))
NAME_CHECKS: tuple[Check, ...] = tuple(c for c in SUBJECT_CHECKS if not isinstance(c, NameCheck))


def header_findings(subject: str, headers: Iterable[tuple[str, str]], context: CheckContext) -> Iterator[Finding]:
    """Findings in the subject and in every display name of ``headers`` ((name, value) pairs)."""
    plain = replace(context, subject="")
    if subject.strip():
        for finding in run_checks(subject, plain, SUBJECT_CHECKS).findings:
            yield replace(finding, part="subject")
    parts = dict((h.lower(), p) for h, p in NAME_HEADERS)
    for header, value in headers:
        part = parts.get(header.lower())
        if part is None:
            continue
        for name, _address in getaddresses([value]):
            yield from _display_name(name, part, plain)


def _display_name(name: str, part: str, context: CheckContext) -> Iterator[Finding]:
    if not name.strip():
        return
    checks = NAME_CHECKS if looks_like_person(name, allow_single=True) else SUBJECT_CHECKS
    for finding in run_checks(name, context, checks).findings:
        reason = f"{finding.reason} (in the {part} display name {name!r})"
        yield replace(finding, part=part, reason=reason)
