"""One attachment's bytes to the inspections of it and of every file inside it.

The dispatcher: the kind comes from the bytes (``detect.py``), each kind
has its reader, and a file inside a file (an embedded workbook, a PDF's
attachment, an attached mail and its attachments) is inspected as a file
of its own under ``outer/inner``.  Whatever cannot be read becomes an
``unreadable`` mark with the reason; nothing here raises.  This runs in
the worker process (``worker.py``), under its memory and time limits.
"""

from __future__ import annotations

from typing import Callable

from crumail.checks.attachments.caps import Caps, over
from crumail.checks.attachments.detect import kind_of
from crumail.checks.attachments.model import Inspected, Inspection
from crumail.errors import UnreadableAttachmentError

Reader = Callable[[bytes, Caps, str], Inspection]


def _readers() -> dict[str, Reader]:
    # imported here: each reader pulls in its library only when a file needs it
    from crumail.checks.attachments import docs, mail, pdf, sheets, tabular, xlsx

    return {
        "xlsx": xlsx.inspect_xlsx,
        "xlsm": xlsx.inspect_xlsx,
        "docx": docs.inspect_docx,
        "ods": sheets.inspect_ods,
        "odt": docs.inspect_odt,
        "pdf": pdf.inspect_pdf,
        "csv": tabular.inspect_csv,
        "text": tabular.inspect_text,
        "eml": mail.inspect_eml,
        "cfb": mail.inspect_cfb,
    }


def inspect_bytes(name: str, data: bytes, caps: Caps = Caps(), depth: int = 0) -> list[Inspected]:
    """The inspection of this file first, then of each file inside it, depth first."""
    kind = "other"
    try:
        if len(data) > caps.max_bytes:
            raise over("the file's size", len(data), caps.max_bytes, "max_attachment_inspect_bytes")
        kind = kind_of(data)
        reader = _readers().get(kind)
        if reader is None:
            raise UnreadableAttachmentError(_unknown(kind, data))
        found = reader(data, caps, kind)
    except UnreadableAttachmentError as exc:
        found = unreadable(kind, str(exc))
    except RecursionError:
        found = unreadable(kind, "nested too deeply to read: not inspected")
    except MemoryError:
        found = unreadable(kind, "needs more memory than the inspector may use: not inspected")
    except Exception as exc:  # a reader's library choking on hostile bytes: the file is unreadable
        found = unreadable(kind, f"cannot be read as {kind} ({type(exc).__name__}: {str(exc)[:200]})")
    results = [Inspected(name, found)]
    for inner in found.nested:
        path = f"{name}/{inner.name}"
        if depth + 1 > caps.max_depth:
            results.append(Inspected(path, unreadable("other", str(over(
                "files nested within files", depth + 1, caps.max_depth, "max_attachment_depth")))))
            continue
        results.extend(inspect_bytes(path, inner.data, caps, depth + 1))
    found.nested = []
    return results


def unreadable(kind: str, reason: str) -> Inspection:
    """An inspection that says only that the file could not be read, and why."""
    found = Inspection(kind)
    found.mark("unreadable", None, reason)
    return found


def _unknown(kind: str, data: bytes) -> str:
    if kind == "zip":
        return "a zip archive that is no Office or OpenDocument file: its contents cannot be checked"
    if not data.strip():
        return "the file is empty"
    return "a file of unknown type: it cannot be checked"
