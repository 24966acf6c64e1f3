"""Subject access in the erasure record: every search by person (its query
and what it found), every bundle written and every erasure on request."""

from __future__ import annotations

from sqlite_utils import Database

from crumail.privacy.person import Found, Person, describe
from crumail.store import retention as store
from crumail.store import transaction


def record_search(db: Database, person: Person, found: Found, bundle=None, actor: str = "cli") -> None:
    counts = dict(found.counts)
    with transaction(db):
        store.record(db, actor, "person-find", counts, reason=describe(person))
        if bundle is not None:
            store.record(db, actor, "person-export", {"files": bundle.files, **counts},
                         reason=f"{describe(person)} -> {bundle.folder} ({bundle.marking})")
