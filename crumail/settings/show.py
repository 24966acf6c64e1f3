"""The settings as people read them: ``crumail config check`` and the README.

:func:`effective` is the settings as plain values under their TOML keys
(the ``--json`` form); :func:`as_toml` writes them as a config file that
loads back to the same settings, a key that is not set commented out.  No
secret is in the settings to begin with (``password_env`` names a variable,
``password_file`` a file; neither is read here); a key marked
``shown=False`` (a ``token_command``, whose arguments may hold one) is
printed as ``***``.

:func:`readme_tables` writes the README's table of keys for each config
table, from the same dataclasses, so the two cannot drift
(tests/test_settings.py compares them).  ``python -m crumail.settings.show``
prints it.
"""

from __future__ import annotations

import json
import re
import typing
from dataclasses import Field, fields, is_dataclass
from pathlib import Path
from typing import Any

from crumail.settings.schema import default_of, key_of
from crumail.settings.sources import DirectorySettings, ImapSettings
from crumail.settings.whole import Settings

MASK = "***"
BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


def effective(settings: Any) -> Any:
    """A settings dataclass (or a value in one) as JSON-ready values under TOML keys."""
    if is_dataclass(settings):
        ordered = sorted(fields(settings), key=lambda f: f.name != "type")   # [[source]]: its type first
        return {key_of(f): _shown(f, getattr(settings, f.name)) for f in ordered}
    if isinstance(settings, dict):
        return {k: effective(v) for k, v in settings.items()}
    if isinstance(settings, (tuple, list)):
        return [effective(v) for v in settings]
    if isinstance(settings, Path):
        return str(settings)
    return settings


def _shown(item: Field, value: Any) -> Any:
    if value is not None and not item.metadata.get("shown", True):
        return MASK
    return effective(value)


# -- as a config file -------------------------------------------------------------

def as_toml(settings: Settings, heading: str = "") -> str:
    """The settings as a TOML config file; a key not set is a comment."""
    lines = [f"# {line}" for line in heading.splitlines()]
    values = effective(settings)
    for item in fields(Settings):
        key = key_of(item)
        if key == "source":
            for source in values[key]:
                lines += ["", "[[source]]", *_table_lines(source, "source")]
        else:
            body = _table_lines(values[key], key)
            lines += body if body and body[0] == "" else ["", f"[{key}]", *body]   # only sub-tables: no header
    return "\n".join(lines).lstrip("\n") + "\n"


def _table_lines(table: dict[str, Any], name: str) -> list[str]:
    """A table's keys, then its sub-tables (which TOML wants after them)."""
    lines, later = [], []
    for key, value in table.items():
        if isinstance(value, dict):
            inner = f"{name}.{_key(key)}"
            later += ["", f"[{inner}]", *_table_lines(value, inner)]
        elif value is None:
            lines.append(f"# {_key(key)} = (not set)")
        elif value == MASK:
            lines.append(f"# {_key(key)} = (set, not shown)")
        else:
            lines.append(f"{_key(key)} = {_value(value)}")
    return lines + later


def _key(key: str) -> str:
    return key if BARE_KEY.fullmatch(key) else json.dumps(key, ensure_ascii=False)


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{_key(k)} = {_value(v)}" for k, v in value.items()) + " }"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    return value.isoformat() if hasattr(value, "isoformat") else json.dumps(str(value))


# -- the README's tables ----------------------------------------------------------

def readme_tables() -> str:
    """A markdown table of keys, defaults and meanings for every config table."""
    blocks = []
    for item in fields(Settings):
        key, cls = key_of(item), _hint(Settings, item)
        if key == "source":
            blocks += [_block('[[source]] type = "directory"', DirectorySettings),
                       _block('[[source]] type = "imap"', ImapSettings)]
        elif key == "forces":
            blocks.append(_block('[forces."NAME"]', typing.get_args(cls)[1]))
        else:
            blocks.append(_block(f"[{key}]", cls))
            blocks += [_block(f"[{key}.{key_of(f)}]", _hint(cls, f)) for f in fields(cls) if is_dataclass(_hint(cls, f))]
    return "\n\n".join(blocks) + "\n"


def _hint(cls: Any, item: Field) -> Any:
    return typing.get_type_hints(cls)[item.name]


def _block(title: str, cls: Any) -> str:
    summary = " ".join((cls.__doc__ or "").split("\n\n")[0].split()).replace("``", "`")
    rows = [f"`{title}`: {summary.split(': ', 1)[-1]}", "",
            "| key | default | meaning |", "| --- | --- | --- |"]
    for item in fields(cls):
        if not is_dataclass(_hint(cls, item)):          # a sub-table has a block of its own
            rows.append(f"| `{key_of(item)}` | {_default(item)} | {item.metadata['doc']} |")
    return "\n".join(rows)


def _default(item: Field) -> str:
    value = default_of(item)
    if value is None or value == [] or value == {}:
        return "none"
    text = _value(effective(value))
    return f"`{text}`".replace("|", "\\|")


if __name__ == "__main__":
    print(readme_tables(), end="")
