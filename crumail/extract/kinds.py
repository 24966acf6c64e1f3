"""What kind of message this is, as the unit sorts its mailbox.

Auto-replies are known first, from headers (``Auto-Submitted``,
``X-Auto-Response-Suppress``), Outlook's ``Automatic reply:`` subject or
their wording, then split into ``out_of_office`` and ``acknowledgement``.
A circulation is known by its subject (``CRU Circulation``) or by its
fields (``Case worker:``, ``Logged with:``); a forward of one, by a forward
prefix or an own text that only passes on a quoted or attached circulation.
The mail around a request (chasers, clarifications, a force's reply or
question) is told apart from a referral by ``exchanges``.
"""

from __future__ import annotations

import re

from crumail.extract import exchanges
from crumail.extract.fields import read_fields
from crumail.extract.lognumbers import find_logs
from crumail.extract.quoting import Layer
from crumail.extract.sections import request_start
from crumail.model import ParsedMail
from crumail.wordlists import FORWARD_PREFIX, REPLY_PREFIX

AUTO_HEADERS = {
    "auto-submitted": re.compile(r"^(?!\s*no\b)\s*\S", re.I),
    "x-auto-response-suppress": re.compile(r"\b(?:all|oof|autoreply)\b", re.I),
    "x-autoreply": re.compile(r"\S"),
    "x-autorespond": re.compile(r"\S"),
    "precedence": re.compile(r"auto[_-]?reply", re.I),
}
AUTO_SUBJECT = re.compile(
    r"^\s*(?:automatic[ \t]+reply|auto(?:matic)?[ \t-]?(?:reply|response)|autoreply|out[ \t]+of[ \t]+(?:the[ \t]+)?office"
    r"|OOO\b|acknowledge?ment\b|auto[ \t-]?acknowledge?ment|receipt\b|we[ \t]+have[ \t]+received)",
    re.I,
)
OOO_TEXT = re.compile(
    r"\bout[ \t]+of[ \t]+(?:the[ \t]+)?office\b|\bannual[ \t]+leave\b|\bon[ \t]+(?:leave|holiday)\b"
    r"|\baway[ \t]+from[ \t]+(?:the|my)[ \t]+(?:office|desk)\b|\blimited[ \t]+access[ \t]+to\b"
    r"|\bback[ \t]+in[ \t]+the[ \t]+office\b|\bnot[ \t]+in[ \t]+the[ \t]+office\b"
    r"|\b(?:away|off)\b[^.\n]{0,30}\buntil\b|\bback[ \t]+on\b"
    r"|\b(?:I[ \t]+will|I'll|I[ \t]+am)[ \t]+(?:be[ \t]+)?(?:back|returning|away|absent)\b",
    re.I,
)
ACK_TEXT = re.compile(
    r"\backnowledge?(?:s|ment)?\b[^.\n]{0,60}\breceipt\b|\bthis[ \t]+is[ \t]+an[ \t]+automat(?:ed|ic)\b"
    r"|\bhas[ \t]+been[ \t]+received\b|\bwe[ \t]+have[ \t]+received[ \t]+your\b"
    r"|\bautomatic(?:ally)?[ \t]+(?:generated|acknowledge?ment|response|reply)\b"
    r"|\bdo[ \t]+not[ \t]+reply[ \t]+to[ \t]+this\b|\breceipt[ \t]+of[ \t]+your\b",
    re.I,
)
CIRCULATION_SUBJECT = re.compile(r"\bcirculation\b", re.I)
UNIT_CIRCULATION = re.compile(r"\bCRU[ \t]+circulation\b", re.I)
#: ``Log No. 43/23 - Including Advice``: the unit's own subject without the word.
ADVICE_SUBJECT = re.compile(r"\b(?:including|further|updated?|CRU)[ \t]+advice\b", re.I)
CIRCULATION_BODY = re.compile(
    r"\blogged[ \t]+(?:in|with|by)[ \t]+the[ \t]+CRU\b|\bCRU[ \t]+circulation\b"
    r"|\bcirculated[ \t]+to[ \t]+(?:all[ \t]+)?forces\b|\badvice[ \t]+in[ \t]+relation[ \t]+to[ \t]+the[ \t]+following\b",
    re.I,
)
REFERRAL = re.compile(
    r"\bplease[ \t]+(?:can[ \t]+you[ \t]+|could[ \t]+you[ \t]+)?log\b|\bfor[ \t]+logging\b"
    r"|\b(?:mandatory|new|FOI)[ \t]+referral\b|\breferral[ \t]+(?:of|for)\b"
    r"|\brefer(?:ring)?[ \t]+(?:this|the[ \t]+(?:following|below|attached))[ \t]+(?:FOI[ \t]+)?request\b"
    r"|\bwe[ \t]+have[ \t]+received[ \t]+the[ \t]+(?:following|below|attached)[ \t]+(?:FOI[ \t]+)?request\b"
    r"|\bfollowing[ \t]+(?:FOI[ \t]+)?request[ \t]+(?:has[ \t]+been|was)[ \t]+received\b"
    r"|\bseek(?:ing)?[ \t]+(?:your[ \t]+|CRU[ \t]+)?advice[ \t]+on[ \t]+(?:the[ \t]+following|this|a)[ \t]+(?:new[ \t]+)?request\b",
    re.I,
)
QUERY = re.compile(
    r"\?|\bquery\b|\bcould[ \t]+you[ \t]+(?:please[ \t]+)?(?:advise|confirm|clarify)\b"
    r"|\bgrateful[ \t]+for[ \t]+(?:your[ \t]+|any[ \t]+)?(?:advice|guidance|views|thoughts)\b"
    r"|\bany[ \t]+(?:advice|guidance|thoughts|views)\b|\bwonder(?:ed|ing)[ \t]+(?:if|whether)\b"
    r"|\bplease[ \t]+(?:could[ \t]+you[ \t]+)?(?:advise|confirm|clarify)\b",
    re.I,
)
#: What makes a question one for the referral unit rather than any question.
FOI_CONTEXT = re.compile(
    r"\b(?:CRU|FOI|FOIA|freedom[ \t]+of[ \t]+information|log|request|exemptions?|NCND|disclos\w*|applicant"
    r"|referral|advice|circulation|neither[ \t]+confirm|s\.?[ \t]?(?:1[24]|[234]\d)\b|section[ \t]+\d+)",
    re.I,
)
#: An auto-reply is short; a long text that mentions leave is a real message.
AUTO_TEXT_LIMIT = 1500


