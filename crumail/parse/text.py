"""Text repair: bytes whose charset lies, and HTML turned into readable text.

Both functions are total: they never raise on odd input, and say what they
had to repair so that the caller can record it as a defect.
"""

from __future__ import annotations

import codecs
import re
from html.parser import HTMLParser

import charset_normalizer

# Bytes that are not valid UTF-8 in a part declared (or assumed) UTF-8 are
# nearly always Windows-1252 pasted from Word: read them as such, byte by
# byte, so the valid UTF-8 around them survives.
_CP1252_FALLBACK = "crumail-cp1252-fallback"


def _cp1252_fallback(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeDecodeError):
        raise error
    bad = error.object[error.start : error.end]
    return bad.decode("cp1252", errors="replace"), error.end


codecs.register_error(_CP1252_FALLBACK, _cp1252_fallback)

_UTF8_LIKE = {"utf-8", "utf8", "us-ascii", "ascii", "unknown-8bit", "x-unknown", ""}

# Python codecs that decode bytes to str but are no charset a mail could be
# written in: a part declaring one is lying, like one declaring "base64" or
# "zlib" (which are not text encodings at all), and is repaired as such.
_NOT_CHARSETS = frozenset({"punycode", "idna", "idna2008", "unicode-escape", "raw-unicode-escape",
                           "unicode_escape", "raw_unicode_escape", "undefined", "charmap"})


def _register_codecs() -> None:
    """Load every codec a parse may meet before anything is decoded.

    extract-msg and ebcdic register Outlook's code pages (EBCDIC, x-mac-ce,
    windows-874) when imported.  Imported only when a .msg came along, the
    same bytes decoded in a process that had read a .msg before (the daemon)
    and not in a fresh parser process, so a subject or a body read
    differently in a worker.  Every module that decodes mail imports this one."""
    import ebcdic  # noqa: F401
    import extract_msg.encoding  # noqa: F401


_register_codecs()


def _is_codec(name: str) -> bool:
    try:
        codecs.lookup(name)
    except (LookupError, ValueError):
        return False
    return True


def not_a_charset(name: str | None) -> bool:
    """True for a Python codec that is no text charset (``base64``, ``punycode`` ...):
    a lie to repair, where an unknown name is merely unknown."""
    return bool(name) and text_codec(name) is None and _is_codec(str(name).strip().strip('"').lower())


def text_codec(charset: str | None) -> str | None:
    """The Python codec for a declared charset; None when it is unknown or is
    no text charset at all (``base64``, ``zlib``, ``rot13``, ``punycode`` ...)."""
    if not charset:
        return None
    try:
        info = codecs.lookup(charset.strip().strip('"').lower())
    except (LookupError, ValueError):
        return None
    if not getattr(info, "_is_text_encoding", True) or info.name in _NOT_CHARSETS:
        return None
    return info.name


def decode_text(data: bytes, charset: str | None) -> tuple[str, str | None]:
    """Decode a text part; return the text and a defect (None when clean).

    The declared charset is tried strictly first.  When it is absent, a
    lie, or unknown, UTF-8 with Windows-1252 for the odd bytes is tried for
    UTF-8-ish declarations, charset-normalizer's best guess otherwise, and
    Windows-1252 (then Latin-1, which cannot fail) as the last resort.
    """
    declared = (charset or "").strip().strip('"').lower()
    codec = text_codec(declared)
    if codec in ("latin-1", "iso8859-1") and re.search(rb"[\x80-\x9f]", data):
        codec = "cp1252"  # as every browser does: "iso-8859-1" bytes 80-9F are Windows-1252
    if codec:
        try:
            return data.decode(codec), None
        except (UnicodeError, LookupError):  # a codec of a third-party package may raise either
            pass
    if not declared and _is_ascii(data):
        return data.decode("ascii"), None
    what = f"declared charset {declared!r}" if declared else "no declared charset"
    if declared and not codec and _is_codec(declared):
        what += " (not a text charset)"
    if declared in _UTF8_LIKE or codec in ("utf-8", "ascii"):
        try:
            return data.decode("utf-8"), f"8-bit text with {what}; read as utf-8"
        except UnicodeDecodeError:
            text = data.decode("utf-8", errors=_CP1252_FALLBACK)
            return text, f"text with {what} is not valid utf-8; odd bytes read as windows-1252"
    guess = _guess(data)
    if guess:
        return guess[0], f"text with {what} could not be decoded; read as {guess[1]}"
    text = data.decode("cp1252", errors="replace")
    return text, f"text with {what} could not be decoded; read as windows-1252"


_C1 = re.compile("[\x80-\x9f]")


def repair_c1(text: str) -> str:
    """C1 control characters in decoded text are Windows-1252 bytes that were
    labelled ISO-8859-1 (as in ``=?iso-8859-1?q?=96?=``): read them as such."""
    if not _C1.search(text):
        return text
    return _C1.sub(lambda m: bytes([ord(m.group())]).decode("cp1252", errors="replace"), text)


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _is_ascii(data: bytes) -> bool:
    return data.isascii()


