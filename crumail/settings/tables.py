"""The config file's tables, one frozen dataclass each, every default written here.

A field is a key: its default (in TOML form: a path relative to the config
file's folder, a list for an array), what it means, and its bounds; the
caps on what a sender controls come from crumail.limits, each in the table
it names.  ``checked`` settles what one key means given another.  The
tables that lean on each other (``[send] transport``, ``[send.imap]``,
``[drafts] from``) are settled in crumail.settings.whole.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import time
from pathlib import Path
from typing import Any, Literal

from crumail.limits import Limits
from crumail.settings.schema import Where, setting

SMTP_PORTS = {"starttls": 587, "ssl": 465, "plain": 25}

#: The nations whose bank holidays set a deadline (crumail.drafts.deadlines
#: keeps their calendars), and other ways an operator may write them.
NATIONS = ("england-and-wales", "scotland", "northern-ireland")
DEFAULT_NATION = NATIONS[0]
NATION_ALIASES = {
    "england": "england-and-wales", "wales": "england-and-wales", "eng": "england-and-wales",
    "wls": "england-and-wales", "england and wales": "england-and-wales",
    "england wales": "england-and-wales", "e&w": "england-and-wales",
    "sct": "scotland", "scot": "scotland",
    "nir": "northern-ireland", "ni": "northern-ireland", "northern ireland": "northern-ireland",
}
DEFAULT_RULES = {"referral": ("acknowledgement", "advice")}
DEFAULT_MARKING = {"advice": "OFFICIAL-SENSITIVE"}
DEFAULT_CAVEATS = {"advice": ("POLICE EYES ONLY",)}


def cap(name: str) -> Any:
    """A cap of crumail.limits as a key of its table: its default and meaning from there."""
    item = Limits.__dataclass_fields__[name]
    return setting(item.default, item.metadata["doc"], minimum=1)


def nation(value: str, where: Where | None = None) -> str:
    """A nation's canonical name from what an operator wrote."""
    key = " ".join(str(value).lower().replace("_", "-").split())
    key = NATION_ALIASES.get(key, NATION_ALIASES.get(key.replace("-", " "), key))
    if key not in NATIONS:
        where = where or Where("config", "nation")
        raise where.error(f"unknown nation {value!r}: use one of {', '.join(NATIONS)}")
    return key


@dataclass(frozen=True)
class DatabaseSettings:
    """``[database]``: the one SQLite file the daemon, the desk and the CLI share."""

    path: Path = setting("data/crumail.db", "the database file")
    retry_max: float = setting(60.0, "seconds, at most, between tries while the disk is full, read-only or gone",
                               minimum=0)


@dataclass(frozen=True)
class IntakeSettings:
    """``[intake]``: parsing what comes in, and the caps on what a sender controls."""

    workers: int | None = setting(None, "parser processes for large batches (default: one per core, "
                                        "at most 4; 0: parse in the daemon's own process)", minimum=0)
    max_message_bytes: int = cap("max_message_bytes")
    max_subject_chars: int = cap("max_subject_chars")
    max_header_chars: int = cap("max_header_chars")
    max_recipients: int = cap("max_recipients")
    max_rtf_bytes: int = cap("max_rtf_bytes")
    max_attachment_bytes: int = cap("max_attachment_bytes")
    max_outlook_entries: int = cap("max_outlook_entries")
    max_body_chars: int = cap("max_body_chars")
    max_questions: int = cap("max_questions")
    max_advice: int = cap("max_advice")


@dataclass(frozen=True)
class DaemonSettings:
    """``[daemon]``: how `crumail run` takes mail in."""

    batch_size: int = setting(200, "messages committed per transaction", minimum=1)


@dataclass(frozen=True)
class OutboxSettings:
    """``[outbox]``: where the `outbox` transport writes mail (a folder of .eml files)."""

    path: Path = setting("data/outbox", "the folder")


@dataclass(frozen=True)
class SmtpSettings:
    """``[smtp]``: the relay the `smtp` transport hands mail to."""

    host: str | None = setting(None, "the relay (setting it makes `smtp` the default transport)")
    port: int | None = setting(None, "default: 587 with starttls, 465 with ssl, 25 plain", minimum=0)
    security: Literal["starttls", "ssl", "plain"] = setting("starttls", "`starttls`, `ssl` or `plain`")
    username: str | None = setting(None, "log in as this (none: no login)")
    password_env: str = setting("CRUMAIL_SMTP_PASSWORD", "the environment variable holding the password")
    from_address: str | None = setting(None, "the sender of drafts (`[drafts] from` wins)", key="from")
    cafile: Path | None = setting(None, "a CA to trust besides the system's")
    timeout: float = setting(60.0, "seconds allowed for every network step", minimum=0)
    settle_seconds: float = setting(
        0.2, "seconds to listen for the server before the final dot (a drop then is retried)", minimum=0)
    helo: str | None = setting(None, "the name crumail gives in EHLO (default: this host's)")

    def checked(self, where: Where) -> "SmtpSettings":
        return replace(self, port=SMTP_PORTS[self.security] if self.port is None else self.port)


