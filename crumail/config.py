"""Configuration: a TOML file, or the embedded default, read into typed settings.

Looked for in order: ``--config FILE``, ``$CRUMAIL_CONFIG``, ``./crumail.toml``.
With none, crumail runs on the embedded default: a drop folder
``data/inbox/``, the database ``data/crumail.db``, outbound mail written to
``data/outbox/`` and the web desk on loopback.  Keys that scripts rely on are
fixed in CONTRACTS.md.  Relative paths are relative to the config file's
folder (or the working directory for the embedded default).

Every table is read into its frozen dataclass (crumail.settings) when the
file is loaded: an unknown key, a value of the wrong type or a choice not
offered stops crumail at start with a ConfigError naming the file and the
key (``crumail.toml: web.prot: unknown key; did you mean web.port?``).
Stages read ``config.settings``, never the parsed TOML.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from crumail.errors import ConfigError
from crumail.limits import Limits
from crumail.settings import Settings, SourceSettings
from crumail.settings.schema import Where
from crumail.settings.whole import read_settings

CONFIG_ENV = "CRUMAIL_CONFIG"
DEFAULT_FILE = "crumail.toml"
#: How errors name a config given as a dict (tests, the embedded default).
NO_FILE = "config"


@dataclass(frozen=True)
class Config:
    """A loaded config: where it came from, and its settings."""

    base: Path
    settings: Settings
    raw: dict[str, Any]
    path: Path | None = None

    @property
    def database(self) -> Path:
        return self.settings.database.path

    @property
    def sources(self) -> tuple[SourceSettings, ...]:
        return self.settings.sources

    @property
    def limits(self) -> Limits:
        """The caps on what a sender controls (``[intake]`` and a few others)."""
        return self.settings.limits

    @property
    def max_message_bytes(self) -> int:
        return self.settings.intake.max_message_bytes


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
    """A Config from parsed TOML, every key checked and the defaults filled in."""
    settings = read_settings(raw, Where(str(path) if path else NO_FILE, base=base))
    return Config(base=base, settings=settings, raw=raw, path=path)
