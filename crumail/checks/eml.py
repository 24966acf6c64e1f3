"""Checking what actually leaves: an .eml's every text part, or a plain-text draft.

The body a person reads (the plain part, else the HTML as text) is checked
and its offsets are the ones ``crumail check`` prints.  Every other text
part (the HTML alternative, a .txt attachment, the parts of an attached
message) is checked too, its findings labelled with the part they are in,
because the send stage sends all of them.  An attachment that is not text
cannot be read here: it gives a warning so that a person opens it.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import replace
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import getaddresses
from typing import Iterable, Iterator

from crumail.checks.headers import header_findings
from crumail.checks.marking_floor import floor_findings
from crumail.checks.model import CheckContext, CheckReport, Finding
from crumail.checks.normalise import normalise
from crumail.checks.recipients import recipient_findings
from crumail.checks.runner import run_checks
from crumail.errors import CheckError

CHECKED_HEADERS = frozenset({"subject", "to", "cc", "bcc", "from", "reply-to"})
EML_HEADER = re.compile(rb"(?:[!-9;-~]+:[^\r\n]*\r?\n(?:[ \t][^\r\n]*\r?\n)*)+\r?\n")


def _part_text(part: EmailMessage) -> str:
    content = _repaired(part) if _lying_charset(part) else part.get_content()
    if isinstance(content, bytes):
        content = content.decode("utf-8", "replace")
    if not isinstance(content, str):
        return ""
    if part.get_content_type() != "text/html":
        return content
    from crumail.parse.text import html_to_text  # loads the code pages: only when mail is checked

    # hidden=True: unlike the parse stage, a check reads the title, styles
    # and scripts too, since they leave with the mail whether shown or not.
    return html_to_text(content, hidden=True)


def _lying_charset(part: EmailMessage) -> bool:
    """A text part whose charset the stdlib cannot decode with (``base64``,
    ``zlib``, an unknown name, a NUL): it would raise, not read the text."""
    from crumail.parse.text import text_codec  # loads the code pages: only when mail is checked

    charset = part.get_content_charset()
    return part.get_content_maintype() == "text" and bool(charset) and text_codec(charset) is None


def _repaired(part: EmailMessage) -> str:
    """The text as the parse stage repairs a lying charset, so the check sees what is stored."""
    from crumail.parse.text import decode_text

    payload = part.get_payload(decode=True)
    return decode_text(payload if isinstance(payload, bytes) else b"", part.get_content_charset())[0]


def eml_body(message: EmailMessage) -> str:
    """The text a person reads: the plain part, else the HTML as text."""
    part = message.get_body(preferencelist=("plain", "html"))
    return _part_text(part) if part is not None else ""  # type: ignore[arg-type]


# Headers every mail program writes; a plain-text draft that opens with
# "Name: ..." / "Phone: ..." lines has none or one of them.
MAIL_HEADERS = frozenset({
    b"from", b"to", b"cc", b"bcc", b"subject", b"date", b"message-id", b"mime-version", b"content-type",
    b"content-transfer-encoding", b"received", b"return-path", b"reply-to", b"sender", b"in-reply-to",
    b"references", b"delivered-to", b"dkim-signature", b"authentication-results", b"x-mailer", b"user-agent",
})
HEADER_NAME = re.compile(rb"^([!-9;-~]+):", re.M)


def looks_like_eml(data: bytes) -> bool:
    """True when data starts with a block of real mail headers and a blank line.

    The block must name at least two headers mail programs write (From, To,
    Subject, Date, Message-ID, MIME-Version, Content-Type ...), and those
    must be at least as many as the names no mail program writes (X- and
    List- headers aside): a draft whose first paragraph is "Name: ..." and
    "Phone: ..." is text.
    """
    head = data[:65536].lstrip(b"\xef\xbb\xbf")
    block = EML_HEADER.match(head)
    if block is None:
        return False
    names = {n.lower() for n in HEADER_NAME.findall(block.group())}
    known = names & MAIL_HEADERS
    unknown = {n for n in names - MAIL_HEADERS if not n.startswith((b"x-", b"list-", b"arc-", b"thread-"))}
    return len(known) >= 2 and len(known) >= len(unknown)


def _plain_text(data: bytes) -> str:
    """A plain-text draft's bytes as text, read as the parse stage reads a
    text part with no charset: UTF-8, any odd bytes Windows-1252.  An editor's
    byte-order mark goes first: it is no part of the text."""
    from crumail.parse.text import decode_text

    return decode_text(data.removeprefix(codecs.BOM_UTF8), None)[0]


def check_bytes(
    data: bytes,
    recipients: Iterable[str] = (),
    context: CheckContext | None = None,
    as_mail: bool | None = None,
) -> tuple[str, CheckReport]:
    """What ``crumail check`` runs: an .eml (recipients from its headers too) or plain text.

    ``as_mail`` forces one reading (``--eml`` True, ``--text`` False); None
    reads it as mail when it starts with real mail headers.  Returns the
    checked text (body findings' offsets refer to it) and the report.
    """
    if as_mail if as_mail is not None else looks_like_eml(data):
        return check_eml(data, recipients, context)
    base = context or CheckContext()
    extra = tuple(r for r in recipients if r)
    text = _plain_text(data)
    return text, run_checks(text, replace(base, recipients=base.recipients + extra))


def check_eml(
    data: bytes,
    extra_recipients: Iterable[str] = (),
    context: CheckContext | None = None,
) -> tuple[str, CheckReport]:
    """Check an .eml for its own To/Cc/Bcc plus ``extra_recipients``.

    Returns the body as decoded (the text the body findings' offsets refer
    to) and the report over every part.  ``context`` supplies the rest
    (internal domains, allow list, names); its recipients are replaced.
    Raises CheckError only when the bytes are no mail at all.
    """
    message, ctx = _read(data, extra_recipients, context or CheckContext())
    body_part = message.get_body(preferencelist=("plain", "html"))
    body = _part_text(body_part) if body_part is not None else ""  # type: ignore[arg-type]
    report = run_checks(body, ctx)
    others = list(_other_parts(message, body_part, ctx, report))
    named = [(k, str(v)) for k in ("From", "To", "Cc", "Bcc", "Reply-To") for v in message.get_all(k, [])]
    heads = list(header_findings(ctx.subject, named, ctx))
    floor = floor_findings(*normalise_pair(ctx.subject, body), ctx)
    addressed = [(k.lower(), a) for k in ("To", "Cc", "Bcc") for v in message.get_all(k, [])
                 for _, a in getaddresses([str(v)]) if a]
    confirm = recipient_findings(addressed, ctx)
    return body, CheckReport.of(report.findings + tuple(heads) + tuple(floor) + tuple(confirm) + tuple(others))


def normalise_pair(subject: str, body: str) -> tuple[str, str]:
    """Subject and body as the checks read them (look-alikes folded)."""
    return normalise(subject)[0], normalise(body)[0]


def _read(data: bytes, extra_recipients: Iterable[str], base: CheckContext) -> tuple[EmailMessage, CheckContext]:
    if not isinstance(data, (bytes, bytearray)) or not data.strip():
        raise CheckError("no message to check: the input is empty")
    try:
        message = message_from_bytes(bytes(data), policy=policy.default)
        _refuse_long_headers(message, base.max_header_chars)
        headers = [str(v) for key in ("To", "Cc", "Bcc") for v in message.get_all(key, [])]
        subject = str(message.get("Subject", "") or "")
    except CheckError:
        raise
    except Exception as exc:
        raise CheckError(f"the message cannot be read as mail: {exc}") from None
    # each header value whole: recipient_addresses reads it (and fails closed)
    recipients = [h for h in headers if h.strip()]
    recipients.extend(r for r in extra_recipients if r)
    return message, replace(base, recipients=tuple(recipients), subject=subject)  # type: ignore[return-value]


def _refuse_long_headers(message: EmailMessage, limit: int) -> None:
    """Fail closed on a Subject or recipient header too long to read: the
    standard library's header parser grows with the square of its length
    (a 300 KB subject took 800 MB), and a check that cannot run blocks."""
    for name, value in message.raw_items():
        if name.lower() in CHECKED_HEADERS and len(value) > limit:
            raise CheckError(f"the {name} header is {len(value):,} characters long, too long to check "
                             f"(at most {limit:,}, [intake] max_header_chars): shorten it")


def _other_parts(
    message: EmailMessage, body_part: object, ctx: CheckContext, body_report: CheckReport
) -> Iterator[Finding]:
    """Findings in every part but the body, each labelled with its part."""
    marked = any(f.check == "marking" for f in body_report.findings)
    part_ctx = replace(ctx, subject="")
    for number, part in enumerate(message.walk()):
        if part is body_part or part.is_multipart():
            continue
        label = _label(part, number)
        if part.get_content_maintype() != "text":
            yield Finding("attachment", 0, 0, "", "warn", f"{label} is not text and was not checked: open it before sending", part=label)
            continue
        try:
            text = _part_text(part)  # type: ignore[arg-type]
        except Exception as exc:  # an undecodable part must be looked at, not skipped
            yield Finding("check_failed", 0, 0, "", "block", f"{label} could not be decoded ({exc})", False, label)
            continue
        for finding in run_checks(text, part_ctx).findings:
            if not (marked and finding.check == "marking"):
                yield replace(finding, part=label)


def _label(part: EmailMessage, number: int) -> str:
    filename = part.get_filename()
    if filename:
        return f"attachment {filename!r}"
    return f"part {number} ({part.get_content_type()})"
