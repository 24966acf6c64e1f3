"""Mark findings where they occur in a text, safely.

The text is escaped piece by piece and only our own ``<mark>`` elements are
added, so hostile mail can never become markup.  Findings may overlap: the
text is cut at every start and end, and each piece is marked with the
findings covering it (the worst severity wins the colour).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Iterable, Sequence

from markupsafe import Markup, escape


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    severity: str
    reason: str
    number: int              # 1-based, as listed beside the text
    text: str = ""
    check: str = ""
    overridable: bool = True


def spans_of(findings: Iterable, text_length: int) -> list[Span]:
    """Body findings with usable offsets, numbered in reading order."""
    usable = [f for f in findings
              if getattr(f, "part", "body") == "body" and 0 <= f.start < f.end <= text_length]
    usable.sort(key=lambda f: (f.start, f.end))
    return [Span(f.start, f.end, f.severity, f.reason, i + 1, f.text, f.check,
                 getattr(f, "overridable", True)) for i, f in enumerate(usable)]


def highlight(text: str, spans: Sequence[Span]) -> Markup:
    cuts = sorted({0, len(text), *(s.start for s in spans), *(s.end for s in spans)})
    pieces: list[str] = []
    anchored: set[int] = set()
    for left, right in zip(cuts, cuts[1:]):
        piece = escape(text[left:right])
        covering = [s for s in spans if s.start <= left and right <= s.end]
        if not covering:
            pieces.append(piece)
            continue
        pieces.append(_mark(piece, covering, anchored, right))
    return Markup("".join(pieces))


def _mark(piece: Markup, covering: list[Span], anchored: set[int], right: int) -> str:
    worst = "block" if any(s.severity == "block" for s in covering) else "warn"
    numbers = " ".join(str(s.number) for s in covering)
    title = escape("; ".join(f"{s.number}: {s.reason}" for s in covering))
    first = next((s.number for s in covering if s.number not in anchored), None)
    anchor = f' id="finding-{first}"' if first is not None else ""
    if first is not None:
        anchored.add(first)
    ending = " ".join(str(s.number) for s in covering if s.end == right)
    label = f"<sup>{ending}</sup>" if ending else ""
    return (f'<mark class="finding {worst}"{anchor} data-findings="{numbers}" title="{title}">'
            f"{piece}{label}</mark>")


TOKEN = re.compile(r"\w+|\s+|[^\w\s]")


def word_diff(before: str, after: str) -> Markup:
    """What changed between two texts, as escaped text with <del> and <ins>."""
    a, b = TOKEN.findall(before), TOKEN.findall(after)
    out: list[str] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(escape("".join(a[i1:i2])))
            continue
        if i2 > i1:
            out.append(f"<del>{escape(''.join(a[i1:i2]))}</del>")
        if j2 > j1:
            out.append(f"<ins>{escape(''.join(b[j1:j2]))}</ins>")
    return Markup("".join(out))


SNIPPET_MARK = re.compile(r"\[([^\[\]]*)\]")


def snippet(text: str) -> Markup:
    """A search snippet whose matches the store put in [brackets]."""
    return Markup(SNIPPET_MARK.sub(r"<mark>\1</mark>", str(escape(text))))