#: Read and delivery receipts: automatic receipts too.
RECEIPT_SUBJECT = re.compile(r"^\s*(?:read|delivered|delivery[ \t]+receipt|relayed)\s*:", re.I)
RECEIPT_TYPE = re.compile(r"disposition-notification|delivery-status", re.I)


def is_receipt(parsed: ParsedMail) -> bool:
    content_type = parsed.header("content-type") or ""
    return bool(RECEIPT_SUBJECT.match(parsed.subject or "") or RECEIPT_TYPE.search(content_type))


def is_auto_reply(parsed: ParsedMail) -> bool:
    for name, pattern in AUTO_HEADERS.items():
        value = parsed.header(name)
        if value is not None and pattern.search(value):
            return True
    return bool(AUTO_SUBJECT.match(parsed.subject or ""))


def auto_kind(subject: str, text: str) -> str:
    if ACK_TEXT.search(text) and not OOO_TEXT.search(text):
        return "acknowledgement"
    if OOO_TEXT.search(text) or OOO_TEXT.search(subject) or re.match(r"\s*automatic", subject, re.I):
        return "out_of_office"
    return "acknowledgement"


def is_circulation(layer: Layer) -> bool:
    """A circulation's own text; a reply or forward of one is not."""
    subject = layer.subject or ""
    if (REPLY_PREFIX.match(subject) or FORWARD_PREFIX.match(subject)):
        return False
    if has_circulation_text(layer.text) or UNIT_CIRCULATION.search(subject):
        return True
    return bool((CIRCULATION_SUBJECT.search(subject) or ADVICE_SUBJECT.search(subject)) and find_logs(subject))


