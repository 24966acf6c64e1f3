"""winmail.dat (application/ms-tnef): the files and the body Outlook hid in it."""

from __future__ import annotations

import hashlib
import logging
import mimetypes
from dataclasses import dataclass, field

import tnefparse

from crumail.model import Attachment
from crumail.parse import rtf

TNEF_TYPES = frozenset({"application/ms-tnef", "application/vnd.ms-tnef"})

# tnefparse logs every property it does not know at WARNING: keep it quiet.
logging.getLogger("tnefparse").setLevel(logging.ERROR)


@dataclass
class Unpacked:
    """What a TNEF blob held: its files, and body text when it had one."""

    attachments: list[Attachment] = field(default_factory=list)
    files: list[tuple[str | None, bytes]] = field(default_factory=list)
    text: str | None = None
    html: str | None = None
    rtf_text: str | None = None
    defects: list[str] = field(default_factory=list)


def is_tnef(filename: str | None, content_type: str) -> bool:
    return content_type in TNEF_TYPES or (filename or "").lower() == "winmail.dat"


def unpack(data: bytes, max_rtf_bytes: int | None = None) -> Unpacked:
    """Files and body of a TNEF blob; raises ValueError when it is not one.

    An RTF body is read up to ``max_rtf_bytes`` once decompressed."""
    try:
        blob = tnefparse.TNEF(data, do_checksum=False)
    except Exception as error:  # tnefparse raises struct.error, ValueError, ...
        raise ValueError(f"winmail.dat is not readable TNEF: {error}") from error
    found = Unpacked()
    for item in blob.attachments:
        payload = item.data if isinstance(item.data, bytes) else b""
        name = _name(item)
        found.files.append((name, payload))
        found.attachments.append(Attachment(
            filename=name,
            content_type=(mimetypes.guess_type(name or "")[0] or "application/octet-stream"),
            size=len(payload),
            sha256=hashlib.sha256(payload).hexdigest(),
        ))
    found.text = _text(blob.body)
    found.html = _text(blob.htmlbody)
    if blob._rtfbody and not (found.text or found.html):
        found.rtf_text, is_html = _rtf(blob._rtfbody, max_rtf_bytes, found.defects)
        if is_html:
            found.html, found.rtf_text = found.rtf_text, None
    return found


def _name(item) -> str | None:
    try:
        name = item.long_filename() or item.name
    except Exception:  # a name that does not decode is no reason to lose the file
        name = None
    if isinstance(name, bytes):
        name = name.decode("cp1252", errors="replace")
    return name.strip("\x00").strip() or None if name else None


def _text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, bytes):
        value = value.rstrip(b"\x00").decode("cp1252", errors="replace")
    value = str(value).rstrip("\x00")
    return value if value.strip() else None


def _rtf(compressed: bytes, limit: int | None, defects: list[str]) -> tuple[str | None, bool]:
    try:
        body, cut = rtf.decompress_capped(compressed, limit)
    except rtf.RtfError:
        return None, False
    if cut:
        defects.append(rtf.cut_defect("winmail.dat RTF body", limit))
    return rtf.read_rtf(body)