def _guess(data: bytes) -> tuple[str, str] | None:
    try:
        best = charset_normalizer.from_bytes(data).best()
    except Exception:  # the detector is a heuristic; never let it sink a mail
        return None
    if best is None:
        return None
    return str(best), best.encoding


# ---------------------------------------------------------------- HTML to text

_BLOCKS = frozenset(
    "address article aside blockquote center dd div dl dt fieldset figure footer "
    "form h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section table tbody "
    "thead tfoot tr ul".split()
)
_SKIPPED = frozenset({"script", "style", "head", "title", "xml", "template"})
_SPACES = re.compile(r"[ \t\r\n\f]+")


class _TextWriter(HTMLParser):
    """Collects readable text: one line per block, cells apart, lists numbered
    (or lettered, ``(a)``, as ``<ol type="a">`` shows them).

    A block's line break is held back until more text comes, so that a
    paragraph inside a table cell (Outlook writes ``<td><p>Log Number:</p>``)
    does not break the row: the next cell cancels it.  With ``hidden`` the
    text of what no reader sees (head, title, scripts, styles) is kept too.
    """

    def __init__(self, hidden: bool = False) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.pending_break = False
        self.skipped = frozenset() if hidden else _SKIPPED
        self.skip = 0
        self.pre = 0
        self.lists: list[list] = []  # [counter, type] for <ol>, [] for <ul>
        self.cells_in_row = 0
        self.at_cell_start = False  # a block opening a cell does not break the row

    # -- output helpers
    def _tail(self) -> str:
        return self.out[-1] if self.out else "\n"

    def _newline(self) -> None:
        if self.at_cell_start:
            return
        if self.out and not self._tail().endswith("\n"):
            self.pending_break = True

    def _write(self, text: str) -> None:
        if not text:
            return
        if self.pending_break:
            self.out.append("\n")
            self.pending_break = False
        self.at_cell_start = False
        self.out.append(text)

    def _line_break(self) -> None:
        self.pending_break = False
        self.out.append("\n")

    # -- parser callbacks
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.skipped:
            self.skip += 1
            return
        if tag == "br":
            self._line_break()
        elif tag in ("td", "th"):
            self._cell_separator()
        elif tag in _BLOCKS or tag in _SKIPPED:  # (hidden text kept) on a line of its own
            self._newline()
        if tag == "pre":
            self.pre += 1
        elif tag == "ol":
            self.lists.append([_start(attrs) - 1, dict(attrs).get("type") or "1"])
        elif tag == "ul":
            self.lists.append([])
        elif tag == "li":
            self._bullet(attrs)
        elif tag == "tr":
            self.cells_in_row = 0
            self.at_cell_start = False

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self._line_break()
        elif tag == "hr":
            self._newline()

    def handle_endtag(self, tag: str) -> None:
        if tag in self.skipped:
            self.skip = max(0, self.skip - 1)
            return
        if tag == "pre":
            self.pre = max(0, self.pre - 1)
        elif tag in ("ol", "ul") and self.lists:
            self.lists.pop()
        if tag in _BLOCKS or tag in _SKIPPED:
            self._newline()

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        if not self.pre:
            data = _SPACES.sub(" ", data)
            if self.pending_break or self._tail().endswith(("\n", " ", "\t")):
                data = data.lstrip(" ")
        self._write(data)

    def _cell_separator(self) -> None:
        self.cells_in_row += 1
        if self.cells_in_row == 1:
            self._newline()
            return
        self.pending_break = False
        while self.out and self.out[-1] in (" ", "\n"):
            self.out.pop()
        previous = self._tail().rstrip(" ")
        # "Case worker:" | "Jo" reads as "Case worker: Jo"; other cells are tab-apart.
        self.out.append(" " if previous.endswith(":") else "\t")
        self.at_cell_start = True

    def _bullet(self, attrs: list[tuple[str, str | None]]) -> None:
        self._newline()
        if self.lists and self.lists[-1]:
            counter = self.lists[-1]
            value = dict(attrs).get("value")
            counter[0] = int(value) if value and value.strip().isdigit() else counter[0] + 1
            self._write(_item_label(counter[0], counter[1]))
        else:
            self._write("- ")


def _start(attrs: list[tuple[str, str | None]]) -> int:
    start = dict(attrs).get("start")
    return int(start) if start and start.strip().isdigit() else 1


def _item_label(number: int, kind: str) -> str:
    """``3. `` for item 3 of a numbered list, ``(c) `` of a lettered one."""
    if kind not in ("a", "A") or number < 1:
        return f"{number}. "
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord(kind) + rest) + letters
    return f"({letters}) "


def html_to_text(html: str, hidden: bool = False) -> str:
    """Readable text from HTML: blocks on their own lines, <ol> items numbered
    or lettered, table cells apart on one line per row, scripts and styles
    dropped (kept with ``hidden``: what a check of the bytes that leave reads)."""
    writer = _TextWriter(hidden)
    try:
        writer.feed(html)
        writer.close()
    except Exception:  # html.parser is lenient, but never let markup sink a mail
        pass
    text = "".join(writer.out).replace("\xa0", " ")
    lines = [line.rstrip() for line in text.split("\n")]
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip("\n") + "\n" if text.strip() else ""
