"""A real SMTP server for the send tests: aiosmtpd with STARTTLS and AUTH.

Each test gets its own server on a free loopback port, with a throwaway CA
and a certificate for 127.0.0.1 (made with ``cryptography``), STARTTLS
required before AUTH and AUTH required before MAIL.  The test steers how it
misbehaves through ``SmtpServer`` attributes: refuse recipients, defer or
refuse at the end of DATA, stall before answering MAIL or after taking the
message, or drop the connection in the middle of DATA.  ``messages`` holds
what it accepted, so a test can count that nothing arrived twice.
"""

from __future__ import annotations

import asyncio
import datetime
import ipaddress
import socket
import ssl
import threading
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword

HOST = "127.0.0.1"
USER = "cru@example.police.uk"
PASSWORD = "smtp-test-secret"


def free_port(host: str = HOST) -> int:
    with socket.socket() as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def make_certificate(folder: Path, host: str = HOST) -> tuple[Path, Path, Path]:
    """(CA file, certificate, key): a CA of the test's own and a server certificate."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    now = datetime.datetime.now(datetime.timezone.utc)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "crumail SMTP test CA")])
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name)
          .public_key(ca_key.public_key()).serial_number(x509.random_serial_number())
          .not_valid_before(now - datetime.timedelta(minutes=5)).not_valid_after(now + datetime.timedelta(days=2))
          .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
          .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True,
                                       content_commitment=False, key_encipherment=False,
                                       data_encipherment=False, key_agreement=False,
                                       encipher_only=False, decipher_only=False), critical=True)
          .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
          .sign(ca_key, hashes.SHA256()))
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, host)]))
            .issuer_name(ca_name).public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5)).not_valid_after(now + datetime.timedelta(days=2))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(host)),
                                                        x509.DNSName("localhost")]), critical=False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
            .sign(ca_key, hashes.SHA256()))
    folder.mkdir(parents=True, exist_ok=True)
    paths = folder / "ca.pem", folder / "server.pem", folder / "server.key"
    paths[0].write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    paths[1].write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    paths[2].write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return paths


@dataclass
class Accepted:
    mail_from: str
    rcpt_tos: list[str]
    data: bytes


@dataclass
class Behaviour:
    """How the server misbehaves; each list is used up one entry per connection/message."""

    refuse_rcpt: str | None = None              # e.g. "550 5.1.1 no such mailbox"
    data_replies: list[str] = field(default_factory=list)   # replies to end of DATA before "250"
    stall_mail: list[float] = field(default_factory=list)   # seconds before answering MAIL
    stall_after_data: list[float] = field(default_factory=list)  # take the message, then stall
    drop_mid_data: int = 0                      # connections to drop half-way through DATA


class _Handler:
    def __init__(self, server: "SmtpServer"):
        self.server = server

    async def handle_MAIL(self, smtp, session, envelope, address, mail_options):
        delay = _pop(self.server.behaviour.stall_mail)
        if delay:
            await asyncio.sleep(delay)
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, smtp, session, envelope, address, rcpt_options):
        if self.server.behaviour.refuse_rcpt:
            return self.server.behaviour.refuse_rcpt
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, smtp, session, envelope):
        reply = _pop(self.server.behaviour.data_replies)
        if reply:
            return reply
        with self.server.lock:
            self.server.messages.append(Accepted(envelope.mail_from, list(envelope.rcpt_tos),
                                                 bytes(envelope.original_content or envelope.content)))
        delay = _pop(self.server.behaviour.stall_after_data)
        if delay:
            await asyncio.sleep(delay)
        return "250 2.0.0 OK queued"


class _SMTP(SMTP):
    """aiosmtpd's server, able to drop the connection in the middle of DATA."""

    def __init__(self, *args, box: "SmtpServer", **kwargs):
        with warnings.catch_warnings():  # implicit TLS: see SmtpServer.__init__
            warnings.simplefilter("ignore", UserWarning)
            super().__init__(*args, **kwargs)
        self.box = box

    async def smtp_DATA(self, arg: str) -> None:
        if self.box.behaviour.drop_mid_data > 0 and self.envelope.rcpt_tos:
            self.box.behaviour.drop_mid_data -= 1
            await self.push("354 End data with <CR><LF>.<CR><LF>")
            await self._reader.readline()
            self.box.dropped += 1
            self.transport.close()
            return
        await super().smtp_DATA(arg)


class _Controller(Controller):
    def __init__(self, box: "SmtpServer", **kwargs):
        self.box = box
        super().__init__(_Handler(box), **kwargs)

    def factory(self):
        return _SMTP(self.handler, box=self.box, **self.SMTP_kwargs)


class SmtpServer:
    """One aiosmtpd on a free loopback port: STARTTLS required, AUTH required."""

    def __init__(self, folder: Path, implicit_tls: bool = False):
        self.cafile, cert, key = make_certificate(folder)
        self.security = "ssl" if implicit_tls else "starttls"
        self.host, self.port = HOST, free_port()
        self.messages: list[Accepted] = []
        self.dropped = 0
        self.lock = threading.Lock()
        self.behaviour = Behaviour()
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(cert, key)
        # aiosmtpd only knows about TLS it started itself (STARTTLS), so with
        # TLS from the first byte it must not insist on it before AUTH.
        tls = ({"ssl_context": context, "auth_require_tls": False} if implicit_tls
               else {"tls_context": context, "require_starttls": True, "auth_require_tls": True})
        self.controller = _Controller(
            self, hostname=self.host, port=self.port, auth_required=True,
            authenticator=self._authenticate, ready_timeout=10, **tls)

    @staticmethod
    def _authenticate(server, session, envelope, mechanism, auth_data) -> AuthResult:
        ok = (isinstance(auth_data, LoginPassword) and auth_data.login == USER.encode()
              and auth_data.password == PASSWORD.encode())
        return AuthResult(success=ok, handled=False)

    def start(self) -> "SmtpServer":
        self.controller.start()
        self.running = True
        return self

    def stop(self) -> None:
        """Stop listening (for good: a test that needs a server again makes a new one)."""
        if getattr(self, "running", False):
            self.running = False
            self.controller.stop()

    def smtp_table(self, **extra) -> dict:
        """The ``[smtp]`` config table that reaches this server."""
        return {"host": self.host, "port": self.port, "security": self.security, "username": USER,
                "password_env": "CRUMAIL_TEST_SMTP_PASSWORD", "cafile": str(self.cafile),
                "from": USER, "timeout": 5, **extra}


def _pop(items: list):
    return items.pop(0) if items else None


@pytest.fixture
def smtp_server(tmp_path, monkeypatch):
    """A fresh SMTP server for one test (STARTTLS and AUTH; see ``Behaviour``)."""
    monkeypatch.setenv("CRUMAIL_TEST_SMTP_PASSWORD", PASSWORD)
    server = SmtpServer(tmp_path / "smtp-tls").start()
    yield server
    server.stop()


@pytest.fixture
def smtps_server(tmp_path, monkeypatch):
    """The same server with TLS from the first byte (port 465 style) instead of STARTTLS."""
    monkeypatch.setenv("CRUMAIL_TEST_SMTP_PASSWORD", PASSWORD)
    server = SmtpServer(tmp_path / "smtps-tls", implicit_tls=True).start()
    yield server
    server.stop()
