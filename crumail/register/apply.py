"""The register's edge: a checked CSV applied to the store in one transaction,
the register written out, and the example loaded into an empty register.
Shared by ``crumail forces`` and the desk's Forces page."""

from __future__ import annotations

from pathlib import Path

from sqlite_utils import Database

from crumail.errors import RegisterError
from crumail.files.untrusted import read_regular
from crumail.register import csvfile
from crumail.register.plan import ImportPlan, plan
from crumail.store import forces as store
from crumail.store.db import transaction

EXAMPLE = Path(__file__).resolve().parents[2] / "data" / "forces.example.csv"


def decode(data: bytes) -> str:
    """A register file's text (UTF-8, a BOM allowed); RegisterError if not."""
    if len(data) > csvfile.MAX_FILE_BYTES:
        raise RegisterError([f"the file is over {csvfile.MAX_FILE_BYTES:,} bytes"])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise RegisterError([f"byte {exc.start}: not UTF-8 (save the file as CSV UTF-8)"]) from None


def read_file(path: str | Path) -> str:
    """A register file from disk: a regular file, never through a link, capped."""
    return decode(read_regular(path, csvfile.MAX_FILE_BYTES))


def import_text(db: Database, text: str, *, actor: str, dry_run: bool = False,
                comment: str | None = None) -> ImportPlan:
    """Check the whole file, then apply it in one transaction (or not at all)."""
    incoming = csvfile.parse(text)
    with transaction(db):
        result = plan(store.list_forces(db), incoming)
        if not dry_run:
            for force in result.added:
                store.upsert(db, force, actor=actor, comment=comment or "imported")
            for _before, after in result.changed:
                store.upsert(db, after, actor=actor, comment=comment or "imported")
    return result


def export_text(db: Database) -> str:
    return csvfile.write(store.list_forces(db))


def load_example_if_empty(db: Database, *, actor: str, path: Path = EXAMPLE) -> int:
    """Load the shipped example register into an empty one; forces added."""
    if store.count(db) or not path.is_file():
        return 0
    return len(import_text(db, read_file(path), actor=actor, comment=f"example register {path.name}").added)
