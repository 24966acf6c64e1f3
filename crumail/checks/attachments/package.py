"""Zip packages (OOXML, ODF) opened under caps, and their XML parsed safely.

The central directory is checked before any part is inflated (entry count,
the sum of declared sizes, the ratio of each large part), and each part is
inflated with a byte count, so a zip bomb or a part lying about its size
costs almost nothing.  XML is parsed by lxml without entities, network or
huge trees, and any ``<!DOCTYPE`` is refused outright: Office never writes
one, and entity expansion is how an XML bomb works.
"""

from __future__ import annotations

import io
import zipfile
from typing import Iterator

from lxml import etree

from crumail.checks.attachments.caps import Caps, over
from crumail.checks.attachments.model import Nested
from crumail.errors import UnreadableAttachmentError

BIG_PART = 1024 * 1024
CHUNK = 1024 * 1024
PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False,
                         remove_blank_text=False)


def open_zip(data: bytes, caps: Caps) -> zipfile.ZipFile:
    """The package, its central directory checked against the caps."""
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
        infos = package.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise UnreadableAttachmentError(f"corrupt or truncated zip package: {exc}") from None
    if len(infos) > caps.max_zip_entries:
        raise over("the package's entry count", len(infos), caps.max_zip_entries, "max_attachment_zip_entries")
    total = sum(i.file_size for i in infos)
    if total > caps.max_unpacked_bytes:
        raise over("the package's unpacked size", total, caps.max_unpacked_bytes, "max_attachment_unpacked_bytes")
    for info in infos:
        if info.file_size > BIG_PART and info.file_size > caps.max_zip_ratio * max(info.compress_size, 1):
            ratio = info.file_size // max(info.compress_size, 1)
            raise UnreadableAttachmentError(
                f"part {info.filename} inflates {ratio:,} times ({info.file_size:,} bytes): a zip bomb? "
                f"(the cap is {caps.max_zip_ratio}:1, [attachments] max_attachment_zip_ratio): not inspected")
    return package


def names(package: zipfile.ZipFile) -> list[str]:
    return [i.filename for i in package.infolist() if not i.is_dir()]


def read_part(package: zipfile.ZipFile, name: str, cap: int | None = None) -> bytes:
    """A part inflated, never past its declared size (zipfile stops there and checks the CRC)."""
    try:
        info = package.getinfo(name)
        limit = info.file_size if cap is None else min(cap, info.file_size)
        chunks: list[bytes] = []
        got = 0
        with package.open(info) as stream:
            while got <= limit:
                chunk = stream.read(CHUNK)
                if not chunk:
                    break
                got += len(chunk)
                chunks.append(chunk)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, KeyError, NotImplementedError) as exc:
        raise UnreadableAttachmentError(f"part {name} cannot be read: {exc}") from None
    if got > limit:
        raise UnreadableAttachmentError(f"part {name} inflates past its declared size: not inspected")
    return b"".join(chunks)


def xml(data: bytes, name: str = "") -> etree._Element:
    """A part's XML, any DOCTYPE refused (no entity is ever expanded)."""
    if b"<!DOCTYPE" in data[:4096] or b"<!ENTITY" in data[:65536]:
        raise UnreadableAttachmentError(f"part {name} declares a DOCTYPE or entities (an XML bomb?): not inspected")
    try:
        return etree.fromstring(data, PARSER)
    except etree.XMLSyntaxError as exc:
        raise UnreadableAttachmentError(f"part {name} is not well-formed XML: {exc}") from None


def part_xml(package: zipfile.ZipFile, name: str) -> etree._Element | None:
    """A part parsed, or None when the package has no such part."""
    try:
        package.getinfo(name)
    except KeyError:
        return None
    return xml(read_part(package, name), name)


def local(tag: object) -> str:
    """An element's name without its namespace."""
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def texts(element: etree._Element, tag: str) -> Iterator[str]:
    """The text of every descendant with this local name."""
    for node in element.iter(f"{{*}}{tag}"):
        if node.text:
            yield node.text


def properties(package: zipfile.ZipFile) -> list[tuple[str, str]]:
    """Author and last modifier from docProps/core.xml (OOXML) or meta.xml (ODF)."""
    found: list[tuple[str, str]] = []
    core = part_xml(package, "docProps/core.xml")
    if core is not None:
        for tag, label in (("creator", "author"), ("lastModifiedBy", "last modified by")):
            found.extend((label, t) for t in texts(core, tag))
    meta = part_xml(package, "meta.xml")
    if meta is not None:
        for tag, label in (("initial-creator", "author"), ("creator", "last modified by")):
            found.extend((label, t) for t in texts(meta, tag))
    return found


def embedded(package: zipfile.ZipFile, folder: str) -> list[Nested]:
    """Every embedded file under a folder (xl/embeddings/, word/embeddings/), by its base name."""
    return [Nested(name.rsplit("/", 1)[-1], read_part(package, name))
            for name in names(package) if name.startswith(folder)]


def odf_content(data: bytes, caps: Caps) -> tuple[zipfile.ZipFile, etree._Element]:
    """An OpenDocument package and its content.xml."""
    package = open_zip(data, caps)
    root = part_xml(package, "content.xml")
    if root is None:
        raise UnreadableAttachmentError("an OpenDocument package with no content part")
    return package, root
