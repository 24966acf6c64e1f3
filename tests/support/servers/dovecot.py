"""A real Dovecot 2.3 for the IMAP tests: a pytest plugin.

Each instance runs ``dovecot -F`` from a generated config in its own
directory, on a free loopback port, with its own ``base_dir``; it is polled
until it greets and always stopped (by its PID) at teardown.  Any user name
logs in with the password ``PASSWORD`` (a static passdb), so each test takes a
mailbox of its own by picking a fresh name.  XOAUTH2 goes through Dovecot's
``oauth2`` passdb to an introspection URL the test gives.

Under ``CI=true`` a missing ``dovecot`` binary fails the test; elsewhere it
skips.  See /work/shared/docs/DOVECOT-NOTES.md for why the config looks so.
"""

from __future__ import annotations

import atexit
import itertools
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from support.paths import missing

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"
DOVEADM = shutil.which("doveadm") or "/usr/bin/doveadm"
PASSWORD = "Pw-7f3a9c-crumail"
HOST = "127.0.0.1"
MAIL_USER = "nobody"
_names = itertools.count(1)

CONFIG = """\
instance_name = crumail-test-{tag}
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
info_log_path = {root}/dovecot.log
protocols = imap
listen = {host}
ssl = {ssl}
{ssl_files}
disable_plaintext_auth = no
auth_mechanisms = plain login xoauth2 oauthbearer
auth_failure_delay = 0
auth_cache_size = 0
mail_location = maildir:{root}/mail/%u/Maildir
first_valid_uid = {uid}
first_valid_gid = {gid}
default_login_user = dovenull
default_internal_user = dovecot
mail_privileged_group =
mailbox_idle_check_interval = 1 secs
mail_max_userip_connections = 200
login_trusted_networks =
shutdown_clients = yes
service imap-login {{
  inet_listener imap {{
    address = {host}
    port = {port}
  }}
  inet_listener imaps {{
    address = {host}
    port = {imaps_port}
  }}
}}
service pop3-login {{
  inet_listener pop3 {{
    port = 0
  }}
  inet_listener pop3s {{
    port = 0
  }}
}}
service stats {{
  unix_listener stats-reader {{
    mode = 0666
  }}
  unix_listener stats-writer {{
    mode = 0666
  }}
}}
passdb {{
  driver = static
  mechanisms = plain login
  args = password={password}
}}
{oauth2_passdb}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={root}/mail/%u allow_all_users=yes
}}
namespace inbox {{
  inbox = yes
  separator = /
  mailbox Archive {{
    auto = create
  }}
}}
"""

OAUTH2_PASSDB = """\
passdb {{
  driver = oauth2
  mechanisms = xoauth2 oauthbearer
  args = {root}/dovecot-oauth2.conf.ext
}}
"""

OAUTH2_ARGS = """\
introspection_mode = post
introspection_url = {url}
username_attribute = username
active_attribute = active
active_value = true
force_introspection = yes
"""


def free_port(host: str = HOST) -> int:
    with socket.socket() as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


