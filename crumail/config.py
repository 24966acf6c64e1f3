"""Configuration: a TOML file, or the embedded default.

Looked for in order: ``--config FILE``, ``$CRUMAIL_CONFIG``, ``./crumail.toml``.
With none, crumail runs on the embedded default: a drop folder
``data/inbox/``, the database ``data/crumail.db``, outbound mail written to
``data/outbox/`` and the web desk on loopback.  Keys that scripts rely on are
fixed in CONTRACTS.md.  Relative paths are relative to the config file's
folder (or the working directory for the embedded default).
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crumail.errors import ConfigError
from crumail.limits import Limits

CONFIG_ENV = "CRUMAIL_CONFIG"
DEFAULT_FILE = "crumail.toml"
#: ``[redaction] internal_domains`` unless the file says otherwise: a police
#: force's address ends in .police.uk, so marked advice may go to forces on
#: the embedded default; ``internal_domains = []`` means no domain is inside.
DEFAULT_INTERNAL_DOMAINS = ("police.uk",)
SOURCE_TYPES = ("imap", "directory")


@dataclass(frozen=True)
class SourceConfig:
    """One ``[[source]]`` table; ``options`` keeps every key as written."""

    type: str
    name: str
    options: dict[str, Any] = field(default_factory=dict)

    def get(self, key: str, default: Any = None) -> Any:
        return self.options.get(key, default)


@dataclass(frozen=True)
class Config:
    base: Path
    database: Path
    sources: tuple[SourceConfig, ...]
    outbox: Path
    smtp: dict[str, Any]
    redaction: dict[str, Any]
    web: dict[str, Any]
    daemon: dict[str, Any]
    intake: dict[str, Any]
    raw: dict[str, Any]
    path: Path | None = None

    @property
    def limits(self) -> Limits:
        """The caps on what a sender controls (``[intake]``)."""
        return Limits.from_config(self.raw)

    @property
    def max_message_bytes(self) -> int:
        return self.limits.max_message_bytes

    def section(self, name: str) -> dict[str, Any]:
        value = self.raw.get(name, {})
        return value if isinstance(value, dict) else {}


def locate(explicit: str | os.PathLike[str] | None) -> Path | None:
    """The config file to read, or None for the embedded default."""
    if explicit:
        return Path(explicit)
    env = os.environ.get(CONFIG_ENV)
    if env:
        return Path(env)
    local = Path(DEFAULT_FILE)
    return local if local.is_file() else None


def load(explicit: str | os.PathLike[str] | None = None) -> Config:
    path = locate(explicit)
    if path is None:
        return from_dict({}, Path.cwd())
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"config file {path} does not exist") from None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"config file {path} cannot be read: {exc}") from None
    return from_dict(raw, path.resolve().parent, path)


def from_dict(raw: dict[str, Any], base: Path, path: Path | None = None) -> Config:
    """Build a Config from parsed TOML, filling the embedded defaults."""
    database = _path(base, _table(raw, "database").get("path", "data/crumail.db"))
    sources = _sources(raw, base)
    outbound = _table(raw, "outbox")
    Limits.from_config(raw)  # a wrong cap fails at load, not mid-run
    return Config(
        base=base,
        database=database,
        sources=sources,
        outbox=_path(base, outbound.get("path", "data/outbox")),
        smtp=_table(raw, "smtp"),
        redaction={"internal_domains": list(DEFAULT_INTERNAL_DOMAINS), **_table(raw, "redaction")},
        web={"host": "127.0.0.1", "port": 8025, **_table(raw, "web")},
        daemon=_table(raw, "daemon"),
        intake=_table(raw, "intake"),
        raw=raw,
        path=path,
    )


def _table(raw: dict[str, Any], name: str) -> dict[str, Any]:
    value = raw.get(name, {})
    if not isinstance(value, dict):
        raise ConfigError(f"[{name}] must be a table")
    return value


def _path(base: Path, value: Any) -> Path:
    if not isinstance(value, str) or not value:
        raise ConfigError(f"expected a path, got {value!r}")
    path = Path(value).expanduser()
    return path if path.is_absolute() else base / path


def _sources(raw: dict[str, Any], base: Path) -> tuple[SourceConfig, ...]:
    tables = raw.get("source")
    if tables is None:
        tables = [{"type": "directory", "path": "data/inbox"}]
    if not isinstance(tables, list):
        raise ConfigError("[[source]] must be an array of tables")
    return tuple(_source(t, base, i) for i, t in enumerate(tables))


def _source(table: Any, base: Path, index: int) -> SourceConfig:
    if not isinstance(table, dict):
        raise ConfigError(f"[[source]] number {index + 1} is not a table")
    kind = table.get("type")
    if kind not in SOURCE_TYPES:
        raise ConfigError(f"[[source]] number {index + 1}: type must be one of {SOURCE_TYPES}, not {kind!r}")
    options = dict(table)
    if kind == "directory":
        options["path"] = str(_path(base, table.get("path", "data/inbox")))
    name = table.get("name") or _default_name(kind, options)
    return SourceConfig(type=kind, name=str(name), options=options)


def _default_name(kind: str, options: dict[str, Any]) -> str:
    if kind == "directory":
        return f"dir:{options['path']}"
    return f"imap:{options.get('username', '')}@{options.get('host', '')}"
