"""The whole config file: every table, and what they settle between them.

``[send] transport`` defaults to smtp when ``[smtp] host`` is set, else
outbox; ``[send.imap]`` takes each key it lacks from the first IMAP
``[[source]]``; ``[drafts] from`` from ``[smtp] from``.  All three are
settled here, at load, so a run and ``crumail config check`` see the same
values and a transport that cannot work fails at start, not at the first
send.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import Any

from crumail.limits import Limits
from crumail.settings.schema import Where, read, setting
from crumail.settings.sources import IMAP_PORTS, ImapSettings, SourceSettings
from crumail.settings.tables import (AttachmentsSettings, BackupSettings, DaemonSettings, DatabaseSettings, DraftsSettings,
                                     ForceSettings, IntakeSettings, OutboxSettings, RedactionSettings,
                                     RetentionSettings,
                                     SendImapSettings, SendSettings, SmtpSettings, WebSettings)

#: ``[drafts] from`` when neither it nor ``[smtp] from`` is set.
FALLBACK_FROM = "cru@localhost"
#: ``[send.imap]`` when neither it nor an IMAP source says.
SEND_IMAP_FALLBACK = {"security": "ssl", "password_env": "CRUMAIL_IMAP_PASSWORD", "timeout": 60.0}


@dataclass(frozen=True)
class Settings:
    """Every table of the config file, checked, defaults filled in."""

    database: DatabaseSettings = setting({}, "the database")
    sources: tuple[SourceSettings, ...] = setting(
        [{"type": "directory"}], "where mail comes from: any number of `[[source]]` tables", key="source")
    intake: IntakeSettings = setting({}, "parsing and the caps")
    daemon: DaemonSettings = setting({}, "the daemon")
    outbox: OutboxSettings = setting({}, "the outbox transport's folder")
    smtp: SmtpSettings = setting({}, "the SMTP relay")
    send: SendSettings = setting({}, "sending")
    drafts: DraftsSettings = setting({}, "drafting")
    forces: dict[str, ForceSettings] = setting({}, "no longer read: the force register holds the forces")
    redaction: RedactionSettings = setting({}, "the outbound checks")
    attachments: AttachmentsSettings = setting({}, "the caps on reading outbound attachments")
    web: WebSettings = setting({}, "the review desk")
    backup: BackupSettings = setting({}, "the daily backup")
    retention: RetentionSettings = setting({}, "how long records are kept")

    def checked(self, where: Where) -> "Settings":
        if self.forces:
            # Refused rather than read: a second list beside the register would
            # disagree with it silently, and it lacks mailboxes and regions.
            raise where.key("forces").error(
                "forces are no longer configured here: they live in the force register; put them "
                "in a CSV (see data/forces.example.csv) and run `crumail forces import FILE.csv`, "
                "then remove the [forces] tables")
        send = replace(self.send, transport=self.send.transport or ("smtp" if self.smtp.host else "outbox"))
        send = replace(send, imap=_send_imap(send.imap, self.imap_source))
        if send.transport == "imap":
            for key in ("host", "username"):
                if not getattr(send.imap, key):
                    raise where.key("send").key("imap").key(key).error("is not set (nor in an IMAP [[source]])")
        if send.transport == "smtp" and not self.smtp.host:
            raise where.key("smtp").key("host").error("is not set (the smtp transport needs it)")
        drafts = replace(self.drafts, from_address=(self.drafts.from_address or self.smtp.from_address
                                                    or FALLBACK_FROM))
        return replace(self, send=send, drafts=drafts)

    @property
    def imap_source(self) -> ImapSettings | None:
        return next((s for s in self.sources if isinstance(s, ImapSettings)), None)

    @property
    def limits(self) -> Limits:
        """The caps, each from the table crumail.limits names."""
        return Limits(**{item.name: getattr(getattr(self, item.metadata["table"]), item.name)
                         for item in fields(Limits)})


def _send_imap(table: SendImapSettings, source: ImapSettings | None) -> SendImapSettings:
    """``[send.imap]`` with each key it lacks from ``source``, then the fallbacks."""
    inherited: dict[str, Any] = {}
    if source is not None:
        inherited = {"host": source.host, "port": source.port, "security": source.security,
                     "username": source.username, "password_env": source.password_env,
                     "cafile": source.ca_file, "timeout": source.timeout}
    values = {k: v for k, v in vars(table).items() if v is not None}
    merged = {**SEND_IMAP_FALLBACK, **{k: v for k, v in inherited.items() if v is not None}, **values}
    if "port" not in values and merged.get("security") != (source.security if source else None):
        merged.pop("port", None)       # the source's port was for another security
    merged.setdefault("port", IMAP_PORTS[merged["security"]])
    return SendImapSettings(**{**{f.name: None for f in fields(SendImapSettings)}, **merged})


def read_settings(raw: dict[str, Any], where: Where) -> Settings:
    """The whole file, checked: a ConfigError names the first wrong key and the file."""
    return read(Settings, raw, where)
