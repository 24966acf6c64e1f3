"""Byte-stable zip packages for the attachment corpus (OOXML and ODF).

Office libraries stamp the current time into every zip entry and into
docProps/core.xml, and encryption draws random salts: either would make
the corpus differ on every run.  Everything that leaves this directory
goes through :func:`pin_package` (fixed entry times, fixed core-property
dates) and, where a library encrypts, :func:`pinned_randomness`.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import re
import secrets
import zipfile
from typing import Callable, Iterator, Mapping

EPOCH = (2024, 3, 1, 9, 30, 0)
PINNED_DATE = "2024-03-01T09:30:00Z"
ROOT_TAG = re.compile(rb"<[A-Za-z][^>]*>")
CORE_DATES = re.compile(rb"(<dcterms:(?:created|modified)\b[^>]*>)[^<]*(</dcterms:)")

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
WORD = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"
RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"


def read_entries(data: bytes) -> list[tuple[zipfile.ZipInfo, bytes]]:
    """Every entry of a zip, in order, with its bytes."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return [(info, archive.read(info)) for info in archive.infolist()]


def write_entries(entries: list[tuple[str, bytes, int]]) -> bytes:
    """A zip of (name, bytes, compress_type) with every stamp pinned."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data, compress in entries:
            info = zipfile.ZipInfo(name, date_time=EPOCH)
            info.compress_type = compress
            info.external_attr = 0o600 << 16
            info.create_system = 3
            archive.writestr(info, data)
    return out.getvalue()


def pin_package(data: bytes, edit: Mapping[str, Callable[[bytes], bytes]] | None = None,
                add: Mapping[str, bytes] | None = None) -> bytes:
    """Rewrite a zip package with pinned times, optionally editing or adding parts.

    ``edit`` maps a part name to a function of its bytes; ``add`` appends new
    parts.  ODF's ``mimetype`` keeps its stored (uncompressed) entry.
    """
    edit = edit or {}
    entries = []
    for info, blob in read_entries(data):
        blob = edit.get(info.filename, lambda b: b)(blob)
        if info.filename == "docProps/core.xml":
            blob = CORE_DATES.sub(rb"\g<1>" + PINNED_DATE.encode() + rb"\g<2>", blob)
        entries.append((info.filename, blob, info.compress_type))
    entries += [(name, blob, zipfile.ZIP_DEFLATED) for name, blob in (add or {}).items()]
    return write_entries(entries)


def add_override(types_xml: bytes, part: str, content_type: str) -> bytes:
    """[Content_Types].xml with an Override for one more part."""
    tag = f'<Override PartName="/{part}" ContentType="{content_type}"/>'.encode()
    return types_xml.replace(b"</Types>", tag + b"</Types>")


def add_default(types_xml: bytes, extension: str, content_type: str) -> bytes:
    """[Content_Types].xml with a Default for one more file extension."""
    if f'Extension="{extension}"'.encode() in types_xml:
        return types_xml
    tag = f'<Default Extension="{extension}" ContentType="{content_type}"/>'.encode()
    return types_xml.replace(b"</Types>", tag + b"</Types>")


def _rel_tag(rel_id: str, rel_type: str, target: str, external: bool = False) -> bytes:
    mode = ' TargetMode="External"' if external else ""
    return f'<Relationship Id="{rel_id}" Type="{RT}{rel_type}" Target="{target}"{mode}/>'.encode()


def add_relationship(rels_xml: bytes, rel_id: str, rel_type: str, target: str, external: bool = False) -> bytes:
    """A .rels part with one more Relationship."""
    return rels_xml.replace(b"</Relationships>", _rel_tag(rel_id, rel_type, target, external) + b"</Relationships>")


def relationships(*rels: tuple) -> bytes:
    """A fresh .rels part: (id, type after .../relationships/, target[, external])."""
    head = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{PKG_REL}">'
    return head.encode() + b"".join(_rel_tag(*r) for r in rels) + b"</Relationships>"


def with_r_namespace(xml: bytes) -> bytes:
    """A part whose root element declares the ``r:`` prefix (openpyxl declares it per element)."""
    root = ROOT_TAG.search(xml)
    assert root is not None
    if b"xmlns:r=" in root.group():
        return xml
    return xml[: root.end() - 1] + f' xmlns:r="{REL}"'.encode() + xml[root.end() - 1:]


def core_properties(creator: str, last_modified_by: str, title: str = "") -> bytes:
    """docProps/core.xml naming who wrote and last saved the file."""
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{title}</dc:title><dc:creator>{creator}</dc:creator>"
        f"<cp:lastModifiedBy>{last_modified_by}</cp:lastModifiedBy>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{PINNED_DATE}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{PINNED_DATE}</dcterms:modified>'
        "</cp:coreProperties>"
    ).encode()


@contextlib.contextmanager
def pinned_randomness(seed: str) -> Iterator[None]:
    """Make ``secrets.token_bytes`` a seeded stream while a file is encrypted.

    pypdf and msoffcrypto-tool both draw their salts, IVs and document IDs
    from it; pinning it is to encryption what pinning the clock is to zip
    entries.  Only this generator process is affected, and only inside the
    block.
    """
    counter = 0
    original = secrets.token_bytes

    def token_bytes(n: int | None = None) -> bytes:
        nonlocal counter
        out = b""
        while len(out) < (n or 32):
            counter += 1
            out += hashlib.sha256(f"{seed}:{counter}".encode()).digest()
        return out[: n or 32]

    secrets.token_bytes = token_bytes  # type: ignore[assignment]
    try:
        yield
    finally:
        secrets.token_bytes = original  # type: ignore[assignment]
