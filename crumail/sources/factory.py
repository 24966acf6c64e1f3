"""Build the configured sources."""

from __future__ import annotations

from crumail.config import Config
from crumail.settings import SourceSettings
from crumail.sources.base import Source
from crumail.sources.directory import DirectorySource


def build(config: Config, source: SourceSettings, db) -> Source:
    if source.type == "directory":
        return DirectorySource(source.path, name=source.name, max_bytes=config.max_message_bytes)
    from crumail.sources.imap.source import ImapSource  # imported only when configured

    return ImapSource(source, db, max_bytes=config.max_message_bytes)

