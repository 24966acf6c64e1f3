"""Labelled fields of a circulation: ``Case worker: S.40(2)`` and friends.

A field may sit on its own line, share a line with others
(``Log Number: 43/23   Case worker: S.40(2)``), sit in a table row (cells
arrive tab-separated) or have its value on the next line.  Values are kept
as written, redaction markers included; a field that is absent or empty is
None, never "".
"""

from __future__ import annotations

import re

#: The fields read, with every spelling of their label.
FIELD_LABELS = {
    "case_worker": r"Case[ \t]*(?:worker|officer|handler)",
    "logged_with": r"Logged[ \t]*with",
    "sent_from": r"Sent[ \t]*from",
}
#: Other labels that can share a line with them and so end their value.
OTHER_LABELS = (
    r"Log[ \t]*(?:Number|Nos?|Ref(?:erence)?)\.?|CRU[ \t]*ref(?:erence)?|Circulation[ \t]*date"
    r"|Date(?:[ \t]*(?:logged|received|circulated|created))?|Deadline|Due[ \t]*date|Force|Received"
)
LABEL = re.compile(
    r"(?<![\w*])\**(?:(?P<case_worker>" + FIELD_LABELS["case_worker"] + r")"
    r"|(?P<logged_with>" + FIELD_LABELS["logged_with"] + r")"
    r"|(?P<sent_from>" + FIELD_LABELS["sent_from"] + r")"
    r"|(?P<other>" + OTHER_LABELS + r"))\**[ \t]*(?P<sep>:|[\-–—|\t]|$)",
    re.I,
)
#: Separators and emphasis trimmed from around a value.
VALUE_TRIM = " \t:|*-–—"
TRAILING_TRIM = " \t,;|*."
#: A value that is only a "see below" or empty placeholder.
PLACEHOLDER = re.compile(r"^(?:n/?a|none|-+|tbc)?$", re.I)


def read_fields(text: str) -> dict[str, str | None]:
    """``case_worker``, ``logged_with`` and ``sent_from`` from ``text``."""
    values: dict[str, str | None] = dict.fromkeys(FIELD_LABELS)
    lines = text.split("\n")
    for i, line in enumerate(lines):
        for name, value in _line_fields(line, lines[i + 1 : i + 2]):
            if values.get(name, "") is None and value:
                values[name] = value
    return values


def _line_fields(line: str, following: list[str]):
    labels = [m for m in LABEL.finditer(line) if _is_label(line, m)]
    for k, match in enumerate(labels):
        end = labels[k + 1].start() if k + 1 < len(labels) else len(line)
        value = clean_value(line[match.end() : end])
        if not value and k + 1 == len(labels):
            value = _value_below(following)
        name = match.lastgroup if match.lastgroup != "sep" else _group_name(match)
        yield name, value


def _group_name(match: re.Match) -> str:
    return next(k for k in ("case_worker", "logged_with", "sent_from", "other") if match.group(k))


def _is_label(line: str, match: re.Match) -> bool:
    """A label proper: followed by a colon, or opening its line or cell."""
    if match.group("sep") == ":":
        return True
    before = line[: match.start()].rstrip(" ")
    return before == "" or before.endswith(("\t", "|"))


def _value_below(following: list[str]) -> str | None:
    for line in following:
        if line.strip():
            return None if LABEL.search(line) else clean_value(line)
    return None


#: A masked value (``*******S40``) keeps its stars: they are the redaction.
MASKED = re.compile(r"^[ \t:|\-–—]*(\*{3,}[ ]?S\.?[ ]?\d)")


def clean_value(raw: str) -> str | None:
    masked = MASKED.match(raw)
    value = raw[masked.start(1) :] if masked else raw.strip(VALUE_TRIM)
    value = value.rstrip(TRAILING_TRIM)
    value = re.sub(r"[ \t]+", " ", value)
    return None if PLACEHOLDER.match(value) else value
