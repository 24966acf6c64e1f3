"""Outlook's compressed RTF bodies, read fast.

extract-msg turns an RTF-only body into HTML through RTFDE, which costs
150-770 ms a message.  What the unit needs is the words, so this module does
the two cheap steps itself:

* :func:`decompress` undoes the LZFu compression of MS-OXRTFCP (the reference
  package ``compressed_rtf`` copies byte by byte; here whole matches are
  sliced, several times faster);
* :func:`read_rtf` walks the RTF once: for HTML encapsulated in RTF
  (``\\fromhtml1``, MS-OXRTFEX) it returns the original HTML, otherwise the
  plain text with paragraphs, tabs and table cells kept apart.
"""

from __future__ import annotations

import codecs
import re
import struct
import zlib

_INIT_DICT = (
    b"{\\rtf1\\ansi\\mac\\deff0\\deftab720{\\fonttbl;}{\\f0\\fnil \\froman \\"
    b"fswiss \\fmodern \\fscript \\fdecor MS Sans SerifSymbolArialTimes New "
    b"RomanCourier{\\colortbl\\red0\\green0\\blue0\r\n\\par \\pard\\plain\\"
    b"f0\\fs20\\b\\i\\u\\tab\\tx"
)
_RING = 4096
_START = len(_INIT_DICT)  # 207: where the first output byte is written in the ring


class RtfError(ValueError):
    """The compressed RTF stream is not readable; the reason says why."""


def decompress(data: bytes) -> bytes:
    """The RTF inside an Outlook PR_RTF_COMPRESSED stream."""
    if len(data) < 16:
        raise RtfError("compressed RTF header is shorter than 16 bytes")
    comp_size, raw_size, magic, crc = struct.unpack_from("<II4sI", data)
    body = data[16 : 4 + comp_size]
    if magic == b"MELA":
        return bytes(body[:raw_size])
    if magic != b"LZFu":
        raise RtfError(f"unknown RTF compression {magic!r}")
    # MS-OXRTFCP's CRC is CRC-32 without the pre- and post-inversion.
    if zlib.crc32(body, 0xFFFFFFFF) ^ 0xFFFFFFFF != crc:
        raise RtfError("compressed RTF fails its CRC check (truncated or corrupt)")
    return _lzfu(body)


def _lzfu(body: bytes) -> bytes:
    # The ring buffer is modelled as the tail of one growing buffer whose
    # first 4096 + 207 bytes are the initial ring and its first 207 again:
    # the last 4096 bytes of `out` are then always the ring's contents.
    out = bytearray(_INIT_DICT.ljust(_RING, b" ") + _INIT_DICT)
    pos, end = 0, len(body)
    while pos < end:
        control = body[pos]
        pos += 1
        for bit in range(8):
            if pos >= end:
                break
            if not control & (1 << bit):
                out.append(body[pos])
                pos += 1
                continue
            if pos + 1 >= end:
                break
            token = (body[pos] << 8) | body[pos + 1]
            pos += 2
            offset, length = token >> 4, (token & 0xF) + 2
            size = len(out)
            if offset == size % _RING:
                return bytes(out[_RING + _START :])
            start = size - _RING + ((offset - size) % _RING)
            if start + length <= size:
                out += out[start : start + length]
            else:  # the match runs into bytes it is itself writing
                for i in range(length):
                    out.append(out[start + i])
    return bytes(out[_RING + _START :])


# ---------------------------------------------------------------- RTF reading

_TOKEN = re.compile(
    rb"\\([a-zA-Z]{1,32})(-?\d{1,10})? ?"  # control word, its parameter
    rb"|\\'([0-9a-fA-F]{2})"  # a byte in the document's code page
    rb"|\\([^a-zA-Z])"  # control symbol
    rb"|([{}])"  # group
    rb"|([^\\{}\r\n]+)"  # text
    rb"|[\r\n]+"
)
# Destinations whose text is never part of the body.
_SKIP_DESTINATIONS = frozenset(
    b"fonttbl colortbl stylesheet info pict object header footer headerl headerr "
    b"headerf footerl footerr footerf listtable listoverridetable rsidtbl generator "
    b"xmlnstbl themedata colorschememapping datastore latentstyles pgdsctbl fldinst "
    b"filetbl revtbl private mmathPr".split()
)
_SYMBOLS = {
    b"par": "\n", b"line": "\n", b"tab": "\t", b"cell": "\t", b"row": "\n",
    b"emdash": "\u2014", b"endash": "\u2013", b"bullet": "\u2022",
    b"lquote": "\u2018", b"rquote": "\u2019", b"ldblquote": "\u201c",
    b"rdblquote": "\u201d", b"emspace": " ", b"enspace": " ", b"sect": "\n",
    b"page": "\n",
}
_CONTROL_SYMBOLS = {b"~": "\xa0", b"-": "", b"_": "-", b"{": "{", b"}": "}", b"\\": "\\",
                    b"\n": "\n", b"\r": "\n"}


