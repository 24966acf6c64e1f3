"""SMTP with smtplib: STARTTLS or SSL with verified certificates, auth from the environment.

One connection per mail.  The DATA phase is split so that a failure can be
told apart from a lost reply: the message is sent without its final dot,
the connection is checked, and only then is the dot sent.  A connection
dropped (or a reply given) before the dot means the server cannot have
accepted the mail, so it is retried; a drop or timeout after the dot means
it may have, so the draft becomes unconfirmed instead (RFC 1047's
duplicate-message problem, settled towards "never twice").
"""

from __future__ import annotations

import os
import re
import select
import smtplib
import socket
import ssl

from crumail.errors import PermanentSendError, TransientSendError, UncertainSendError
from crumail.settings import SmtpSettings


def _password(settings: SmtpSettings) -> str | None:
    """The password from the environment, read at each connection (a rotated one is picked up)."""
    if not settings.username:
        return None
    value = os.environ.get(settings.password_env)
    if value is None:
        raise TransientSendError(f"SMTP password for {settings.username} is not set: export {settings.password_env}")
    return value


def _tls_context(settings: SmtpSettings) -> ssl.SSLContext:
    # Verified certificates always; a CA file only adds to what is trusted.
    return ssl.create_default_context(cafile=settings.cafile)


class SmtpTransport:
    name = "smtp"

    def __init__(self, settings: SmtpSettings):
        self.settings = settings

    def deliver(self, data: bytes, sender: str, recipients: list[str], message_id: str) -> str:
        smtp = self._connect()
        try:
            return _transaction(smtp, data, sender, recipients, self.settings.settle_seconds)
        finally:
            _close(smtp)

    def delivered(self, message_id: str) -> bool | None:
        return None  # SMTP cannot be asked what it has already taken

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        try:
            if s.security == "ssl":
                smtp = smtplib.SMTP_SSL(s.host, s.port, local_hostname=s.helo, timeout=s.timeout,
                                        context=_tls_context(s))
            else:
                smtp = smtplib.SMTP(s.host, s.port, local_hostname=s.helo, timeout=s.timeout)
                if s.security == "starttls":
                    smtp.ehlo()
                    smtp.starttls(context=_tls_context(s))
            smtp.ehlo()
            if s.username:
                smtp.login(s.username, _password(s))
            return smtp
        except smtplib.SMTPAuthenticationError as exc:
            raise TransientSendError(f"SMTP login as {s.username} refused: {_reply(exc)}") from None
        except (smtplib.SMTPException, OSError) as exc:
            raise TransientSendError(f"cannot reach SMTP server {s.host}:{s.port}: {_describe(exc)}") from None


def _transaction(smtp: smtplib.SMTP, data: bytes, sender: str, recipients: list[str], settle: float) -> str:
    try:
        _expect(smtp.mail(sender), (250,), "MAIL FROM")
        for rcpt in recipients:
            _expect(smtp.rcpt(rcpt), (250, 251), f"RCPT TO {rcpt}")
        _expect(smtp.docmd("DATA"), (354,), "DATA")
        smtp.send(_dot_stuffed(data))
        _listen_before_dot(smtp, settle)
    except (smtplib.SMTPServerDisconnected, OSError) as exc:
        raise TransientSendError(f"connection lost before the end of the message: {_describe(exc)}") from None
    try:
        smtp.send(b".\r\n")
        code, reply = smtp.getreply()
    except (smtplib.SMTPException, OSError) as exc:
        raise UncertainSendError(
            f"no reply after the end of the message ({_describe(exc)}): it may have been delivered") from None
    _expect((code, reply), (250,), "end of DATA")
    return f"{code} {reply.decode(errors='replace')}"


def _listen_before_dot(smtp: smtplib.SMTP, settle: float) -> None:
    """Refuse to send the final dot into a connection the server dropped or spoke on."""
    sock = smtp.sock
    pending = isinstance(sock, ssl.SSLSocket) and sock.pending() > 0
    if not pending and not select.select([sock], [], [], settle)[0]:
        return
    code, reply = smtp.getreply()  # raises SMTPServerDisconnected on EOF
    _expect((code, reply), (), "DATA (before the end of the message)")


def _expect(answer: tuple[int, bytes], good: tuple[int, ...], step: str) -> None:
    code, reply = answer
    if code in good:
        return
    text = f"{step}: {code} {reply.decode(errors='replace') if isinstance(reply, bytes) else reply}"
    if 500 <= code < 600:
        raise PermanentSendError(f"the SMTP server refused the mail at {text}")
    raise TransientSendError(f"the SMTP server deferred the mail at {text}")


def _dot_stuffed(data: bytes) -> bytes:
    q = re.sub(rb"(?m)^\.", b"..", re.sub(rb"\r?\n", b"\r\n", data))
    return q if q.endswith(b"\r\n") else q + b"\r\n"


def _close(smtp: smtplib.SMTP) -> None:
    try:
        smtp.quit()
    except (smtplib.SMTPException, OSError):
        smtp.close()


def _reply(exc: smtplib.SMTPResponseException) -> str:
    text = exc.smtp_error.decode(errors="replace") if isinstance(exc.smtp_error, bytes) else exc.smtp_error
    return f"{exc.smtp_code} {text}"


def _describe(exc: BaseException) -> str:
    if isinstance(exc, smtplib.SMTPResponseException):
        return _reply(exc)
    if isinstance(exc, (socket.timeout, TimeoutError)):
        return "timed out"
    return str(exc) or type(exc).__name__
