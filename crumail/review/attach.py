"""Files attached to a draft (issue 10): added and removed through the state machine's rules.

A file is stored with its draft, its type told from its bytes (the name is
the operator's, ``minutes.pdf`` may be a Word file), its size capped.
Attaching or removing a file changes what leaves, so an approved draft
loses its approval, exactly as an edit of its text does; each change is in
the audit trail.  The file is inspected whole with the message at approval
and at send (``review.verify``); :func:`findings_by_file` groups the
findings for the desk.
"""

from __future__ import annotations

import re
import unicodedata

from sqlite_utils import Database

from crumail.checks import CheckReport, Finding
from crumail.checks.attachments.detect import kind_of
from crumail.errors import CrumailError
from crumail.limits import DEFAULT as DEFAULT_LIMITS, Limits
from crumail.model import Draft
from crumail.review.machine import EDITABLE, ReviewError, _allowed, _move, _need, _unapproved, get_draft
from crumail.store import audit, draft_files
from crumail.store.db import transaction

CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "xlsm": "application/vnd.ms-excel.sheet.macroEnabled.12",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "odt": "application/vnd.oasis.opendocument.text",
    "pdf": "application/pdf",
    "csv": "text/csv",
    "text": "text/plain",
    "eml": "message/rfc822",
}
UNSAFE = re.compile(r"[\x00-\x1f\x7f/\\:*?\"<>|]+")


def safe_filename(name: str) -> str:
    """The name's last part, without control or path characters, at most 150 characters."""
    name = unicodedata.normalize("NFC", name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = UNSAFE.sub("_", "".join(c for c in name if unicodedata.category(c) not in ("Cf", "Cc")))
    name = " ".join(name.split()).strip(" .")
    return name[-150:] or "attachment"


def attach(db: Database, draft_id: int, filename: str, data: bytes, *, by: str,
           limits: Limits = DEFAULT_LIMITS) -> Draft:
    """Attach a file to a draft; an approved draft loses its approval."""
    _need(by, "by", "who is attaching")
    if not isinstance(data, (bytes, bytearray)) or not data:
        raise ReviewError("the file is empty: nothing to attach")
    if len(data) > limits.max_draft_attachment_bytes:
        raise ReviewError(f"the file is {len(data):,} bytes; a draft's file may be at most "
                          f"{limits.max_draft_attachment_bytes:,} ({Limits.key('max_draft_attachment_bytes')})")
    name = safe_filename(filename)
    kind = kind_of(bytes(data))
    with transaction(db):
        draft = get_draft(db, draft_id)
        _allowed(draft, EDITABLE, "edited")
        if len(draft_files.listed(db, draft.id)) >= limits.max_draft_attachments:
            raise ReviewError(f"draft {draft.id} has {limits.max_draft_attachments} files already, the most "
                              f"allowed ({Limits.key('max_draft_attachments')})")
        file_id = draft_files.add(db, draft.id, name, CONTENT_TYPES.get(kind, "application/octet-stream"),
                                  kind, bytes(data), by)
        _changed(db, draft, by, "attached", {"file": file_id, "filename": name, "kind": kind, "size": len(data)})
    return get_draft(db, draft_id)


def detach(db: Database, draft_id: int, file_id: int, *, by: str) -> Draft:
    """Remove a file from a draft; an approved draft loses its approval."""
    _need(by, "by", "who is removing the file")
    with transaction(db):
        draft = get_draft(db, draft_id)
        _allowed(draft, EDITABLE, "edited")
        names = {f["id"]: f["filename"] for f in draft_files.listed(db, draft.id)}
        if file_id not in names or not draft_files.remove(db, draft.id, file_id):
            raise ReviewError(f"draft {draft.id} has no file {file_id}")
        _changed(db, draft, by, "detached", {"file": file_id, "filename": names[file_id]})
    return get_draft(db, draft_id)


def clean_file(db: Database, draft_id: int, file_id: int, *, by: str,
               limits: Limits = DEFAULT_LIMITS) -> tuple[bytes, list[str]] | None:
    """A cleaned copy of a draft's file (hidden sheets, comments, tracked changes ... dropped) and
    what was dropped, without saving it; None when the file has nothing to drop."""
    from crumail.checks.attachments import Caps
    from crumail.checks.attachments.clean import clean

    found = [f for f in draft_files.files(db, draft_id) if f.id == file_id]
    if not found:
        raise ReviewError(f"draft {draft_id} has no file {file_id}")
    try:
        cleaned, dropped = clean(found[0].data, Caps.of(limits))
    except CrumailError as exc:
        raise ReviewError(f"{found[0].filename} cannot be cleaned: {exc}") from None
    return (cleaned, dropped) if dropped else None


def replace_file(db: Database, draft_id: int, file_id: int, data: bytes, *, by: str, dropped: list[str]) -> Draft:
    """Put a cleaned copy in place of a draft's file, under the same name; recorded as "cleaned"."""
    _need(by, "by", "who is cleaning the file")
    with transaction(db):
        draft = get_draft(db, draft_id)
        _allowed(draft, EDITABLE, "edited")
        names = {f["id"]: f for f in draft_files.listed(db, draft.id)}
        if file_id not in names or not draft_files.remove(db, draft.id, file_id):
            raise ReviewError(f"draft {draft.id} has no file {file_id}")
        old = names[file_id]
        new_id = draft_files.add(db, draft.id, old["filename"], old["content_type"], old["kind"], data, by)
        _changed(db, draft, by, "cleaned", {"file": new_id, "replaces": file_id, "filename": old["filename"],
                                            "dropped": dropped[:200]})
    return get_draft(db, draft_id)


def _changed(db: Database, draft: Draft, by: str, action: str, detail: dict) -> None:
    revoked = draft.state == "approved"
    _move(db, draft, "edited", by, action, None, **_unapproved())
    audit.record(db, draft.id, actor=by, action=action, from_state=draft.state, to_state="edited",
                 body_sha256=draft.body_sha256, detail={**detail, "approval_revoked": revoked})


def findings_by_file(report: CheckReport) -> dict[str, list[Finding]]:
    """Findings inside attachments, under the name of the file attached (nested files with it)."""
    grouped: dict[str, list[Finding]] = {}
    for finding in report.findings:
        if finding.attachment is not None:
            grouped.setdefault(finding.attachment.split("/", 1)[0], []).append(finding)
    return grouped
