"""Reaching an IMAP server: TLS, login, timeouts.

Every network step runs under the source's ``timeout``, so a server that
accepts the connection and then says nothing fails the cycle instead of
hanging the daemon.  Certificates are verified unless ``tls_verify =
false``, which is logged as a warning at every connection.
"""

from __future__ import annotations

import imaplib
import logging
import socket
import ssl

from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientAbortError, IMAPClientError, LoginError

from crumail.errors import AuthError, SourceError, TransientSourceError
from crumail.settings import ImapSettings  # the checked [[source]] table (settings/sources.py)
from crumail.sources.imap.auth import Login, OAuth2Login

log = logging.getLogger("crumail.source.imap")

NETWORK_ERRORS = (OSError, imaplib.IMAP4.abort, IMAPClientAbortError, EOFError)


def tls_context(settings: ImapSettings) -> ssl.SSLContext:
    context = ssl.create_default_context(cafile=settings.ca_file)
    if not settings.tls_verify:
        log.warning("certificate verification is OFF for %s (tls_verify = false): "
                    "anyone on the network path can read this mailbox",
                    settings.host, extra={"event": "tls_unverified", "source": settings.name})
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    return context


def connect(settings: ImapSettings, login: Login) -> IMAPClient:
    """Connect, secure and log in; every network step under ``settings.timeout``."""
    context = tls_context(settings) if settings.security != "plain" else None
    client = None
    try:
        client = IMAPClient(settings.host, settings.port, ssl=settings.security == "ssl",
                            ssl_context=context, timeout=settings.timeout)
        if settings.security == "starttls":
            client.starttls(context)
        login(client)
    except LoginError as exc:
        drop(client)
        if isinstance(login, OAuth2Login):
            getattr(login.token, "forget", lambda: None)()
        raise AuthError(f"{settings.host} refused the login of {settings.username}: "
                        f"{server_text(exc)}") from None
    except ssl.SSLCertVerificationError as exc:
        drop(client)
        raise AuthError(f"{settings.host}:{settings.port}: certificate not trusted "
                          f"({exc.verify_message}); name the CA with ca_file") from None
    except (*NETWORK_ERRORS, IMAPClientError) as exc:
        drop(client)
        raise as_source_error(exc, f"{settings.host}:{settings.port}") from None
    log.debug("connected to %s:%d", settings.host, settings.port,
              extra={"event": "connected", "source": settings.name})
    return client


def as_source_error(exc: BaseException, where: str) -> SourceError:
    """A network or protocol failure as a transient error naming where it happened."""
    if isinstance(exc, (socket.timeout, TimeoutError)):
        return TransientSourceError(f"{where}: no answer within the timeout")
    if isinstance(exc, SourceError):
        return exc
    return TransientSourceError(f"{where}: {type(exc).__name__}: {server_text(exc)}")


def server_text(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text[:200]


def server_refused(exc: BaseException) -> bool:
    """True when the server itself ended a command (BYE), not the network."""
    return "socket error" not in str(exc)


def drop(client: IMAPClient | None) -> None:
    """Close a connection without waiting on a server that may be gone."""
    if client is None:
        return
    try:
        client.shutdown()
    except Exception:
        pass


def logout(client: IMAPClient | None) -> None:
    if client is None:
        return
    try:
        client.logout()
    except Exception:
        drop(client)
