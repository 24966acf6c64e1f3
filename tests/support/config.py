"""Configs for the tests: one builder, in memory (:func:`config`) or as a file
for ``crumail --config`` (:func:`write_toml`).

Both start from a database in the test's folder and add the ``[[source]]``
tables and other tables given; a table given twice is merged key by key.
With no source given the config has none written, so crumail's embedded
default (the drop folder ``data/inbox``) applies.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from crumail.config import Config, from_dict

#: What the drafting, review and send tests share: the police domain
#: internal, one office number allowed, an outbox, quick send retries.
OUTBOUND: dict[str, dict[str, Any]] = {
    "redaction": {"internal_domains": ["police.uk"], "allow": ["01632 960100"]},
    "outbox": {"path": "outbox"},
    "send": {"retry_delays": [0.05, 0.05], "retry_after": 60},
}


def tables(folder: Path, *sources: dict, **more: dict) -> dict[str, Any]:
    """The raw config (what TOML would give) for a database in ``folder``
    (``database=PATH`` puts it elsewhere)."""
    # The fixtures are dated 2023-2025: drafting's age rule ([drafts]
    # max_age_days) is off unless a test sets it (tests/test_draft_age.py).
    raw: dict[str, Any] = {"database": {"path": str(folder / "crumail.db")}, "drafts": {"max_age_days": 0}}
    if sources:
        raw["source"] = [dict(source) for source in sources]
    for name, table in more.items():
        if name == "database" and isinstance(table, (str, Path)):
            table = {"path": str(table)}   # database=PATH: a database elsewhere
        raw[name] = {**raw.get(name, {}), **table}
    return raw


def config(folder: Path, *sources: dict, **more: dict) -> Config:
    """A loaded Config: ``config(tmp_path, source_table, daemon={...})``."""
    return from_dict(tables(folder, *sources, **more), folder)


def outbound(folder: Path, **more: dict) -> Config:
    """:func:`config` over :data:`OUTBOUND` (the tables given are merged into it)."""
    merged = {name: {**OUTBOUND.get(name, {}), **more.get(name, {})} for name in {*OUTBOUND, *more}}
    return config(folder, **merged)


def write_toml(path: Path, *sources: dict, **more: dict) -> Path:
    """The same config as a file at ``path`` (the database beside it).  The
    review desk is off unless a ``web`` table is given (it would take port 8025)."""
    raw = tables(path.parent, *sources, **{"web": {"enabled": False}, **more})
    path.write_text(toml(raw))
    return path


def toml(raw: dict[str, Any]) -> str:
    """``raw`` as TOML: tables, sub-tables and ``[[source]]`` arrays of tables."""
    out: list[str] = []
    for name, value in raw.items():
        if isinstance(value, list):
            out.extend(_table(f"[[{name}]]", item) for item in value)
        else:
            out.append(_table(f"[{name}]", value))
    return "\n".join(out)


def _table(header: str, table: dict[str, Any]) -> str:
    lines = [header]
    subtables = []
    for key, value in table.items():
        if isinstance(value, dict):
            subtables.append(_table(f"[{header.strip('[]')}.{key}]", value))
        else:
            lines.append(f"{key} = {json.dumps(_plain(value))}")
    return "\n".join(lines) + "\n" + "".join("\n" + sub for sub in subtables)


def _plain(value: Any) -> Any:
    """JSON strings, numbers, booleans and arrays are TOML's; paths become strings."""
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    return value
