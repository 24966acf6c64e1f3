"""Accounts on the desk: a password change ends the other sessions, ``next``
is only ever a local path, and the login throttle reserves an attempt
before it checks a password (so concurrent guesses get no more checks)."""

from __future__ import annotations

import http.cookiejar
import re
import threading
import urllib.error
import urllib.parse
import urllib.request

import pytest

from crumail.config import from_dict
from crumail.web.auth import NAME_LIMIT
from support.desk import PASSWORD, client, config, csrf_of, hashed, login, store# noqa: F401  (fixtures)

NEW_PASSWORD = "a different long passphrase"


def test_changing_my_password_ends_my_other_sessions(config, store):
    laptop, phone, other = client(config, store), client(config, store), client(config, store)
    for c in (laptop, phone):
        login(c)
    login(other, "sam")
    token = csrf_of(laptop.get("/account"))
    changed = laptop.post("/account", data={"csrf": token, "current": PASSWORD,
                                            "new": NEW_PASSWORD, "again": NEW_PASSWORD})
    assert changed.status_code in (200, 303)
    assert phone.get("/queue").status_code == 303               # the other session is over
    assert laptop.get("/queue").status_code == 200              # this one goes on
    assert other.get("/queue").status_code == 200               # nobody else's ends
    rows = store.execute("SELECT count(*) FROM sessions s JOIN users u ON u.id = s.user "
                         "WHERE u.name = 'otto'").fetchone()[0]
    assert rows == 1
    assert login(client(config, store), password=NEW_PASSWORD).status_code == 303


# Each of these must never leave the desk, nor break it: the login page
# answers and the redirect after logging in goes to "/".
BAD_NEXT = [
    "/%09/evil.example", "/\t/evil.example", "%0a", "/%0a/evil.example", "/queue%0d%0aSet-Cookie:x=1",
    "/\n/evil.example", "//evil.example/", "///evil.example", "/%2Fevil.example", "/%2F%2Fevil.example",
    "/\\evil.example", "/%5Cevil.example", "https://evil.example/", "http:/evil.example",
    "javascript:alert(1)", " /queue", "/queue\x00", "/%00", "/%E2%80%A8/evil.example",
    "/\u3000/evil.example", "queue", "", "/%", "/%zz", "/%ff%fe", "/" + "a" * 3000,
]
GOOD_NEXT = ["/audit?actor=otto", "/drafts/3", "/search?q=speed+cameras", "/search?q=speed%20cameras",
             "/queue?state=all&page=2", "/logs/43/23#q1"]


@pytest.mark.parametrize("target", BAD_NEXT)
def test_next_outside_a_local_path_goes_home(config, store, target):
    c = client(config, store)
    form = c.get("/login?" + urllib.parse.urlencode({"next": target}))
    assert form.status_code == 200, target
    hidden = re.search(r'name="next" value="([^"]*)"', form.get_data(as_text=True)).group(1)
    assert hidden == "/", target
    assert login(c, next=target).headers["Location"] == "/", target
    again = c.get("/login?" + urllib.parse.urlencode({"next": target}))
    assert again.status_code == 303 and again.headers["Location"] == "/", target


@pytest.mark.parametrize("target", GOOD_NEXT)
def test_next_as_a_local_path_is_kept(config, store, target):
    assert login(client(config, store), next=target).headers["Location"] == target


def test_the_raw_query_string_cannot_smuggle_a_tab(config, store):
    c = client(config, store)
    assert c.get("/login?next=/%09/evil.example").status_code == 200
    assert login(c, next="/\t/evil.example").headers["Location"] == "/"
    assert c.get("/login?next=%0a").status_code == 303           # logged in: home, never a 500


def _attempt(url: str, name: str, ready: threading.Barrier, answers: list) -> None:
    """One browser: fetch the login form, wait for the others, post a wrong password."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar),
                                         _NoRedirect())
    with opener.open(url + "/login", timeout=60) as response:
        token = re.search(r'name="csrf" value="([^"]+)"', response.read().decode()).group(1)
    data = urllib.parse.urlencode({"csrf": token, "name": name, "password": "wrong password, surely"})
    ready.wait(timeout=60)
    try:
        with opener.open(url + "/login", data=data.encode(), timeout=120) as response:
            answers.append((response.status, response.read().decode()))
    except urllib.error.HTTPError as exc:
        answers.append((exc.code, exc.read().decode()))


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.mark.timeout(240)
def test_concurrent_wrong_passwords_get_at_most_five_checks(config, store):
    from crumail.web import start_in_thread

    served = from_dict({**config.raw, "web": {"port": 0, "threads": 8}}, config.base)
    server = start_in_thread(served)
    try:
        answers: list = []
        ready = threading.Barrier(64)
        threads = [threading.Thread(target=_attempt, args=(server.url, "otto", ready, answers))
                   for _ in range(64)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=200)
    finally:
        server.close()
    assert len(answers) == 64
    checked = [status for status, page in answers if "do not match" in page]
    refused = [status for status, page in answers if "do not match" not in page]
    assert len(checked) == NAME_LIMIT, (len(checked), sorted(s for s, _ in answers))
    assert set(refused) == {429}
    assert store.execute("SELECT failures FROM login_failures WHERE key = 'name:otto'").fetchone() == (5,)