@dataclass(frozen=True)
class SendImapSettings:
    """``[send.imap]``: IMAP APPEND to a Drafts folder; each key but ``folder``
    defaults to the first IMAP ``[[source]]``'s."""

    host: str | None = setting(None, "the server")
    port: int | None = setting(None, "default: 993 with ssl, else 143", minimum=0)
    security: Literal["ssl", "starttls", "plain"] | None = setting(None, "default: `ssl`")
    username: str | None = setting(None, "the mailbox's login")
    password_env: str | None = setting(None, "default: `CRUMAIL_IMAP_PASSWORD`")
    folder: str = setting("Drafts", "the folder drafts are appended to")
    cafile: Path | None = setting(None, "a CA to trust besides the system's")
    timeout: float | None = setting(None, "seconds allowed for every network step (default: 60)", minimum=0)


@dataclass(frozen=True)
class SendSettings:
    """``[send]``: how approved drafts leave, and how failures are retried."""

    transport: Literal["smtp", "imap", "outbox"] | None = setting(
        None, "`smtp`, `imap` or `outbox` (default: smtp when `[smtp] host` is set, else outbox)")
    interval: float = setting(30.0, "seconds between the daemon's drafting and sending runs", minimum=0)
    retry_delays: tuple[float, ...] = setting([2.0, 10.0], "seconds between tries within one run")
    retry_after: float = setting(300.0, "seconds before a later run tries again (doubling)", minimum=0)
    max_attempts: int = setting(8, "runs that may retry a failure before the draft is failed", minimum=1)
    imap: SendImapSettings = setting({}, "the `imap` transport (below)")


@dataclass(frozen=True)
class ForceSettings:
    """``[forces."NAME"]``: no longer read; a config that has it is refused, naming
    `crumail forces import` (the force register replaced it)."""

    nation: str = setting(DEFAULT_NATION, "its nation: `england-and-wales`, `scotland`, `northern-ireland`")
    domains: tuple[str, ...] = setting([], "senders recognised as this force (else by the Logged with name)")

    def checked(self, where: Where) -> "ForceSettings":
        return replace(self, nation=nation(self.nation, where.key("nation")),
                       domains=tuple(d.lower().strip(".") for d in self.domains))


@dataclass(frozen=True)
class DraftsSettings:
    """``[drafts]``: which drafts a message gets and what they say."""

    from_address: str | None = setting(None, "the drafts' sender (default: `[smtp] from`, else cru@localhost)",
                                       key="from")
    templates: Path | None = setting(None, "your own templates, searched before the built-in ones")
    nation: str = setting(DEFAULT_NATION, "the default nation for deadlines: `england-and-wales`, "
                                          "`scotland`, `northern-ireland`")
    working_days: int = setting(20, "working days to answer (FOIA s10)", minimum=1)
    precedents: int = setting(3, "earlier questions quoted per question", minimum=0)
    max_age_days: int = setting(14, "a message older than this many days (by its Date, else when it was "
                                    "received) gets no draft and no log number; 0: no limit", minimum=0)
    rules: dict[str, tuple[str, ...]] = setting(
        DEFAULT_RULES, "kind of message -> the templates drafted for it (added to the default)", lone_string=True)
    marking: dict[str, str] = setting(DEFAULT_MARKING, "template -> its marking when the referral has none")
    caveats: dict[str, tuple[str, ...]] = setting(DEFAULT_CAVEATS, "template -> its handling caveats",
                                                  lone_string=True)
    values: dict[str, Any] = setting({}, "extra values every template can use")
    max_draft_subject_chars: int = cap("max_draft_subject_chars")
    max_draft_recipients: int = cap("max_draft_recipients")
    max_draft_attachment_bytes: int = cap("max_draft_attachment_bytes")
    max_draft_attachments: int = cap("max_draft_attachments")

    def checked(self, where: Where) -> "DraftsSettings":
        # What is written adds to the defaults (or replaces one kind's), never drops them.
        return replace(self, nation=nation(self.nation, where.key("nation")),
                       rules={**DEFAULT_RULES, **self.rules}, marking={**DEFAULT_MARKING, **self.marking},
                       caveats={**DEFAULT_CAVEATS, **self.caveats})


