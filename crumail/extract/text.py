"""The text a referral officer reads: the body as plain lines.

When the message has HTML and no plain part, the HTML is turned into text
here rather than trusting a generic converter, because the structure
matters: table cells become tab-separated (``Case worker<TAB>S.40(2)``) and
ordered list items get their numbers back (``1. How many ...``).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from crumail.model import ParsedMail

#: Tags that end a line of text.
BLOCK_TAGS = frozenset(
    "p div br tr li h1 h2 h3 h4 h5 h6 table ol ul blockquote pre hr dt dd".split()
)
#: Tags whose content is never read.
SKIP_TAGS = frozenset("style script head title xml".split())
#: Characters that look like spaces but are not.
ODD_SPACES = re.compile(r"[\u00a0\u2000-\u200a\u202f\u205f\u3000]")
ZERO_WIDTH = re.compile(r"[\u200b-\u200d\u2060\ufeff\u00ad]")
#: Markdown left over when a generic converter turned HTML into text.
MARKDOWN_EMPHASIS = re.compile(r"(?<!\*)\*\*(?!\*)|(?<!_)__(?!_)")
MARKDOWN_ESCAPE = re.compile(r"\\([-.#*_()\[\]|!+])")
MARKDOWN_HEADING = re.compile(r"^#{1,6}\s+", re.M)


def letter_label(index: int) -> str:
    return chr(ord("a") + (index - 1) % 26)


class _HtmlText(HTMLParser):
    """Collects text, keeping the line structure a reader sees."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0
        self.lists: list[list] = []  # [ordered, counter, type]
        self.cell_in_row = 0
        self.in_cell = 0

    def _break(self) -> str:
        """Paragraphs inside a table cell stay on the row's line."""
        return " " if self.in_cell else "\n"

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in SKIP_TAGS:
            self.skip += 1
        elif tag in ("ol", "ul"):
            self._open_list(tag, dict(attrs))
        elif tag == "li":
            self.parts.append("\n" + self._item_label())
        elif tag in ("td", "th"):
            self.parts.append("\t" if self.cell_in_row else "")
            self.cell_in_row += 1
            self.in_cell += 1
        elif tag == "tr":
            self.parts.append("\n")
            self.cell_in_row, self.in_cell = 0, 0
        elif tag in BLOCK_TAGS:
            self.parts.append(self._break())

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIP_TAGS:
            self.skip = max(0, self.skip - 1)
        elif tag in ("ol", "ul"):
            if self.lists:
                self.lists.pop()
            self.parts.append("\n")
        elif tag in ("td", "th"):
            self.in_cell = max(0, self.in_cell - 1)
        elif tag in BLOCK_TAGS and tag != "li":
            self.parts.append(self._break())

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(re.sub(r"[ \t\r\n]+", " ", data))

    def _open_list(self, tag: str, attrs: dict) -> None:
        try:
            start = int(attrs.get("start") or 1)
        except ValueError:
            start = 1
        self.lists.append([tag == "ol", start - 1, (attrs.get("type") or "1")])
        self.parts.append("\n")

    def _item_label(self) -> str:
        if not self.lists:
            return "- "
        entry = self.lists[-1]
        if not entry[0]:
            return "- "
        entry[1] += 1
        if entry[2] in ("a", "A"):
            return f"({letter_label(entry[1])}) "
        return f"{entry[1]}. "


def html_to_text(html: str) -> str:
    """Readable text of ``html``: lines, tab-separated cells, numbered items."""
    parser = _HtmlText()
    parser.feed(html)
    parser.close()
    text = ODD_SPACES.sub(" ", "".join(parser.parts))
    lines = [re.sub(r" *\t *", "\t", line).strip(" ") for line in text.split("\n")]
    return _squeeze_blank_lines("\n".join(lines))


def _squeeze_blank_lines(text: str) -> str:
    return re.sub(r"\n{3,}", "\n\n", text).strip("\n")


def normalise(text: str) -> str:
    """Line endings, odd spaces and invisible characters made plain."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
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
        return normalise(html_to_text(html))
    except Exception:  # a broken HTML part still has the parser's converted text
        return None