class Dovecot:
    """One throwaway Dovecot; ``start()``, ``stop()``, ``restart()``, ``doveadm()``."""

    def __init__(self, oauth2_url: str | None = None, tls: bool = False, extra: str = ""):
        self.tag = f"{os.getpid()}-{next(_names)}"
        # Under /tmp with mode 0755: mail processes run as nobody and must
        # reach the mail root (pytest's tmp_path is root-only).
        self.root = Path(tempfile.mkdtemp(prefix=f"crumail-dovecot-{self.tag}-"))
        self.root.chmod(0o755)
        self.host = HOST
        self.port = free_port()
        self.imaps_port = free_port()
        self.oauth2_url = oauth2_url
        self.tls = tls
        self.extra = extra
        self.process: subprocess.Popen | None = None
        account = pwd.getpwnam(MAIL_USER)
        self.uid, self.gid = account.pw_uid, account.pw_gid
        self.config = self.root / "dovecot.conf"
        self._write_config()

    # -- configuration -------------------------------------------------
    def _write_config(self) -> None:
        (self.root / "mail").mkdir()
        os.chown(self.root / "mail", self.uid, self.gid)
        ssl_files = ""
        if self.tls:
            self.ca_file, cert, key = make_certificate(self.root / "tls", self.host)
            ssl_files = f"ssl_cert = <{cert}\nssl_key = <{key}"
        oauth2 = ""
        if self.oauth2_url:
            (self.root / "dovecot-oauth2.conf.ext").write_text(OAUTH2_ARGS.format(url=self.oauth2_url))
            oauth2 = OAUTH2_PASSDB.format(root=self.root)
        self.config.write_text(CONFIG.format(
            tag=self.tag, root=self.root, host=self.host, port=self.port,
            imaps_port=self.imaps_port if self.tls else 0, ssl="yes" if self.tls else "no",
            ssl_files=ssl_files, uid=self.uid, gid=self.gid, password=PASSWORD,
            oauth2_passdb=oauth2) + self.extra + "\n")

    # -- life cycle ----------------------------------------------------
    def start(self, timeout: float = 15.0) -> "Dovecot":
        self.process = subprocess.Popen(
            [DOVECOT, "-F", "-c", str(self.config)],
            stdout=subprocess.DEVNULL, stderr=open(self.root / "stderr.log", "ab"),
            start_new_session=True)
        _running.add(self)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"dovecot exited {self.process.returncode}: {self.log_tail()}")
            if _greets(self.host, self.port):
                return self
            time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"dovecot did not answer on port {self.port}: {self.log_tail()}")

    def stop(self, timeout: float = 10.0) -> None:
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(5)

    def kill(self) -> None:
        """Stop the whole server at once (SIGKILL to its process group), as a crash would."""
        process, self.process = self.process, None
        if process is not None and process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(5)

    def restart(self) -> None:
        self.stop()
        self.start()

    def destroy(self) -> None:
        self.stop()
        _running.discard(self)
        shutil.rmtree(self.root, ignore_errors=True)

    def log_tail(self, lines: int = 20) -> str:
        text = ""
        for name in ("stderr.log", "dovecot.log"):
            path = self.root / name
            if path.exists():
                text += path.read_text(errors="replace")
        return "\n".join(text.splitlines()[-lines:])

    # -- helpers for tests ---------------------------------------------
    def doveadm(self, *args: str, input: bytes | None = None) -> str:
        result = subprocess.run([DOVEADM, "-c", str(self.config), *args], input=input,
                                capture_output=True, timeout=60)
        if result.returncode != 0:
            raise RuntimeError(f"doveadm {' '.join(args)}: {result.stderr.decode(errors='replace')}")
        return result.stdout.decode(errors="replace")

    def client(self, user: str, timeout: float = 10.0):
        """An IMAPClient logged in as ``user``: the person at the other desk."""
        from imapclient import IMAPClient

        client = IMAPClient(self.host, self.port, ssl=False, timeout=timeout)
        client.login(user, PASSWORD)
        return client

    def append(self, user: str, folder: str, messages: list[bytes]) -> None:
        with self.client(user) as client:
            if not client.folder_exists(folder):
                client.create_folder(folder)
            for chunk in range(0, len(messages), 500):
                client.multiappend(folder, messages[chunk:chunk + 500])

    def deliver_files(self, user: str, messages: list[bytes]) -> None:
        """Drop messages straight into INBOX's Maildir ``new/``: fastest for thousands."""
        maildir = self.root / "mail" / user / "Maildir"
        for sub in ("new", "cur", "tmp"):
            (maildir / sub).mkdir(parents=True, exist_ok=True)
        stamp = int(time.time())
        for n, data in enumerate(messages):
            path = maildir / "new" / f"{stamp}.M{n}P{os.getpid()}.crumail-test"
            path.write_bytes(data)
        for path in [self.root / "mail" / user, *((self.root / "mail" / user).rglob("*"))]:
            os.chown(path, self.uid, self.gid)

    def maildir_file(self, user: str, uid: int, folder: str = "INBOX") -> Path:
        """The file holding message ``uid`` (from Dovecot's dovecot-uidlist)."""
        maildir = self.root / "mail" / user / "Maildir"
        if folder != "INBOX":
            maildir = maildir / f".{folder}"
        for line in (maildir / "dovecot-uidlist").read_text().splitlines()[1:]:
            number, _, rest = line.partition(" ")
            if int(number) == uid:
                base = rest.split(":", 1)[1]
                return next(p for sub in ("cur", "new") for p in (maildir / sub).glob(f"{base}*"))
        raise LookupError(f"no UID {uid} in {maildir}")

    def source_options(self, user: str, **extra: object) -> dict:
        """The ``[[source]]`` table crumail needs to reach ``user``'s mailbox."""
        return {"type": "imap", "name": f"imap:{user}", "host": self.host, "port": self.port,
                "security": "plain", "username": user, "password_env": "CRUMAIL_TEST_IMAP_PASSWORD",
                "folder": "INBOX", "timeout": 10, **extra}