def has_circulation_text(text: str) -> bool:
    """The body itself reads as a circulation: its wording or its fields."""
    if CIRCULATION_BODY.search(text):
        return True
    return sum(value is not None for value in read_fields(text).values()) >= 2


def message_kind(parsed: ParsedMail, chain: list[Layer], nested_kinds: list[str]) -> str:
    subject, own = chain[0].subject or "", chain[0].text
    if is_receipt(parsed):
        return "acknowledgement"
    if is_auto_reply(parsed):
        return auto_kind(subject, own)
    if is_circulation(chain[0]) and not _only_passes_on(chain):
        return "circulation"
    if _forwards_circulation(subject, chain, nested_kinds):
        return "forwarded_circulation"
    if len(own) <= AUTO_TEXT_LIMIT and (OOO_TEXT.search(own) or ACK_TEXT.search(own)):
        return auto_kind(subject, own)
    answers = any(is_circulation(layer) for layer in chain[1:]) or bool(CIRCULATION_SUBJECT.search(subject))
    return _human_kind(subject, own, _replying(parsed, chain), answers)


def _replying(parsed: ParsedMail, chain: list[Layer]) -> bool:
    """An answer to earlier mail: by its subject, a quotation, its thread headers
    or the log it names."""
    threaded = parsed.header("in-reply-to") or parsed.header("references")
    about_log = find_logs(chain[0].subject or "") or find_logs(chain[0].text)
    return bool(REPLY_PREFIX.match(chain[0].subject or "") or len(chain) > 1 or threaded or about_log)


def _only_passes_on(chain: list[Layer]) -> bool:
    """A circulation subject over a short note and a quoted circulation: a forward."""
    quoted = any(is_circulation(layer) for layer in chain[1:])
    return quoted and not has_circulation_text(chain[0].text)


def _forwards_circulation(subject: str, chain: list[Layer], nested_kinds: list[str]) -> bool:
    quoted = any(is_circulation(layer) for layer in chain[1:])
    attached = any(k in ("circulation", "forwarded_circulation") for k in nested_kinds)
    if REPLY_PREFIX.match(subject):
        return False
    if FORWARD_PREFIX.match(subject):
        # The forwarded text may also sit directly in the body (no separator).
        inline = is_circulation(Layer(chain[0].written_subject or "", chain[0].text))
        return quoted or attached or inline or bool(CIRCULATION_SUBJECT.search(subject))
    return quoted or attached


def _human_kind(subject: str, own: str, replying: bool, answers_circulation: bool) -> str:
    """A new request sent in (referral), the mail around one (a chaser, a
    clarification, a force's reply or question), or neither."""
    if exchanges.is_chaser(subject, own):
        return "chaser"
    if exchanges.is_clarification(subject, own):
        return "clarification"
    if exchanges.asks_before_referring(own):
        return "force_query"
    has_request = not REPLY_PREFIX.match(subject) and request_start(own.split("\n")) is not None
    if has_request or REFERRAL.search(subject) or REFERRAL.search(own) or re.search(r"\breferral\b(?![ \t]+(?:unit|officer))", subject, re.I):
        return "referral"
    if replying and (exchanges.states_position(own) or (answers_circulation and exchanges.says_nothing(own))):
        return "force_reply"
    asks = QUERY.search(own) or QUERY.search(subject)
    if asks and (FOI_CONTEXT.search(subject) or FOI_CONTEXT.search(own)):
        return "force_query"
    return "other"


def circulation_layer(kind: str, chain: list[Layer]) -> Layer:
    """The layer that holds the circulation's own text."""
    if kind == "forwarded_circulation":
        return next((x for x in chain[1:] if is_circulation(x)), chain[0])
    return chain[0]
