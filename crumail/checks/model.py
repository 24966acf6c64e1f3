"""The values the outbound checks pass around: frozen dataclasses only.

A check reads a draft's text with a :class:`CheckContext` (who it goes to,
which domains are inside the police network, the allow list and the names
crumail knows) and returns :class:`Finding` values.  :class:`CheckReport` is
what ``crumail check`` prints, field for field as in CONTRACTS.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from email.utils import getaddresses
from typing import Any, Iterable, Literal, Protocol

from crumail.limits import DEFAULT as DEFAULT_LIMITS, Limits
from crumail.settings import RedactionSettings

Severity = Literal["block", "warn"]
EMPTY_GROUP = re.compile(r"\s*[^@<>,;:]*:\s*;?\s*")


@dataclass(frozen=True)
class Finding:
    """One thing a check found: where, what, how bad, and why it matters.

    ``start``/``end`` are character offsets into the checked text, so that
    ``text == checked[start:end]``.  ``part`` is "body" for that text;
    otherwise it names where else the finding was made ("subject", or
    another part of an .eml such as its HTML alternative or an attachment)
    and the offsets are into that part's text.
    ``overridable`` is False for what no justification may release, such as
    police-only material addressed outside the police network.
    """

    check: str
    start: int
    end: int
    text: str
    severity: Severity
    reason: str
    overridable: bool = True
    part: str = "body"
    #: For a finding inside an attachment: its file name (nested names joined
    #: with "/") and the place in it ("sheet Staff (hidden)!A2", "page 2", or
    #: None for the whole file); the offsets are into that place's text.
    attachment: str | None = None
    location: str | None = None

    def as_dict(self) -> dict[str, Any]:
        where = {"attachment": self.attachment, "location": self.location} if self.attachment is not None else {}
        return {
            "check": self.check,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "severity": self.severity,
            "reason": self.reason,
            "overridable": self.overridable,
            "part": self.part,
            **where,
        }


def _words(values: Iterable[str] | None) -> frozenset[str]:
    return frozenset(" ".join(v.split()) for v in values or () if v and v.strip())


@dataclass(frozen=True)
class CheckContext:
    """Everything a check may know besides the text itself.

    ``recipients`` are bare addresses or ``Name <address>`` forms;
    ``names`` is the gazetteer crumail learnt from stored mail and
    ``staff_names`` the list operators keep; ``subject`` lets the marking
    check see a marking written only in the subject line.
    """

    recipients: tuple[str, ...] = ()
    internal_domains: tuple[str, ...] = ()
    allow: frozenset[str] = frozenset()
    names: frozenset[str] = frozenset()
    staff_names: frozenset[str] = frozenset()
    subject: str = ""
    #: Longer Subject/To/Cc/Bcc headers are not read (the checks fail closed).
    max_header_chars: int = DEFAULT_LIMITS.max_header_chars
    #: The marking and handling caveats of what the draft quotes or answers:
    #: the mail may carry no lower marking and must keep every caveat.
    marking_floor: str | None = None
    caveat_floor: tuple[str, ...] = ()
    #: The address of the message the draft answers: recipients outside the
    #: police network other than it must be confirmed (``recipients``).
    answering: str | None = None
    #: The caps (attachments are inspected under its [attachments] ones).
    limits: Limits = DEFAULT_LIMITS

    @classmethod
    def build(
        cls,
        recipients: Iterable[str] = (),
        internal_domains: Iterable[str] = (),
        allow: Iterable[str] = (),
        names: Iterable[str] = (),
        staff_names: Iterable[str] = (),
        subject: str = "",
    ) -> "CheckContext":
        """A context from plain iterables, whitespace tidied."""
        return cls(
            recipients=tuple(r.strip() for r in recipients if r and r.strip()),
            internal_domains=tuple(d.strip().lower().strip(".@") for d in internal_domains if d and d.strip(" .@")),
            allow=_words(allow),
            names=_words(names),
            staff_names=_words(staff_names),
            subject=subject or "",
        )

    @classmethod
    def from_config(
        cls,
        redaction: RedactionSettings,
        recipients: Iterable[str] = (),
        names: Iterable[str] = (),
        subject: str = "",
    ) -> "CheckContext":
        """A context from the config's ``[redaction]`` settings (their types
        were checked when the config was loaded)."""
        return cls.build(
            recipients=recipients,
            internal_domains=redaction.internal_domains,
            allow=redaction.allow,
            names=names,
            staff_names=redaction.staff,
            subject=subject,
        )

    def recipient_addresses(self) -> list[str]:
        """Bare lower-case addresses of every recipient.

        A recipient that cannot be read as an address is kept as written, so
        that it counts as outside the police network: the checks fail closed.
        """
        found = []
        for recipient in self.recipients:
            if EMPTY_GROUP.fullmatch(recipient):
                continue  # "undisclosed-recipients:;" names nobody
            # "Smith, Jane <j@x>" unquoted parses as "Smith" and "j@x": keep the address
            addresses = [addr.strip().lower() for _, addr in getaddresses([recipient]) if "@" in addr]
            found.extend(addresses or [recipient.strip().lower()])
        return found

    def is_internal(self, address: str) -> bool:
        """True when the address's domain is an internal domain or below one."""
        domain = address.rpartition("@")[2].strip().lower().rstrip(".")
        return any(domain == d or domain.endswith("." + d) for d in self.internal_domains)


class Check(Protocol):
    """A small named check: text and context in, findings out, never raising."""

    name: str

    def run(self, text: str, context: CheckContext) -> list[Finding]: ...


@dataclass(frozen=True)
class CheckReport:
    """The outcome of every check over one text, as ``crumail check`` prints it."""

    blocked: bool
    findings: tuple[Finding, ...] = field(default=())

    @classmethod
    def of(cls, findings: Iterable[Finding]) -> "CheckReport":
        """A report over these findings, blocked when any of them blocks."""
        found = tuple(findings)
        return cls(blocked=any(f.severity == "block" for f in found), findings=found)

    @property
    def exit_status(self) -> int:
        """What ``crumail check`` exits with: 3 when blocked, else 0 (CONTRACTS.md)."""
        return 3 if self.blocked else 0

    @property
    def overridable(self) -> bool:
        """True when every blocking finding may be released with a justification."""
        return all(f.overridable for f in self.findings if f.severity == "block")

    def as_dict(self) -> dict[str, Any]:
        return {"blocked": self.blocked, "findings": [f.as_dict() for f in self.findings]}
