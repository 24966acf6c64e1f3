"""Logging in: XOAUTH2 end to end (msal and token_command), tokens renewed, TLS verified."""

from __future__ import annotations

import json
import ssl
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import pytest

from crumail.errors import AuthError
from crumail.intake.daemon import Daemon
from crumail.sources.imap.auth import CachedToken, TokenCommand
from crumail.store import ledger
from support import mailgen
from support.config import config
from support.process import stored_ids
from support.servers.dovecot import make_certificate

USER = "cru@example.police.uk"
TENANT = "00000000-0000-4000-8000-00000000c0de"


class IdentityServer:
    """A token-introspection endpoint for Dovecot (plain HTTP), and, with
    ``tls``, a tiny stand-in for Microsoft's identity platform that msal can
    ask for a client-credentials token."""

    def __init__(self, tls_folder=None):
        self.active: dict[str, str] = {}        # token -> user
        self.introspected: list[str] = []
        self.issued: list[dict] = []
        self.http = self._serve(None)
        self.url = f"http://127.0.0.1:{self.http.server_address[1]}/introspect"
        self.https = None
        if tls_folder is not None:
            self.ca, cert, key = make_certificate(tls_folder, "127.0.0.1")
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(cert, key)
            self.https = self._serve(context)
            self.authority = f"https://127.0.0.1:{self.https.server_address[1]}/{TENANT}"

    def _serve(self, context):
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _json(self, payload: dict, status: int = 200):
                body = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self):
                base = owner.authority
                if self.path.endswith("/.well-known/openid-configuration"):
                    return self._json({"issuer": f"{base}/v2.0",
                                       "authorization_endpoint": f"{base}/oauth2/v2.0/authorize",
                                       "token_endpoint": f"{base}/oauth2/v2.0/token"})
                self._json({"error": "not_found"}, 404)

            def do_POST(self):
                form = parse_qs(self.rfile.read(int(self.headers["Content-Length"])).decode())
                if self.path == "/introspect":
                    token = form.get("token", [""])[0]
                    owner.introspected.append(token)
                    user = owner.active.get(token)
                    return self._json({"active": True, "username": user} if user else {"active": False})
                owner.issued.append({k: v[0] for k, v in form.items()})
                if form.get("client_secret") != ["Client-Secret-4e1d"]:
                    return self._json({"error": "invalid_client", "error_description": "AADSTS7000215"}, 401)
                token = f"m365-token-{len(owner.issued)}"
                owner.active[token] = USER
                self._json({"token_type": "Bearer", "expires_in": 3599, "access_token": token})

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        if context is not None:
            server.socket = context.wrap_socket(server.socket, server_side=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        return server

    def close(self):
        for server in (self.http, self.https):
            if server is not None:
                server.shutdown()
                server.server_close()


@pytest.fixture
def identity(tmp_path):
    server = IdentityServer(tmp_path / "idp")
    yield server
    server.close()


def test_xoauth2_with_a_token_command_end_to_end(dovecot_factory, identity, tmp_path):
    server = dovecot_factory(oauth2_url=identity.url)
    server.append(USER, "INBOX", mailgen.messages(3, "oauth"))
    identity.active["Good-Token-8a2f"] = USER
    command = [sys.executable, "-c", "print('Good-Token-8a2f')"]
    options = server.source_options(USER, mode="poll", auth="oauth2", token_command=command)
    options.pop("password_env")
    daemon = Daemon(config(tmp_path, options))
    assert daemon.run_once()[options["name"]].counts["stored"] == 3
    assert identity.introspected == ["Good-Token-8a2f"]

    identity.active.clear()        # the token is revoked: the login fails, clearly
    assert daemon.run_once()[options["name"]] is None
    error = ledger.state(daemon.db(), options["name"], "")["last_error"]
    assert "refused the login" in error and "Good-Token-8a2f" not in error


def test_xoauth2_with_msal_client_credentials_end_to_end(dovecot_factory, identity, tmp_path, monkeypatch):
    server = dovecot_factory(oauth2_url=identity.url)
    server.append(USER, "INBOX", mailgen.messages(4, "m365"))
    monkeypatch.setenv("CRUMAIL_TEST_CLIENT_SECRET", "Client-Secret-4e1d")
    options = server.source_options(
        USER, mode="poll", auth="oauth2", tenant_id=TENANT, client_id="crumail-test-app",
        client_secret_env="CRUMAIL_TEST_CLIENT_SECRET", authority=identity.authority,
        authority_ca_file=str(identity.ca))
    options.pop("password_env")
    daemon = Daemon(config(tmp_path, options))
    assert daemon.run_once()[options["name"]].counts["stored"] == 4
    issued = identity.issued[0]
    assert issued["grant_type"] == "client_credentials"
    assert issued["scope"] == "https://outlook.office365.com/.default"
    assert identity.introspected == ["m365-token-1"]
    assert len(stored_ids(daemon.db())) == 4


def test_a_token_is_cached_and_renewed_before_it_expires():
    clock = [0.0]
    fetched = []

    def fetch():
        fetched.append(clock[0])
        return f"token-{len(fetched)}", 3600.0

    token = CachedToken(fetch, clock=lambda: clock[0], renew_before=300)
    assert token.get() == "token-1"
    clock[0] = 3000.0
    assert token.get() == "token-1"         # still well within its life
    clock[0] = 3301.0
    assert token.get() == "token-2"         # renewed five minutes before it expires
    token.forget()
    assert token.get() == "token-3"         # refused by the server: asked again at once


def test_token_command_failures_do_not_show_the_output():
    with pytest.raises(AuthError) as caught:
        TokenCommand([sys.executable, "-c", "print('Partial-Token-77'); raise SystemExit(3)"])()
    assert "exited 3" in str(caught.value) and "Partial-Token-77" not in str(caught.value)


@pytest.mark.parametrize("security", ["ssl", "starttls"])
def test_tls_verified_against_a_named_ca_file(dovecot_factory, tmp_path, security, caplog):
    server = dovecot_factory(tls=True)
    server.append(USER, "INBOX", mailgen.messages(2, f"tls-{security}"))
    port = server.imaps_port if security == "ssl" else server.port
    base = server.source_options(USER, mode="poll", security=security, port=port)

    unverified = Daemon(config(tmp_path / "a", {**base, "name": "no-ca"}))
    assert unverified.run_once()["no-ca"] is None            # the test CA is not trusted by default
    assert "certificate not trusted" in ledger.state(unverified.db(), "no-ca", "")["last_error"]

    verified = Daemon(config(tmp_path / "b", {**base, "name": "ca", "ca_file": str(server.ca_file)}))
    assert verified.run_once()["ca"].counts["stored"] == 2

    caplog.set_level("WARNING")
    opted_out = Daemon(config(tmp_path / "c", {**base, "name": "off", "tls_verify": False}))
    assert opted_out.run_once()["off"].counts["stored"] == 2
    assert any("certificate verification is OFF" in r.getMessage() for r in caplog.records)
