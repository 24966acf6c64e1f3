"""The applicant's questions, numbered however the applicant numbered them.

Items are found by their labels (``1.``, ``1)``, ``- 1)``, ``(1)``, ``(a)``,
``Q1``, ``Question 1:``, bullets, HTML ``<ol>`` rendered as ``1.``).  The
first label that starts a list (a ``1``, an ``a``, a bullet) fixes the
scheme; further items of that scheme, in sequence, are questions, and every
other line up to the next one (wrapped text, sub-items) belongs to the
question above.  After the last question, a closing note (``NB.``,
``Please note``, ``Thank you``) or a fresh paragraph ends the list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from crumail.extract.model import Question
from crumail.extract.sections import (
    ADVICE_INLINE,
    is_advice_heading,
    is_sign_off,
    request_start,
    sign_off,
)
from crumail.wordlists import GREETINGS, phrases

ITEM = re.compile(
    r"^(?P<indent>[ \t]*)(?:[-–•·*▪●◦][ \t]+)?\**(?P<label>"
    r"(?P<q>Q(?:uestion)?[ \t]*(?P<qn>\d{1,2})\b[.:)]?(?:[ \t]*[-–](?=[ \t]))?)"
    r"|(?P<n>(?P<nn>\d{1,2})(?:[.):]|[ \t]+[-–]|(?=\t))(?=[ \t]|$))"
    r"|(?P<pn>\((?P<pnn>\d{1,2})\))"
    r"|(?P<l>\(?(?P<ll>[a-zA-Z])\))"
    r"|(?P<ld>(?P<ldl>[a-z])\.(?=[ \t]))"
    r")\**[ \t]*(?P<rest>.*)$"
)
#: Outlook writes its list bullet as U+00B7 in the Symbol font: it is the bullet.
OUTLOOK_BULLET = {"·": "•"}
BULLET = re.compile(r"^(?P<indent>[ \t]*)(?P<label>[-–•·*▪●◦]|o(?=[ \t]))[ \t]+(?P<rest>\S.*)$")
#: Lines after the last question that close the request rather than continue it.
#: A closing note, whether the request is a list or a paragraph.
CLOSING_NOTE = (
    r"N\.?[ \t]?B\b|P\.?S\b|note\b|please[ \t]+note|thank|many[ \t]+thanks|regards|kind[ \t]+regards|yours"
    r"|I[ \t]+look[ \t]+forward|if[ \t]+you|if[ \t]+(?:any|some|this|the)"
    r"|please[ \t]+(?:provide|send|supply|respond|reply)[ \t]+(?:the[ \t]+|this[ \t]+|these[ \t]+|all[ \t]+|your[ \t]+)?"
    r"(?:data|information|response|reply|answers?)[ \t]+(?:in|by|as|electronically|via)"
    r"|I[ \t]+am[ \t]+happy|for[ \t]+the[ \t]+avoidance|please[ \t]+(?:contact|let)"
)
#: Words that close a numbered list but may open a request written as prose.
LIST_TAIL = r"I[ \t]+would[ \t]+(?:like|prefer)|I[ \t]+would[ \t]+be[ \t]+grateful"
GREETING = re.compile(r"^[ \t*]*" + phrases(*GREETINGS) + r"\b", re.I)
CLOSING = re.compile(r"^[ \t*]*(?:" + CLOSING_NOTE + r")", re.I)
NOTE_START = re.compile(r"^[ \t*]*(?:" + CLOSING_NOTE + "|" + LIST_TAIL + r")|" + GREETING.pattern, re.I)
#: A line that only labels the list that follows (``Description of information sought:``).
INTRO_LINE = re.compile(r":[ \t*]*$")


@dataclass
class Item:
    number: int
    label: str
    scheme: str
    indent: int
    start: int
    lines: list[str] = field(default_factory=list)
    advice: list[str] | None = None


def classify(line: str) -> tuple[str, int, str, int, str] | None:
    """(scheme, index, label, indent, rest) for a labelled line, else None."""
    match = ITEM.match(line)
    if match:
        return _labelled(match)
    bullet = BULLET.match(line)
    if bullet:
        indent = len(bullet.group("indent").expandtabs(4))
        return "bullet", 0, OUTLOOK_BULLET.get(bullet.group("label"), bullet.group("label")), indent, bullet.group("rest")
    return None


def _labelled(match: re.Match) -> tuple[str, int, str, int, str]:
    indent = len(match.group("indent").expandtabs(4))
    label = match.group("label").strip()
    if match.group("q"):
        scheme, index = "q", int(match.group("qn"))
    elif match.group("n") or match.group("pn"):
        scheme, index = "n", int(match.group("nn") or match.group("pnn"))
    else:
        scheme, index = "l", ord((match.group("ll") or match.group("ldl")).lower()) - 96
    return scheme, index, label.rstrip(" -–:"), indent, match.group("rest")


#: Which list is the request when several start: a numbered one, else whichever starts first.
SCHEME_PRIORITY = {"n": 0, "q": 0, "bullet": 1, "l": 1}


def find_items(lines: list[str], start: int, end: int) -> list[Item]:
    """The questions between ``start`` and ``end``, with the lines of each."""
    found = [classify(lines[i]) for i in range(start, end)]
    # The advice's own labels (``Q1 -`` under ``CRU Advice``) never choose the
    # request's scheme: a bulleted request above them is the request.
    advice = next((k for k in range(len(found)) if is_advice_heading(lines[start + k])), len(found))
    scheme = _main_scheme(found[:advice]) or _main_scheme(found)
    items: list[Item] = []
    for offset, entry in enumerate(found):
        i = start + offset
        if entry and scheme and offset >= scheme[2] and _next_item(entry, scheme, items):
            items.append(Item(len(items) + 1, entry[2], entry[0], entry[3], i, [entry[4]]))
        elif items:
            items[-1].lines.append(lines[i])
    return items


def _main_scheme(found: list) -> tuple[str, int, int] | None:
    """(kind, indent, offset) of the list that starts first among the most likely kind."""
    starts = [(SCHEME_PRIORITY[e[0]], k, e) for k, e in enumerate(found) if e and (e[1] == 1 or e[0] == "bullet")]
    if not starts:
        return None
    _priority, offset, entry = min(starts, key=lambda s: (s[0], s[1]))
    return entry[0], entry[3], offset


def _next_item(found, scheme: tuple[str, int, int], items: list[Item]) -> bool:
    kind, index, _label, indent, _rest = found
    if kind != scheme[0]:
        return False
    if kind == "bullet":
        # ``o`` + tab under a ``•`` is Outlook's second level, whatever its indent.
        return indent <= scheme[1] and (not items or _label == items[0].label)
    return index == len(items) + 1


def trim_last(item: Item) -> None:
    """Cut closing notes and later paragraphs off the last question."""
    kept: list[str] = item.lines[:1]
    after_blank = False
    for line in item.lines[1:]:
        if not line.strip():
            after_blank = True
            continue
        if NOTE_START.match(line) or is_sign_off(line) or is_advice_heading(line):
            break
        if after_blank and not _belongs_after_blank(line, item):
            break
        kept.append(line)
    item.lines = kept


def _belongs_after_blank(line: str, item: Item) -> bool:
    found = classify(line)
    indent = len(line) - len(line.lstrip(" \t"))
    return indent > item.indent or (found is not None and found[0] != item.scheme)


def split_inline_advice(items: list[Item]) -> bool:
    """Advice written under each question: move it out of the question text."""
    inline = any(_advice_at(item) is not None for item in items[:-1])
    if not inline:
        return False
    for item in items:
        at = _advice_at(item)
        if at is not None:
            first = ADVICE_INLINE.match(item.lines[at])
            head = [first.group("text")] if first else []
            item.advice = head + item.lines[at + 1 :]
            item.lines = item.lines[:at]
    return True


def _advice_at(item: Item) -> int | None:
    for i, line in enumerate(item.lines):
        if i and (is_advice_heading(line) or ADVICE_INLINE.match(line)):
            return i
    return None


def join_text(lines: list[str]) -> str:
    return re.sub(r"\s+", " ", " ".join(x.strip() for x in lines)).strip()


#: How a paragraph that asks for something opens (or it holds a question mark).
REQUEST_LIKE = re.compile(
    r"\?|^[ \t*]*(?:please|could|can|would|will|how|what|which|when|where|who|why|whether|is|are|do|does"
    r"|did|has|have|provide|supply|send|give|tell|list|copies|a[ \t]+copy|any|all|the[ \t]+(?:number|total|amount)"
    r"|I[ \t]+(?:would|request|wish|want|am[ \t]+requesting|should))\b",
    re.I,
)


def unnumbered(lines: list[str], start: int, end: int) -> list[Item]:
    """A request written as plain paragraphs: each paragraph that asks is a question.

    A single paragraph is the question whatever its wording; among several,
    background paragraphs that ask for nothing are the preamble.
    """
    kept: list[list[str]] = []
    for paragraph in paragraphs(lines[start:end]):
        if is_advice_heading(paragraph[0]) or is_sign_off(paragraph[0]):
            break
        if not (GREETING.match(paragraph[0]) or CLOSING.match(paragraph[0]) or INTRO_LINE.search(paragraph[-1])):
            kept.append(paragraph)
    asking = [p for p in kept if REQUEST_LIKE.search(join_text(p))]
    chosen = asking if len(kept) > 1 and asking else kept
    return [Item(i, "", "none", 0, start, p) for i, p in enumerate(chosen, start=1)]


def paragraphs(lines: list[str]) -> list[list[str]]:
    result: list[list[str]] = [[]]
    for line in lines:
        if line.strip():
            result[-1].append(line)
        elif result[-1]:
            result.append([])
    return [p for p in result if p]


def request_region(lines: list[str], headingless: bool) -> tuple[int, int] | None:
    start = request_start(lines)
    if start is None and not headingless:
        return None
    start = start or 0
    return start, sign_off(lines, start)


def parse_questions(lines: list[str], headingless: bool = True) -> tuple[list[Item], int]:
    """The questions, and the index of the line where the advice may start."""
    region = request_region(lines, headingless)
    if region is None:
        return [], 0
    start, end = region
    items = find_items(lines, start, end)
    if not items and request_start(lines) is not None:
        advice = next((i for i in range(start, end) if is_advice_heading(lines[i])), end)
        return unnumbered(lines, start, advice), advice
    if not items:
        return [], start
    if split_inline_advice(items):
        return items, end
    items = _before_advice(lines, items)
    trim_last(items[-1])
    return items, items[-1].start + 1


def _before_advice(lines: list[str], items: list[Item]) -> list[Item]:
    """Items after the advice heading are the advice's own lists."""
    heading = next((i for i in range(items[0].start, len(lines)) if is_advice_heading(lines[i])), None)
    if heading is None:
        return items
    return [item for item in items if item.start < heading]


def as_questions(items: list[Item]) -> list[Question]:
    return [Question(item.number, item.label, join_text(item.lines)) for item in items]
