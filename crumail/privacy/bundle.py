"""A subject access disclosure bundle: the messages that mention the person
as .eml (their exact stored bytes), the drafts as text, and an index (CSV)
of every place found, all marked with the highest protective marking of
what the bundle holds (a first line in the index and the note, and a prefix
on their names), files 0600 in a folder 0700 that must be new or empty.
"""

from __future__ import annotations

import csv
import io
import os
from dataclasses import dataclass
from pathlib import Path

from sqlite_utils import Database

from crumail.checks.markings import OFFICIAL_SENSITIVE
from crumail.errors import UnsafeFileError
from crumail.files.private import private_file
from crumail.privacy.person import Found, Person, describe
from crumail.store import person as store

#: The marking of a bundle whose content carries none higher: it is personal data.
FLOOR = "OFFICIAL"
SENSITIVE = "OFFICIAL-SENSITIVE"


@dataclass(frozen=True)
class Bundle:
    folder: Path
    files: int
    marking: str

    def as_dict(self) -> dict:
        return {"folder": str(self.folder), "files": self.files, "marking": self.marking}


def write(db: Database, person: Person, found: Found, folder: Path) -> Bundle:
    folder = _ready(Path(folder))
    raws = {m: store.raw_of(db, m) for m in found.messages}
    drafts = {h.id: store.draft_text(db, h.id) for h in found.hits if h.kind == "draft"}
    marking = highest_marking([r.decode("utf-8", "replace") for r in raws.values()] + list(drafts.values())
                              + store.log_markings(db, [h.where for h in found.hits
                                                       if h.kind in ("question", "advice", "log")]))
    files = 0
    for message, raw in raws.items():
        _write(folder / f"{marking}_message-{message}.eml", raw)
        files += 1
    for draft, text in drafts.items():
        _write(folder / f"{marking}_draft-{draft}.txt", f"{marking}\n\n{text}".encode())
        files += 1
    _write(folder / f"{marking}_index.csv", _index(found, marking).encode())
    note = (f"{marking}\n\nSubject access disclosure bundle for: {describe(person)}\n"
            f"{len(raws)} messages, {len(drafts)} drafts; every place found is in {marking}_index.csv.\n")
    _write(folder / f"{marking}_README.txt", note.encode())
    return Bundle(folder, files + 2, marking)


def highest_marking(texts: list[str]) -> str:
    return SENSITIVE if any(OFFICIAL_SENSITIVE.search(t) or SENSITIVE in t for t in texts if t) else FLOOR


def _index(found: Found, marking: str) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([f"MARKING: {marking}"])
    writer.writerow(["kind", "id", "where", "message_id", "subject", "found"])
    for hit in found.hits:
        writer.writerow([hit.kind, hit.id, hit.where, hit.message_id or "", _cell(hit.subject or ""),
                         _cell("; ".join(hit.found))])
    return out.getvalue()


def _cell(value: str) -> str:
    """A spreadsheet must not run a cell: a leading formula character is quoted."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def _ready(folder: Path) -> Path:
    """The bundle's folder: created 0700, or an existing empty one (never a link)."""
    if folder.is_symlink():
        raise UnsafeFileError(f"{folder} is a symbolic link: give a real folder for the bundle")
    if folder.exists():
        if not folder.is_dir() or any(folder.iterdir()):
            raise UnsafeFileError(f"{folder} is not an empty folder: a bundle needs a new or empty one")
    else:
        folder.mkdir(mode=0o700, parents=True)
    os.chmod(folder, 0o700)
    return folder


def _write(path: Path, data: bytes) -> None:
    with private_file(path) as stream:
        stream.write(data)


__all__ = ["Bundle", "highest_marking", "write"]
