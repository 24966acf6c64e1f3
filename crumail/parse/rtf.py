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

from crumail.errors import RtfError

_INIT_DICT = (
    b"{\\rtf1\\ansi\\mac\\deff0\\deftab720{\\fonttbl;}{\\f0\\fnil \\froman \\"
    b"fswiss \\fmodern \\fscript \\fdecor MS Sans SerifSymbolArialTimes New "
    b"RomanCourier{\\colortbl\\red0\\green0\\blue0\r\n\\par \\pard\\plain\\"
    b"f0\\fs20\\b\\i\\u\\tab\\tx"
)
_RING = 4096
_START = len(_INIT_DICT)  # 207: where the first output byte is written in the ring


def decompress(data: bytes) -> bytes:
    """The RTF inside an Outlook PR_RTF_COMPRESSED stream, whole."""
    return decompress_capped(data, None)[0]


def decompress_capped(data: bytes, limit: int | None) -> tuple[bytes, bool]:
    """The first ``limit`` bytes of the RTF, and whether there was more.

    LZFu expands up to eight times (every two bytes a 17-byte match), so a
    21 MB stream could give 170 MB of RTF: a sender's cap, not the file's.
    """
    if len(data) < 16:
        raise RtfError("compressed RTF header is shorter than 16 bytes")
    comp_size, raw_size, magic, crc = struct.unpack_from("<II4sI", data)
    body = data[16 : 4 + comp_size]
    if magic == b"MELA":
        whole = body[:raw_size]
        return (bytes(whole[:limit]), len(whole) > limit) if limit is not None else (bytes(whole), False)
    if magic != b"LZFu":
        raise RtfError(f"unknown RTF compression {magic!r}")
    # MS-OXRTFCP's CRC is CRC-32 without the pre- and post-inversion.
    if zlib.crc32(body, 0xFFFFFFFF) ^ 0xFFFFFFFF != crc:
        raise RtfError("compressed RTF fails its CRC check (truncated or corrupt)")
    return _lzfu(body, limit)


def _lzfu(body: bytes, limit: int | None) -> tuple[bytes, bool]:
    # The ring buffer is modelled as the tail of one growing buffer whose
    # first 4096 + 207 bytes are the initial ring and its first 207 again:
    # the last 4096 bytes of `out` are then always the ring's contents.
    out = bytearray(_INIT_DICT.ljust(_RING, b" ") + _INIT_DICT)
    head = _RING + _START
    stop = None if limit is None else head + limit
    pos, end = 0, len(body)
    while pos < end:
        if stop is not None and len(out) >= stop:  # at most 8 x 17 bytes past it
            return bytes(out[head:stop]), True
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
                return _tail(out, head, stop)
            start = size - _RING + ((offset - size) % _RING)
            if start + length <= size:
                out += out[start : start + length]
            else:  # the match runs into bytes it is itself writing
                for i in range(length):
                    out.append(out[start + i])
    return _tail(out, head, stop)


def cut_defect(what: str, limit: int | None) -> str:
    return (f"{what} cut at {limit or 0:,} bytes once decompressed "
            f"([intake] max_rtf_bytes); the rest is not read")


def _tail(out: bytearray, head: int, stop: int | None) -> tuple[bytes, bool]:
    if stop is not None and len(out) > stop:
        return bytes(out[head:stop]), True
    return bytes(out[head:]), False


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


# A group's state, shared by reference until a control word changes it
# (a tuple: "{" costs an append, not a copy, which matters for hostile
# RTF made of nothing but braces).
_Group = tuple  # (skip, htmlrtf, htmltag, uc, visible)
_SKIP, _HTMLRTF, _HTMLTAG, _UC, _VISIBLE = range(5)
# _TOKEN's groups, by Match.lastindex
_WORD, _PARAM, _HEX, _SYMBOL, _BRACE, _TEXT = range(1, 7)


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

    def group(self, skip: bool, htmlrtf: bool, htmltag: bool, uc: int) -> _Group:
        return (skip, htmlrtf, htmltag, uc, not skip and (htmltag or not (self.html and htmlrtf)))

    def read(self, rtf: bytes) -> str:
        stack = [self.group(False, False, False, 1)]
        new_group = False  # just after "{": the next word may name a destination
        for match in _TOKEN.finditer(rtf):
            kind = match.lastindex
            if kind == _BRACE:
                if match[_BRACE] == b"{":
                    stack.append(stack[-1])
                    new_group = True
                elif len(stack) > 1:
                    stack.pop()
                    new_group = False
                continue
            first, new_group = new_group, False
            if kind == _TEXT:
                if self.skip_chars or not stack[-1][_VISIBLE]:
                    self.text(match[_TEXT], stack[-1])
                else:
                    self.pending += match[_TEXT]
            elif kind == _WORD or kind == _PARAM:
                stack[-1] = self.control(match[_WORD], match[_PARAM], stack[-1], first)
            elif kind == _HEX:
                if self.skip_chars:
                    self.skip_chars -= 1
                elif stack[-1][_VISIBLE]:
                    self.pending.append(int(match[_HEX], 16))
            elif kind == _SYMBOL:
                self.symbol(match, rtf, stack)
        self.flush()
        # \uN gives UTF-16 code units: pair the surrogates it wrote.
        return "".join(self.out).encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")

    def text(self, text: bytes, group: _Group) -> None:
        if self.skip_chars:
            dropped = min(self.skip_chars, len(text))
            text, self.skip_chars = text[dropped:], self.skip_chars - dropped
        if text and group[_VISIBLE]:
            self.pending += text

    def symbol(self, match: re.Match, rtf: bytes, stack: list) -> None:
        symbol, group = match[_SYMBOL], stack[-1]
        if symbol == b"*":
            if not (self.html and rtf.startswith(b"\\htmltag", match.end())):
                stack[-1] = self.changed(group, _SKIP, True)
        elif group[_VISIBLE] and symbol in _CONTROL_SYMBOLS:
            self.emit(_CONTROL_SYMBOLS[symbol])

    def control(self, word: bytes, param: bytes | None, group: _Group, first: bool) -> _Group:
        """Act on one control word; returns the group's state, changed or not."""
        if first and word in _SKIP_DESTINATIONS:
            return self.changed(group, _SKIP, True)
        if word == b"htmltag":
            return self.changed(group, _HTMLTAG, True)
        if word == b"htmlrtf":
            return self.changed(group, _HTMLRTF, param != b"0")
        if word == b"uc" and param is not None:
            return self.changed(group, _UC, int(param))
        if word == b"u" and param is not None:
            if group[_VISIBLE]:
                self.emit(chr(int(param) % 0x10000) if int(param) < 0 else _char(int(param)))
            self.skip_chars = group[_UC]
        elif word == b"bin":  # binary data is never body text; RTF bodies do not use it
            return self.changed(group, _SKIP, True)
        elif word in _SYMBOLS and group[_VISIBLE]:
            if not (self.html and not group[_HTMLTAG] and word in (b"cell", b"row")):
                self.emit(_SYMBOLS[word])
        return group


    def changed(self, group: _Group, field: int, value: object) -> _Group:
        if group[field] == value:
            return group
        state = list(group[:_VISIBLE])
        state[field] = value
        return self.group(*state)


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
