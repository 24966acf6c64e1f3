"""The text a referral officer reads: the body as plain lines.

When the message has HTML and no plain part (or only a stub of one), the
HTML is read again with the parse stage's ``html_to_text``, which keeps the
structure the extractor needs: table cells apart on one line
(``Case worker<TAB>S.40(2)``) and list items with their numbers or letters
back (``1. How many ...``, ``(a) ...``).
"""

from __future__ import annotations

import re

from crumail.model import ParsedMail
from crumail.parse.text import html_to_text, normalise_newlines

#: Characters that look like spaces but are not.
ODD_SPACES = re.compile(r"[\u00a0\u2000-\u200a\u202f\u205f\u3000]")
ZERO_WIDTH = re.compile(r"[\u200b-\u200d\u2060\ufeff\u00ad]")
#: Markdown left over when a generic converter turned HTML into text.
MARKDOWN_EMPHASIS = re.compile(r"(?<!\*)\*\*(?!\*)|(?<!_)__(?!_)")
MARKDOWN_ESCAPE = re.compile(r"\\([-.#*_()\[\]|!+])")
MARKDOWN_HEADING = re.compile(r"^#{1,6}\s+", re.M)


def normalise(text: str) -> str:
    """Line endings, odd spaces and invisible characters made plain."""
    text = normalise_newlines(text)
    text = ZERO_WIDTH.sub("", ODD_SPACES.sub(" ", text))
    return "\n".join(line.rstrip() for line in text.split("\n"))


def strip_markdown(text: str) -> str:
    """Undo what an HTML-to-Markdown converter adds (``**bold**``, ``1\\.``)."""
    text = MARKDOWN_ESCAPE.sub(r"\1", MARKDOWN_EMPHASIS.sub("", text))
    return MARKDOWN_HEADING.sub("", text)


#: A plain part this short beside an HTML part may be a stub ("view in HTML").
STUB_LIMIT = 500


def body_text(parsed: ParsedMail) -> str:
    """The body as plain text, from the plain part or from the HTML."""
    text = parsed.text or ""
    if parsed.html and (parsed.text_source != "plain" or len(text.strip()) < STUB_LIMIT):
        from_html = _html_text(parsed.html)
        if from_html is not None and (parsed.text_source != "plain" or len(from_html) > 2 * len(text) + 200):
            return from_html
    if parsed.text_source in ("html", "rtf"):
        text = strip_markdown(text)
    return normalise(text)


def _html_text(html: str) -> str | None:
    try:
        return normalise(html_to_text(html)).strip("\n")
    except Exception:  # a broken HTML part still has the parser's converted text
        return None
