"""The ``[[source]]`` tables: a drop folder, or an IMAP mailbox.

Each is a frozen dataclass read by crumail.settings.schema; ``type`` tells
them apart.  What one key means depends on another (the port on the
security, the folders on ``folder``, the login on the keys given) is
settled in ``checked``, once, at load, so that ``crumail config check``
shows the values a run uses.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

from crumail.settings.schema import Where, setting

IMAP_PORTS = {"ssl": 993, "starttls": 143, "plain": 143}
#: IMAP servers drop an IDLE after 30 minutes (RFC 2177 says 29): renew before.
IDLE_RENEW_MAX = 28 * 60.0
M365_SCOPE = "https://outlook.office365.com/.default"
OAUTH_KEYS = ("token_command", "tenant_id", "client_id")


@dataclass(frozen=True)
class _Polled:
    """What every source has: a name, and how its failures back off."""

    name: str | None = setting(None, "how logs, `crumail status` and the desk call it "
                                     "(default: `dir:PATH`, `imap:USER@HOST`)")
    reconnect_min: float = setting(1.0, "seconds: the shortest pause after a failed cycle", minimum=0)
    reconnect_max: float = setting(300.0, "seconds: the longest pause (the pause doubles up to it)", minimum=0)

    @property
    def watched(self) -> tuple[str, ...]:
        """Folders with an IDLE watcher of their own (none: the source is polled)."""
        return ()


@dataclass(frozen=True)
class DirectorySettings(_Polled):
    """``[[source]] type = "directory"``: a drop folder of .eml and .msg files."""

    type: Literal["directory"] = setting("directory", '`"directory"`')
    path: Path = setting("data/inbox", "the drop folder; taken files move to its `done/`")
    interval: float = setting(5.0, "seconds between polls", minimum=0)

    def checked(self, where: Where) -> "DirectorySettings":
        return self if self.name else replace(self, name=f"dir:{self.path}")


@dataclass(frozen=True)
class ImapSettings(_Polled):
    """``[[source]] type = "imap"``: one IMAP account, one or more folders."""

    type: Literal["imap"] = setting("imap", '`"imap"`')
    host: str | None = setting(None, "the server (required)")
    port: int | None = setting(None, "default: 993 with ssl, else 143", minimum=0)
    security: Literal["ssl", "starttls", "plain"] = setting("ssl", "`ssl`, `starttls` or `plain`")
    username: str | None = setting(None, "the mailbox's login (required)")
    auth: Literal["password", "oauth2"] | None = setting(
        None, "`password` or `oauth2` (default: oauth2 when a token_command, tenant_id or client_id is set)")
    password_env: str | None = setting(None, "the environment variable holding the password")
    password_file: Path | None = setting(None, "or a file holding only the password (mode 0600)")
    folder: str = setting("INBOX", "the folder to take mail from")
    folders: tuple[str, ...] = setting([], "or several (default: `[folder]`)")
    mode: Literal["idle", "poll"] = setting("idle", "`idle` (a watcher per folder) or `poll`")
    interval: float = setting(60.0, "seconds between polls (poll mode, or a server without IDLE)", minimum=0)
    timeout: float = setting(30.0, "seconds allowed for every network operation", minimum=0)
    ca_file: Path | None = setting(None, "a PEM file of the CA(s) that signed the server's certificate")
    tls_verify: bool = setting(True, "`false` turns certificate checking off (logged at every connection)")
    fetch_chunk: int = setting(100, "UIDs per FETCH command", minimum=1)
    move_to: str | None = setting(None, "after a message is committed, move it to this folder")
    add_keyword: str | None = setting(None, "after a message is committed, add this IMAP keyword")
    idle_renew: float = setting(1500.0, "seconds before IDLE is re-issued (at most 1680)", minimum=0)
    tenant_id: str | None = setting(None, "oauth2 (Microsoft 365): the directory (tenant) ID")
    client_id: str | None = setting(None, "oauth2 (Microsoft 365): the application (client) ID")
    client_secret_env: str | None = setting(None, "oauth2: the environment variable holding the client secret")
    client_secret_file: Path | None = setting(None, "oauth2: or a file holding only the client secret")
    scope: str = setting(M365_SCOPE, "oauth2: the scope asked for")
    authority: str | None = setting(None, "oauth2: default `https://login.microsoftonline.com/<tenant_id>`")
    authority_ca_file: Path | None = setting(None, "oauth2: a CA file for the authority's certificate")
    token_command: str | tuple[str, ...] | None = setting(
        None, "oauth2 with any provider: a command that prints an access token", shown=False)
    token_lifetime: float = setting(0.0, "seconds a token_command's token is kept (0: run it at each login)",
                                    minimum=0)

    def checked(self, where: Where) -> "ImapSettings":
        for key in ("host", "username"):
            if not getattr(self, key):
                raise where.key(key).error("is required")
        if not all(self.folders or [self.folder]):
            raise where.key("folders").error("must name folders, not an empty string")
        auth = self.auth or ("oauth2" if any(getattr(self, k) for k in OAUTH_KEYS) else "password")
        return replace(
            self, auth=auth, name=self.name or f"imap:{self.username}@{self.host}",
            port=IMAP_PORTS[self.security] if self.port is None else self.port,
            folders=tuple(dict.fromkeys(self.folders or (self.folder,))),
            move_to=self.move_to or None, add_keyword=self.add_keyword or None,
            idle_renew=min(self.idle_renew, IDLE_RENEW_MAX))

    @property
    def acts(self) -> bool:
        """True when stored mail is moved or marked on the server."""
        return bool(self.move_to or self.add_keyword)

    @property
    def watched(self) -> tuple[str, ...]:
        """Folders with an IDLE watcher of their own: all of them in idle mode."""
        return self.folders if self.mode == "idle" else ()


SourceSettings = DirectorySettings | ImapSettings