def _greets(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1) as sock:
            return sock.recv(64).startswith(b"* OK")
    except OSError:
        return False


def make_certificate(folder: Path, host: str) -> tuple[Path, Path, Path]:
    """A throwaway CA and a server certificate for ``host`` (openssl CLI)."""
    folder.mkdir()
    ca_key, ca, key, csr, cert = (folder / n for n in ("ca.key", "ca.pem", "server.key", "server.csr", "server.pem"))
    ext = folder / "ext.cnf"
    ext.write_text(f"subjectAltName = IP:{host}\n")

    def openssl(*args: str) -> None:
        subprocess.run(["openssl", *args], check=True, capture_output=True)

    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(ca_key), "-out", str(ca),
            "-days", "2", "-subj", "/CN=crumail test CA")
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(csr),
            "-subj", f"/CN={host}")
    openssl("x509", "-req", "-in", str(csr), "-CA", str(ca), "-CAkey", str(ca_key), "-CAcreateserial",
            "-out", str(cert), "-days", "2", "-extfile", str(ext))
    for path in (key, cert):
        path.chmod(0o644)
    return ca, cert, key


_running: set[Dovecot] = set()


@atexit.register
def _stop_all() -> None:  # a crashed test run still leaves no server behind
    for server in list(_running):
        server.destroy()


def _require_dovecot() -> None:
    if not (os.access(DOVECOT, os.X_OK) and os.access(DOVEADM, os.X_OK)):
        missing("dovecot (Debian's dovecot-imapd) is not installed; `make debs` installs it")


@pytest.fixture(scope="session")
def dovecot():
    """A Dovecot shared by the tests that do not stop it: one user each."""
    _require_dovecot()
    server = Dovecot().start()
    yield server
    server.destroy()


@pytest.fixture
def dovecot_factory():
    """Make Dovecots of a test's own (to stop, restart, or fail logins on)."""
    _require_dovecot()
    made: list[Dovecot] = []

    def make(**kwargs) -> Dovecot:
        server = Dovecot(**kwargs)
        made.append(server)
        return server.start()

    yield make
    for server in made:
        server.destroy()


@pytest.fixture
def imap_user(request) -> str:
    """A user name no other test uses: a mailbox of the test's own."""
    return f"cru{next(_names)}x{abs(hash(request.node.nodeid)) % 100000}@example.police.uk"


@pytest.fixture(autouse=True)
def _imap_password(monkeypatch):
    monkeypatch.setenv("CRUMAIL_TEST_IMAP_PASSWORD", PASSWORD)