#: ``[redaction] internal_domains`` unless the file says otherwise.
DEFAULT_INTERNAL_DOMAINS = ("police.uk",)


@dataclass(frozen=True)
class RedactionSettings:
    """``[redaction]``: what the outbound checks know about the unit."""

    internal_domains: tuple[str, ...] = setting(
        list(DEFAULT_INTERNAL_DOMAINS), 'a recipient is internal when its domain is one of these or ends '
        'with "." + one; a police force\'s address ends in .police.uk, so marked advice may go to forces '
        'on the embedded default; [] means no domain is inside')
    allow: tuple[str, ...] = setting([], "public office identifiers that are not personal data")
    staff: tuple[str, ...] = setting([], "the unit's own people, always treated as names")
    max_diff_changes: int = cap("max_diff_changes")


@dataclass(frozen=True)
class AttachmentsSettings:
    """``[attachments]``: the caps under which outbound attachments are read (crumail/checks/attachments/)."""

    max_attachment_inspect_bytes: int = cap("max_attachment_inspect_bytes")
    max_attachment_unpacked_bytes: int = cap("max_attachment_unpacked_bytes")
    max_attachment_zip_entries: int = cap("max_attachment_zip_entries")
    max_attachment_zip_ratio: int = cap("max_attachment_zip_ratio")
    max_attachment_pdf_objects: int = cap("max_attachment_pdf_objects")
    max_attachment_pdf_pages: int = cap("max_attachment_pdf_pages")
    max_attachment_depth: int = cap("max_attachment_depth")
    max_attachment_memory_bytes: int = cap("max_attachment_memory_bytes")
    max_attachment_seconds: int = cap("max_attachment_seconds")


@dataclass(frozen=True)
class WebSettings:
    """``[web]``: the review desk."""

    host: str = setting("127.0.0.1", "the address to listen on")
    port: int = setting(8025, "the port (0: any free one)", minimum=0)
    enabled: bool = setting(True, "`false`: `crumail run` serves no desk (`crumail serve` still does)")
    session_hours: float = setting(12.0, "a session cookie's lifetime", minimum=0)
    idle_minutes: float = setting(120.0, "a session unused this long ends", minimum=0)
    second_approver: bool = setting(False, "`true`: nobody who drafted or edited a draft may approve it "
                                           "(desk and CLI)")
    page_size: int = setting(50, "rows per page", minimum=1)
    threads: int = setting(8, "waitress worker threads", minimum=1)
    secure_cookies: bool | Literal["auto"] = setting(
        "auto", '`"auto"`: Secure when the request came over TLS; or `true` / `false`')
    trusted_proxy: str | None = setting(None, "a TLS-terminating proxy whose X-Forwarded-Proto is believed")
    metrics_token_env: str | None = setting(
        None, "the environment variable holding a bearer token for `/metrics`")
    max_findings_shown: int = cap("max_findings_shown")


@dataclass(frozen=True)
class BackupSettings:
    """``[backup]``: the daemon's daily backup; none without a ``dir``."""

    dir: Path | None = setting(None, "where the daily backups go")
    keep: int = setting(7, "backups kept; older ones are removed", minimum=1)
    time: str = setting("02:30", "local time (HH:MM) after which the day's backup is due")
    enabled: bool = setting(True, "`false`: no daily backup even with a dir")

    def checked(self, where: Where) -> "BackupSettings":
        self.at(where)
        return self

    def at(self, where: Where | None = None) -> time:
        """``time`` as a time of day."""
        try:
            hours, minutes = self.time.split(":")
            return time(int(hours), int(minutes))
        except ValueError:
            where = where or Where("config", "backup")
            raise where.key("time").error(f"must be HH:MM (local time), not {self.time!r}") from None


@dataclass(frozen=True)
class RetentionSettings:
    """``[retention]``: how long each kind of record is kept (crumail.privacy.retention)."""

    enabled: bool = setting(False, "`true`: the daemon erases what is past its period once a day "
                                   "(`crumail retention plan` / `apply` work either way)")
    mail_days: int = setting(730, "raw mail, its attachments and nested messages: days after the last "
                                  "activity of every log it belongs to (its receipt when it has no log)",
                             minimum=1)
    quarantine_days: int = setting(90, "quarantined mail: days after its last attempt", minimum=1)
    drafts_days: int = setting(730, "drafts and sent mail: days after the draft last changed", minimum=1)
    audit_days: int = setting(2190, "the drafts' audit rows: days after they were written", minimum=1)
    batch: int = setting(100, "records erased per transaction", minimum=1)
