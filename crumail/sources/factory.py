"""Build the configured sources."""

from __future__ import annotations

from crumail.config import Config, SourceConfig
from crumail.sources.base import Source
from crumail.sources.directory import DirectorySource


def build(config: Config, source: SourceConfig, db) -> Source:
    if source.type == "directory":
        return DirectorySource(source.get("path"), name=source.name, max_bytes=config.max_message_bytes)
    from crumail.sources.imap.source import ImapSource  # imported only when configured

    return ImapSource(source, db, max_bytes=config.max_message_bytes)


def interval(source: SourceConfig) -> float:
    """Seconds between polls: the source's ``interval``, else a sensible default."""
    default = 5.0 if source.type == "directory" else 60.0
    return float(source.get("interval", default))
