"""The review desk without a browser: over WSGI (werkzeug's test client) with
the fixtures most desk tests share, and over real HTTP (:class:`DeskClient`)
to a desk running in another process.

Import the fixtures by name (``from support.desk import client, config,
hashed, store  # noqa: F401``): ``config`` is a database and a drop folder in
the test's folder, ``store`` that database holding three accounts (ada the
admin, otto and sam operators) with the one :data:`PASSWORD`.
"""

from __future__ import annotations

import http.client
import re
from urllib.parse import urlencode, urlsplit

import pytest
from werkzeug.test import Client

from crumail.config import from_dict
from crumail.store import open_database, users
from crumail.store.db import transaction
from crumail.web.app import Desk
from crumail.web.auth import hash_password
from support.config import config as make_config

PASSWORD = "a long enough password"


@pytest.fixture
def config(tmp_path):
    return make_config(tmp_path, {"type": "directory", "path": str(tmp_path / "inbox"), "name": "drop"})


@pytest.fixture(scope="session")
def hashed() -> str:
    return hash_password(PASSWORD, "otto")


@pytest.fixture
def store(config, hashed):
    db = open_database(config.database)
    with transaction(db):
        users.add(db, "ada", "admin", hashed)
        users.add(db, "otto", "operator", hashed)
        users.add(db, "sam", "operator", hashed)
    yield db
    db.close()


def client(config, store, **web) -> Client:
    """A WSGI client of the desk over ``config`` (``web`` replacing its [web] table)."""
    if web:
        config = from_dict({**config.raw, "web": web}, config.base)
    return Client(Desk(config))


def csrf_of(response) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', response.get_data(as_text=True)).group(1)


def login(c: Client, name: str = "otto", password: str = PASSWORD, **extra):
    token = csrf_of(c.get("/login"))
    return c.post("/login", data={"name": name, "password": password, "csrf": token, **extra})


class DeskClient:
    """One keep-alive HTTP connection to the review desk, holding the session cookie.

    A request that fails (the desk was killed) closes the connection; the
    next one connects again, with the same cookie."""

    def __init__(self, url: str, timeout: float = 30):
        parts = urlsplit(url)
        self.conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: dict | None = None) -> tuple[int, bytes, dict]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        data = None
        if body is not None:
            data = urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            self.conn.request(method, path, body=data, headers=headers)
            response = self.conn.getresponse()
            payload = response.read()
        except (OSError, http.client.HTTPException):
            self.conn.close()
            raise
        for value in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = value.partition("=")
            self.cookies[name] = rest.split(";", 1)[0]
        return response.status, payload, dict(response.headers)

    def csrf(self, path: str) -> str:
        """The form token on the page at ``path``."""
        _, page, _ = self.request("GET", path)
        return re.search(rb'name="csrf" value="([^"]+)"', page).group(1).decode()

    def log_in(self, name: str, password: str) -> None:
        status, _, _ = self.request("POST", "/login", {"name": name, "password": password,
                                                       "csrf": self.csrf("/login"), "next": "/queue"})
        if status != 303:
            raise AssertionError(f"login as {name} failed: HTTP {status}")