class _Group:
    __slots__ = ("skip", "htmlrtf", "htmltag", "uc")

    def __init__(self, skip: bool = False, htmlrtf: bool = False,
                 htmltag: bool = False, uc: int = 1) -> None:
        self.skip, self.htmlrtf, self.htmltag, self.uc = skip, htmlrtf, htmltag, uc

    def copy(self) -> "_Group":
        return _Group(self.skip, self.htmlrtf, self.htmltag, self.uc)


class _Reader:
    """One pass over the RTF tokens, writing the text that a reader sees."""

    def __init__(self, rtf: bytes) -> None:
        self.html = b"\\fromhtml" in rtf[:1024]
        cpg = re.search(rb"\\ansicpg(\d+)", rtf[:1024])
        self.codec = _codec(f"cp{int(cpg.group(1))}" if cpg else "cp1252")
        self.out: list[str] = []
        self.pending = bytearray()  # code-page bytes not yet decoded
        self.skip_chars = 0  # fallback characters after \uN still to drop

    def flush(self) -> None:
        if self.pending:
            self.out.append(self.pending.decode(self.codec, errors="replace"))
            self.pending.clear()

    def emit(self, text: str) -> None:
        self.flush()
        self.out.append(text)

    def visible(self, group: _Group) -> bool:
        if group.skip:
            return False
        return group.htmltag or not (self.html and group.htmlrtf)

    def read(self, rtf: bytes) -> str:
        stack = [_Group()]
        group = stack[0]
        new_group = False  # just after "{": the next word may name a destination
        for match in _TOKEN.finditer(rtf):
            word, param, hexbyte, symbol, brace, text = match.groups()
            if brace is not None:
                if brace == b"{":
                    group = group.copy()
                    stack.append(group)
                    new_group = True
                    continue
                if len(stack) > 1:
                    stack.pop()
                    group = stack[-1]
                new_group = False
                continue
            first, new_group = new_group, False
            if word is not None:
                self.control(word, param, group, first)
            elif hexbyte is not None:
                if self.skip_chars:
                    self.skip_chars -= 1
                elif self.visible(group):
                    self.pending.append(int(hexbyte, 16))
            elif text is not None:
                if self.skip_chars:
                    dropped = min(self.skip_chars, len(text))
                    text, self.skip_chars = text[dropped:], self.skip_chars - dropped
                if text and self.visible(group):
                    self.pending += text
            elif symbol is not None:
                if symbol == b"*":
                    if not (self.html and rtf.startswith(b"\\htmltag", match.end())):
                        group.skip = True
                elif self.visible(group) and symbol in _CONTROL_SYMBOLS:
                    self.emit(_CONTROL_SYMBOLS[symbol])
        self.flush()
        # \uN gives UTF-16 code units: pair the surrogates it wrote.
        return "".join(self.out).encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")

    def control(self, word: bytes, param: bytes | None, group: _Group, first: bool) -> None:
        if first and word in _SKIP_DESTINATIONS:
            group.skip = True
        elif word == b"htmltag":
            group.htmltag = True
        elif word == b"htmlrtf":
            group.htmlrtf = param != b"0"
        elif word == b"uc" and param is not None:
            group.uc = int(param)
        elif word == b"u" and param is not None:
            if self.visible(group):
                self.emit(chr(int(param) % 0x10000) if int(param) < 0 else _char(int(param)))
            self.skip_chars = group.uc
        elif word == b"bin":  # binary data is never body text; RTF bodies do not use it
            group.skip = True
        elif word in _SYMBOLS and self.visible(group):
            if not (self.html and not group.htmltag and word in (b"cell", b"row")):
                self.emit(_SYMBOLS[word])


def _char(code: int) -> str:
    try:
        return chr(code)
    except ValueError:
        return "\ufffd"


def _codec(name: str) -> str:
    try:
        return codecs.lookup(name).name
    except LookupError:
        return "cp1252"


def read_rtf(rtf: bytes) -> tuple[str, bool]:
    """The RTF's content and whether it is HTML (de-encapsulated) or text."""
    reader = _Reader(rtf)
    content = reader.read(rtf)
    if reader.html:
        return content, True
    lines = (line.rstrip() for line in content.replace("\r", "").split("\n"))
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n") + "\n", False
