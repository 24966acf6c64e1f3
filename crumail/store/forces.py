"""The force register: rows in, :class:`crumail.model.Force` out, and its audit.

Every change (added, changed, activated, deactivated) appends a
``force_audit`` row with who, when and the force before and after, in the
transaction that makes it.  Values are checked above the store
(crumail.register.csvfile), which also keeps names, short names, domains and
mailboxes unique across the register; the table's UNIQUE names are the last
guard.
"""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Literal

from sqlite_utils import Database

from crumail import clock
from crumail.model import Force
from crumail.store.db import fetch_dicts

Change = Literal["added", "changed", "unchanged"]
_COLUMNS = "id, name, short_name, nation, region, kind, foi_mailboxes_json, domains_json, active"


def _force(row: dict) -> Force:
    return Force(id=row["id"], name=row["name"], short_name=row["short_name"], nation=row["nation"],
                 region=row["region"], kind=row["kind"],
                 foi_mailboxes=tuple(json.loads(row["foi_mailboxes_json"])),
                 domains=tuple(json.loads(row["domains_json"])), active=bool(row["active"]))


def list_forces(db: Database, *, nation: str | None = None, region: str | None = None,
                active: bool | None = None) -> list[Force]:
    """The register, by name; ``None`` filters nothing."""
    where, params = ["1"], []
    if nation:
        where.append("nation = ?")
        params.append(nation)
    if region:
        where.append("region = ? COLLATE NOCASE")
        params.append(region)
    if active is not None:
        where.append("active = ?")
        params.append(int(active))
    rows = fetch_dicts(db, f"SELECT {_COLUMNS} FROM forces WHERE {' AND '.join(where)} "
                           "ORDER BY name COLLATE NOCASE", params)
    return [_force(row) for row in rows]


def count(db: Database) -> int:
    return db.execute("SELECT count(*) FROM forces").fetchone()[0]


def get(db: Database, force_id: int) -> Force | None:
    rows = fetch_dicts(db, f"SELECT {_COLUMNS} FROM forces WHERE id = ?", [force_id])
    return _force(rows[0]) if rows else None


def by_name(db: Database, name: str) -> Force | None:
    """The force named ``name`` (its name or short name, any case)."""
    rows = fetch_dicts(db, f"SELECT {_COLUMNS} FROM forces WHERE name = ? COLLATE NOCASE "
                           "OR short_name = ? COLLATE NOCASE ORDER BY name = ? COLLATE NOCASE DESC",
                       [name, name, name])
    return _force(rows[0]) if rows else None


def regions(db: Database) -> list[str]:
    return [r[0] for r in db.execute("SELECT DISTINCT region FROM forces WHERE region != '' "
                                     "ORDER BY region COLLATE NOCASE").fetchall()]


def upsert(db: Database, force: Force, *, actor: str, comment: str | None = None) -> tuple[int, Change]:
    """Add ``force``, or change the one of that id (else of that name) to it;
    audited.  Call inside the caller's transaction."""
    before = get(db, force.id) if force.id is not None else by_name_exact(db, force.name)
    if before is None:
        return _insert(db, force, actor, comment), "added"
    if before.same_as(force):
        return before.id or 0, "unchanged"
    after = replace(force, id=before.id)
    db.execute(
        """UPDATE forces SET name=?, short_name=?, nation=?, region=?, kind=?, foi_mailboxes_json=?,
               domains_json=?, active=?, updated_at=? WHERE id=?""",
        [*_values(after), clock.stamp(), before.id])
    _audit(db, before.id or 0, actor, _action(before, after), before, after, comment)
    return before.id or 0, "changed"


def by_name_exact(db: Database, name: str) -> Force | None:
    rows = fetch_dicts(db, f"SELECT {_COLUMNS} FROM forces WHERE name = ? COLLATE NOCASE", [name])
    return _force(rows[0]) if rows else None


def set_active(db: Database, force_id: int, active: bool, *, actor: str,
               comment: str | None = None) -> bool:
    """Include or leave out a force from "every active force"; False when
    there is no such force.  Audited when it changes anything."""
    before = get(db, force_id)
    if before is None:
        return False
    if before.active != active:
        upsert(db, replace(before, active=active), actor=actor, comment=comment)
    return True


def history(db: Database, force_id: int | None = None, limit: int = 200) -> list[dict]:
    """Audit rows, newest first (one force's, or the register's)."""
    where, params = ("WHERE a.force = ?", [force_id]) if force_id is not None else ("", [])
    rows = fetch_dicts(
        db, f"""SELECT a.id, a.force, f.name AS force_name, a.at, a.actor, a.action, a.before_json,
                       a.after_json, a.comment
                FROM force_audit a JOIN forces f ON f.id = a.force {where}
                ORDER BY a.id DESC LIMIT ?""", [*params, limit])
    for row in rows:
        row["before"] = json.loads(row.pop("before_json") or "null")
        row["after"] = json.loads(row.pop("after_json") or "null")
    return rows


def _insert(db: Database, force: Force, actor: str, comment: str | None) -> int:
    stamp = clock.stamp()
    cursor = db.execute(
        """INSERT INTO forces (name, short_name, nation, region, kind, foi_mailboxes_json, domains_json,
               active, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?)""",
        [*_values(force), stamp, stamp])
    force_id = cursor.lastrowid
    _audit(db, force_id, actor, "added", None, replace(force, id=force_id), comment)
    return force_id


def _values(force: Force) -> list:
    return [force.name, force.short_name, force.nation, force.region, force.kind,
            json.dumps(list(force.foi_mailboxes)), json.dumps(list(force.domains)), int(force.active)]


def _action(before: Force, after: Force) -> str:
    if before.active != after.active and before.same_as(replace(after, active=before.active)):
        return "activated" if after.active else "deactivated"
    return "changed"


def _audit(db: Database, force_id: int, actor: str, action: str, before: Force | None,
           after: Force | None, comment: str | None) -> None:
    def dump(force: Force | None) -> str | None:
        return json.dumps(force.as_dict(), ensure_ascii=False, sort_keys=True) if force else None

    db.execute("""INSERT INTO force_audit (force, at, actor, action, before_json, after_json, comment)
                  VALUES (?,?,?,?,?,?,?)""",
               [force_id, clock.stamp(), actor, action, dump(before), dump(after), comment])
