"""The unit's advice, in groups headed by the questions they answer.

``Q1 –``, ``Q3 and Q9 –``, ``Q2 & Q4 -``, ``(b) and (c) –``, ``Question 1 –``
and ``Q10 is not ...`` open a group; text before the first heading is
general advice (``questions: []``), and so are closing paragraphs after the
groups (``The above is a handrail only``).  Advice written under each
question comes from the question parser.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from crumail.extract.markings import is_marking_line
from crumail.extract.model import Advice
from crumail.extract.questions import Item, join_text, paragraphs
from crumail.extract.sections import is_advice_heading, is_sign_off, sign_off

#: Lists are bounded so that a hostile line of ``Q1 and Q1 and ...`` stays linear.
Q_LIST = (
    r"(?:Q(?:s|['’]s|uestions?)?|Questions?)\.?[ \t]*\d{1,2}"
    r"(?:[ \t]*(?:,|&|\band\b|\bto\b|-|–|/|\+)[ \t]*(?:(?:Q(?:uestions?)?|Questions?)\.?[ \t]*)?\d{1,2}(?!\d)){0,40}"
)
L_LIST = r"\(?[a-z]\)(?:[ \t]*(?:,|&|\band\b|\bto\b|-|–)[ \t]*\(?[a-z]\)){0,26}"
GROUP_HEADING = re.compile(
    r"^[ \t*]*(?P<head>" + Q_LIST + "|" + L_LIST + r")(?![\d(])[ \t*]*"
    r"(?P<sep>[-–—:.)](?=[ \t]|$)[ \t]*|(?=[ \t]+\S)|$)(?P<rest>.*)$",
    re.I,
)
#: ``Advice: text`` / ``CRU Advice - text``: the heading with the first words.
ADVICE_LEAD = re.compile(r"^[ \t*]*(?:(?:CRU|NPCC)[ \t]+)?advice[ \t*]*[:\-–][ \t*]*(?P<text>\S.*)$", re.I)
CLOSING = re.compile(
    r"^[ \t*]*(?:the[ \t]+above|if[ \t]+you[ \t]+(?:require|have|need|would)|should[ \t]+you"
    r"|please[ \t]+(?:do[ \t]+not|don['’]t)[ \t]+hesitate|please[ \t]+let[ \t]+(?:us|me)[ \t]+know"
    r"|please[ \t]+contact|any[ \t]+further|any[ \t]+(?:queries|questions)[ \t]+(?:to|for|about|on)\b|I[ \t]+hope|hope[ \t]+this|we[ \t]+hope)",
    re.I,
)
#: ``Q1 of this request ...`` opens a sentence about a question, not a heading.
REFERENCE_WORD = re.compile(r"[ \t]*(?:of|in|from|to|and|or|&|,)\b", re.I)
RANGE_WORDS = re.compile(r"^\s*(?:-|–|to)\s*$", re.I)
MAX_RANGE = 50


@dataclass
class Group:
    questions: tuple[int, ...]
    heading: str | None
    lines: list[str] = field(default_factory=list)


def heading_numbers(head: str, items: list[Item]) -> tuple[int, ...]:
    """``Q3 and Q9`` -> (3, 9); ``Q1-3`` -> (1, 2, 3); ``(b) and (c)`` -> (2, 3)."""
    if re.match(r"\s*\(?[a-z]\)", head, re.I):
        return tuple(_letter_number(x, items) for x in re.findall(r"([a-z])\)", head, re.I))
    numbers: list[int] = []
    pieces = re.split(r"(\d{1,2})", head)
    for k in range(1, len(pieces), 2):
        value = int(pieces[k])
        if numbers and RANGE_WORDS.match(re.sub(r"(?i)q(?:uestions?)?\.?", "", pieces[k - 1])):
            numbers.extend(range(numbers[-1] + 1, min(value, numbers[-1] + MAX_RANGE) + 1))
        else:
            numbers.append(value)
    return tuple(dict.fromkeys(numbers))


def _letter_number(letter: str, items: list[Item]) -> int:
    for item in items:
        if item.label.strip("().").lower() == letter.lower():
            return item.number
    return ord(letter.lower()) - 96


def advice_region(lines: list[str], start: int) -> tuple[int, int, str | None] | None:
    """Where the advice runs: (first line, end, text on the heading line)."""
    for i in range(start, len(lines)):
        lead = ADVICE_LEAD.match(lines[i])
        if is_advice_heading(lines[i]) or lead:
            return i + 1, sign_off(lines, i + 1), lead.group("text") if lead else None
    first = next((i for i in range(start, len(lines)) if _paragraph_heading(lines, i)), None)
    if first is None:
        return None
    return first, sign_off(lines, first), None


def _paragraph_heading(lines: list[str], i: int) -> bool:
    if is_sign_off(lines[i]):
        return False
    match = GROUP_HEADING.match(lines[i])
    return bool(match) and (i == 0 or not lines[i - 1].strip()) and bool(match.group("sep").strip())


def read_groups(lines: list[str], items: list[Item]) -> list[Group]:
    general = Group((), None)
    groups: list[Group] = [general]
    current, previous = general, ""
    for line in lines:
        starts_paragraph = not previous.strip()
        group = _opens_group(line, previous, items)
        if group:
            groups.append(group)
            current = group
        elif starts_paragraph and line.strip() and CLOSING.match(line) and len(groups) > 1:
            current = general
            current.lines.append("")
            current.lines.append(line)
        else:
            current.lines.append(line)
        previous = line
    return [g for g in groups if g.questions or join_text(g.lines)]


def _opens_group(line: str, previous: str, items: list[Item]) -> Group | None:
    match = GROUP_HEADING.match(line)
    if not match:
        return None
    # A heading with a separator (``Q2 -``) may follow the line above directly;
    # one without (``Q10 is not ...``) must open a paragraph, or wrapped text
    # that happens to start with ``Q7 can be ...`` would be taken for one.
    separated = bool(match.group("sep").strip())
    alone = not match.group("rest").strip()  # ``Q3 and Q9`` on a line of its own
    if not (separated or alone) and (previous.strip() or REFERENCE_WORD.match(match.group("rest"))):
        return None
    head = match.group("head").strip(" *")
    text = match.group("rest") if separated or alone else line.strip(" *")
    return Group(heading_numbers(head, items), head, [text])


#: A paragraph of nothing but rules and dashes (``-``, ``___``) says nothing.
RULE_ONLY = re.compile(r"^[\s\-–—_=*~.]*$")


def group_text(lines: list[str]) -> str:
    texts = (join_text(p) for p in paragraphs(lines))
    # A trailing banner or marking (``*** ALL TO READ ***``, ``PROTECT``) frames
    # the message; it is nobody's advice.
    return "\n\n".join(t for t in texts if not (RULE_ONLY.match(t) or is_marking_line(t)))


def parse_advice(lines: list[str], items: list[Item], start: int) -> list[Advice]:
    region = advice_region(lines, start)
    if region is None:
        return []
    first, end, lead = region
    body = ([lead] if lead else []) + lines[first:end]
    groups = read_groups(body, items)
    return [Advice(g.questions, g.heading, group_text(g.lines)) for g in groups if group_text(g.lines)]


def inline_advice(items: list[Item]) -> list[Advice]:
    """Advice written under each question, plus any closing words as general."""
    result: list[Advice] = []
    general: list[str] = []
    for item in items:
        if item.advice is None:
            continue
        own, closing = _split_closing(item.advice)
        general.extend(closing)
        if group_text(own):
            result.append(Advice((item.number,), item.label, group_text(own)))
    if group_text(general):
        result.append(Advice((), None, group_text(general)))
    return result


def _split_closing(lines: list[str]) -> tuple[list[str], list[str]]:
    end = sign_off(lines)
    lines = lines[:end]
    for i, line in enumerate(lines):
        if i and not lines[i - 1].strip() and CLOSING.match(line):
            return lines[:i], lines[i:]
    return lines, []
