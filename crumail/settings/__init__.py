"""Typed settings: the config file's tables as frozen dataclasses.

    settings/schema    reading a TOML table into a dataclass by its type hints:
                       unknown keys, wrong types, the file and dotted key named
    settings/tables    one dataclass a table: [database], [intake], [daemon], [outbox],
                       [smtp], [send] (and [send.imap]), [drafts], [forces."NAME"],
                       [redaction], [web], [backup]
    settings/sources   the [[source]] tables: a drop folder, an IMAP mailbox
    settings/whole     the whole file, and what its tables settle between them
    settings/show      the effective settings as `crumail config check` prints them,
                       and the README's tables of keys

crumail.config finds the file and loads it; stages read the typed tables it
holds (``config.settings.web.port``), never the parsed TOML.  This package
imports only the bottom layer (errors, limits), so any stage may use it.
"""

from crumail.settings.sources import DirectorySettings, ImapSettings, SourceSettings
from crumail.settings.tables import (BackupSettings, DaemonSettings, DatabaseSettings, DraftsSettings,
                                     ForceSettings, IntakeSettings, OutboxSettings, RedactionSettings,
                                     SendImapSettings, SendSettings, SmtpSettings, WebSettings)
from crumail.settings.whole import Settings

__all__ = [
    "BackupSettings", "DaemonSettings", "DatabaseSettings", "DirectorySettings", "DraftsSettings",
    "ForceSettings", "ImapSettings", "IntakeSettings", "OutboxSettings", "RedactionSettings",
    "SendImapSettings", "SendSettings", "Settings", "SmtpSettings", "SourceSettings", "WebSettings",
]
