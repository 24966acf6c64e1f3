"""Logging in to an IMAP server: a password, or an OAuth2 token (XOAUTH2).

Secrets never sit in the config file: a password comes from an environment
variable (``password_env``) or a file (``password_file``); an OAuth2 token
comes from Microsoft's identity platform through msal (client-credentials,
app-only access to a shared mailbox) or from any ``token_command``.  No
secret or token is ever put in a log line or an exception message.
"""

from __future__ import annotations

import functools
import logging
import os
import shlex
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Protocol

from crumail.errors import AuthError, ConfigError
from crumail.settings import ImapSettings
from crumail.settings.sources import M365_SCOPE
from crumail.store import own_files

log = logging.getLogger("crumail.source.imap")

M365_AUTHORITY = "https://login.microsoftonline.com/{tenant}"
RENEW_BEFORE_SECONDS = 300     # renew a token this long before it expires
TOKEN_COMMAND_TIMEOUT = 60


class Login(Protocol):
    """Something that logs an IMAPClient in."""

    def __call__(self, client) -> None: ...


def secret_from(what: str, env_name: str | None, file_name: str | Path | None,
                env_key: str, file_key: str) -> str:
    """The secret in the environment variable ``env_name``, else in the file ``file_name``
    (``env_key`` and ``file_key`` are the config keys that name them, for messages)."""
    if env_name:
        value = os.environ.get(env_name)
        if not value:
            raise AuthError(f"{what}: environment variable {env_name} is not set")
        return value
    if file_name:
        path = Path(file_name).expanduser()
        own_files.refuse(path, f"read {what} from")   # the daemon holds connections: never open it
        try:
            value = path.read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise AuthError(f"{what}: cannot read {path}: {exc.strerror or exc}") from None
        if not value:
            raise AuthError(f"{what}: {path} is empty")
        return value
    raise ConfigError(f"{what}: set {env_key} (an environment variable name) or {file_key}")


@dataclass
class PasswordLogin:
    username: str
    password: Callable[[], str]   # read at each login, so a rotated secret is picked up

    def __call__(self, client) -> None:
        client.login(self.username, self.password())


@dataclass
class OAuth2Login:
    username: str
    token: "TokenSource"

    def __call__(self, client) -> None:
        client.oauth2_login(self.username, self.token.get())


class TokenSource(Protocol):
    def get(self) -> str: ...


class CachedToken:
    """A token kept until shortly before it expires, then fetched again.

    ``fetch`` returns ``(token, lifetime_seconds)``; it is called under a
    lock, so two folders logging in at once ask the provider only once.
    """

    def __init__(self, fetch: Callable[[], tuple[str, float]], clock: Callable[[], float] = time.monotonic,
                 renew_before: float = RENEW_BEFORE_SECONDS):
        self._fetch, self._clock, self._renew_before = fetch, clock, renew_before
        self._token: str | None = None
        self._expires = 0.0
        self._lock = threading.Lock()

    def get(self) -> str:
        with self._lock:
            if self._token is None or self._clock() >= self._expires - self._renew_before:
                token, lifetime = self._fetch()
                self._token, self._expires = token, self._clock() + lifetime
                log.info("new access token, valid for %d s", lifetime, extra={"event": "token"})
            return self._token

    def forget(self) -> None:
        """Drop the cached token (the server refused it)."""
        with self._lock:
            self._token = None


class MsalClientCredentials:
    """Microsoft 365 app-only access: msal's client-credentials flow."""

    def __init__(self, tenant_id: str, client_id: str, client_secret: Callable[[], str],
                 scope: str = M365_SCOPE, authority: str | None = None, verify: str | bool = True,
                 timeout: float = 30.0):
        self.tenant_id, self.client_id, self.scope = tenant_id, client_id, scope
        self.timeout = timeout
        self.authority = authority or M365_AUTHORITY.format(tenant=tenant_id)
        self._secret, self._verify = client_secret, verify
        self._app = None

    def app(self):
        if self._app is None:
            import msal

            # A named authority other than Microsoft's (a sovereign cloud, a
            # test) is trusted as given rather than checked with Microsoft.
            custom = not self.authority.startswith("https://login.microsoftonline.com/")
            self._app = msal.ConfidentialClientApplication(
                self.client_id, client_credential=self._secret(), authority=self.authority,
                http_client=self._http_client(), token_cache=msal.TokenCache(),
                instance_discovery=False if custom else None)
        return self._app

    def _http_client(self):
        import requests

        session = requests.Session()
        # requests lets $REQUESTS_CA_BUNDLE override a session's own CA file,
        # so the CA file and a timeout go with every request instead.
        session.request = functools.partial(session.request, verify=self._verify,
                                            timeout=self.timeout)
        session.mount("https://", requests.adapters.HTTPAdapter(max_retries=1))
        return session

    def __call__(self) -> tuple[str, float]:
        try:
            result = self.app().acquire_token_for_client(scopes=[self.scope])
        except Exception as exc:  # network and discovery errors from msal/requests
            raise AuthError(f"no token from {self.authority}: {type(exc).__name__}") from None
        if "access_token" not in result:
            reason = result.get("error_description") or result.get("error") or "no reason given"
            raise AuthError(f"no token from {self.authority}: {reason.splitlines()[0]}")
        return result["access_token"], float(result.get("expires_in", 3600))


class TokenCommand:
    """Any other provider: a command that prints a token on standard output."""

    def __init__(self, command: str | list[str], lifetime: float = 0.0, timeout: float = TOKEN_COMMAND_TIMEOUT):
        self.argv = shlex.split(command) if isinstance(command, str) else [str(a) for a in command]
        self.lifetime, self.timeout = lifetime, timeout

    def __call__(self) -> tuple[str, float]:
        try:
            result = subprocess.run(self.argv, capture_output=True, timeout=self.timeout, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise AuthError(f"token_command {self.argv[0]} failed: {type(exc).__name__}") from None
        token = result.stdout.decode(errors="replace").strip()
        if result.returncode != 0 or not token:
            # stderr may be useful; stdout may hold a partial token, so never show it
            detail = result.stderr.decode(errors="replace").strip().splitlines()[:1]
            raise AuthError(f"token_command {self.argv[0]} exited {result.returncode}"
                            + (f": {detail[0]}" if detail else ""))
        return token.splitlines()[0], self.lifetime


def login_for(source: ImapSettings) -> Login:
    """The login ``source`` is configured for (``auth``, settled when the config was loaded)."""
    username = source.username or ""
    if source.auth == "oauth2":
        return OAuth2Login(username, CachedToken(_token_provider(source)))
    return PasswordLogin(username, lambda: secret_from(
        f"source {source.name} password", source.password_env, source.password_file,
        "password_env", "password_file"))


def _token_provider(source: ImapSettings) -> Callable[[], tuple[str, float]]:
    if source.token_command:
        return TokenCommand(source.token_command, source.token_lifetime)
    missing = [k for k in ("tenant_id", "client_id") if not getattr(source, k)]
    if missing:
        raise ConfigError(f"source {source.name}: oauth2 needs {' and '.join(missing)} (or a token_command)")
    secret = lambda: secret_from(f"source {source.name} client secret",  # noqa: E731
                                 source.client_secret_env, source.client_secret_file,
                                 "client_secret_env", "client_secret_file")
    ca_file = source.authority_ca_file
    return MsalClientCredentials(source.tenant_id or "", source.client_id or "", secret,
                                 scope=source.scope, authority=source.authority,
                                 verify=str(ca_file) if ca_file else True, timeout=source.timeout)
