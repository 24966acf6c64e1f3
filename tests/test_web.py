"""The review desk over WSGI (no browser): access rules, sessions, CSRF,
headers, downloads, /healthz, /metrics, the second approver, and the CLI."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import pytest
from werkzeug.test import Client

from crumail.config import from_dict
from crumail.store import ledger, open_database, quarantine, users
from crumail.store.db import transaction
from crumail.web.app import Desk
from crumail.web.context import COOKIE
from crumail.web.routes import ROUTES
from support.desk import PASSWORD, client, config, csrf_of, hashed, login, store  # noqa: F401  (fixtures)
from support.drafts import seed_draft
from support.casebook import seed_logs

SAMPLE_VALUES = {"draft": 1, "entry": 1, "user": 1, "message": 1, "number": 43, "year": 23,
                 "name": "desk.css", "what": "logs", "fmt": "csv", "force": "1", "table": "logs-by-week"}
PUBLIC = {"login", "healthz", "static"}


def test_every_route_without_a_session_goes_to_login(config, store):
    c = client(config, store)
    checked = 0
    for route in ROUTES.values():
        if route.endpoint in PUBLIC:
            continue
        path = re.sub(r"<(?:[^:>]+:)?([^>(]+)(?:\([^)]*\))?>",
                      lambda m: str(SAMPLE_VALUES[m.group(1)]), route.rule)
        for method in route.methods:
            response = c.open(path, method=method)
            if route.token:
                assert response.status_code == 401, path
            else:
                assert response.status_code == 303, (method, path)
                assert response.headers["Location"].startswith("/login"), (method, path)
            checked += 1
    assert checked >= 25


def test_public_routes_answer_without_a_session(config, store):
    c = client(config, store)
    assert c.get("/login").status_code == 200
    assert c.get("/static/desk.css").status_code == 200
    health = c.get("/healthz")
    assert health.status_code == 200 and health.json == {"status": "ok", "database": "ok", "storage": "ok"}


def test_security_headers_on_every_page(config, store):
    c = client(config, store)
    login(c)
    for path in ("/login", "/queue", "/healthz", "/static/desk.css", "/nowhere"):
        headers = c.get(path).headers
        policy = headers["Content-Security-Policy"]
        assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy, path
        assert "script-src 'none'" in policy, path
        assert headers["X-Content-Type-Options"] == "nosniff", path
        assert headers["X-Frame-Options"] == "DENY", path


def test_session_cookie_is_httponly_samesite_and_expires(config, store):
    c = client(config, store)
    cookie = next(v for v in login(c).headers.getlist("Set-Cookie") if v.startswith(COOKIE))
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Max-Age=43200" in cookie
    assert "Secure" not in cookie
    secure = client(config, store)
    token = csrf_of(secure.get("/login", base_url="https://desk.example"))
    response = secure.post("/login", base_url="https://desk.example",
                           data={"name": "otto", "password": PASSWORD, "csrf": token})
    assert "Secure" in next(v for v in response.headers.getlist("Set-Cookie") if v.startswith(COOKIE))


def test_idle_session_expires(config, store):
    c = client(config, store)
    login(c)
    assert c.get("/queue").status_code == 200
    long_ago = (datetime.now(timezone.utc) - timedelta(hours=3)).isoformat(timespec="seconds")
    with transaction(store):
        store.execute("UPDATE sessions SET last_seen = ?", [long_ago])
    assert c.get("/queue").status_code == 303
    assert store.execute("SELECT count(*) FROM sessions").fetchone()[0] == 0


def test_logout_ends_the_session(config, store):
    c = client(config, store)
    login(c)
    token = csrf_of(c.get("/queue"))
    assert c.post("/logout", data={"csrf": token}).status_code == 303
    assert c.get("/queue").status_code == 303


def test_login_needs_its_form_token_and_the_same_origin(config, store):
    c = client(config, store)
    c.get("/login")
    assert c.post("/login", data={"name": "otto", "password": PASSWORD}).status_code == 403
    login(c)
    token = csrf_of(c.get("/queue"))
    forged = c.post("/logout", data={"csrf": token}, headers={"Origin": "http://evil.example"})
    assert forged.status_code == 403
    assert c.get("/queue").status_code == 200


def test_login_never_redirects_off_the_desk(config, store):
    for target in ("//evil.example/", "https://evil.example/", "/\\evil.example"):
        assert login(client(config, store), next=target).headers["Location"] == "/"
    c2 = client(config, store)
    assert login(c2, next="/audit?actor=otto").headers["Location"] == "/audit?actor=otto"


def test_wrong_passwords_are_throttled_per_name(config, store):
    c = client(config, store)
    statuses = [login(c, password="wrong").status_code for _ in range(5)]
    assert statuses == [401, 401, 401, 401, 429]
    refused = login(c)
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) >= 29
    assert login(c, name="sam").status_code == 303          # another account is not locked
    later = (datetime.now(timezone.utc) - timedelta(seconds=31)).isoformat(timespec="milliseconds")
    with transaction(store):
        store.execute("UPDATE login_failures SET last_failure = ?", [later])
    assert login(client(config, store)).status_code == 303
    assert store.execute("SELECT failures FROM login_failures WHERE key = 'name:otto'").fetchone() is None


def test_unknown_names_fail_like_wrong_passwords(config, store):
    assert login(client(config, store), name="nobody").status_code == 401


def test_only_admins_manage_accounts(config, store):
    c = client(config, store)
    login(c)
    assert c.get("/users").status_code == 403
    token = csrf_of(c.get("/queue"))
    assert c.post("/users", data={"csrf": token, "name": "eve", "role": "admin",
                                  "password": PASSWORD}).status_code == 403
    admin = client(config, store)
    login(admin, "ada")
    token = csrf_of(admin.get("/users"))
    assert admin.post("/users", data={"csrf": token, "name": "eve", "role": "operator",
                                      "password": PASSWORD}).status_code == 303
    assert users.get_by_name(store, "eve")["role"] == "operator"
    ada = users.get_by_name(store, "ada")["id"]
    refused = admin.post(f"/users/{ada}", data={"csrf": token, "action": "demote"},
                         follow_redirects=True)
    assert "last administrator" in refused.get_data(as_text=True)


def test_disabling_an_account_ends_its_sessions(config, store):
    otto = client(config, store)
    login(otto)
    admin = client(config, store)
    login(admin, "ada")
    token = csrf_of(admin.get("/users"))
    user = users.get_by_name(store, "otto")["id"]
    admin.post(f"/users/{user}", data={"csrf": token, "action": "disable"})
    assert otto.get("/queue").status_code == 303
    assert login(client(config, store)).status_code == 401


def test_raw_quarantined_mail_is_downloaded_never_shown(config, store):
    from crumail.model import RawMessage

    raw = RawMessage(b"Subject: x\r\nContent-Type: text/html\r\n\r\n<script>alert(1)</script>",
                     "drop", "bad.eml", filename="bad.eml")
    with transaction(store):
        entry = quarantine.add(store, raw, "parse", "no From header")
    c = client(config, store)
    login(c)
    assert "no From header" in c.get("/quarantine").get_data(as_text=True)
    response = c.get(f"/quarantine/{entry}/raw")
    assert response.status_code == 200 and response.data == raw.data
    assert response.headers["Content-Type"] == "application/octet-stream"
    assert response.headers["Content-Disposition"] == f'attachment; filename="quarantine-{entry}.eml"'
    assert "sandbox" in response.headers["Content-Security-Policy"]


def test_metrics_in_prometheus_text_format(config, store):
    seed_draft(store)
    seed_draft(store, n=1)
    with transaction(store):
        ledger.update_state(store, "drop", "", last_poll="2026-11-25T10:00:00+00:00",
                            last_success="2026-11-25T10:00:00+00:00", last_duration=0.25)
    c = client(config, store)
    assert c.get("/metrics").status_code == 401
    login(c)
    response = c.get("/metrics")
    assert response.headers["Content-Type"].startswith("text/plain; version=0.0.4")
    text = response.get_data(as_text=True)
    assert "crumail_messages_ingested_total 2" in text
    assert "crumail_quarantined 0" in text
    assert 'crumail_drafts{state="drafted"} 2' in text
    stamp = datetime(2026, 11, 25, 10, tzinfo=timezone.utc).timestamp()
    assert f'crumail_source_last_success_timestamp_seconds{{source="drop",folder=""}} {int(stamp)}' in text
    assert 'crumail_source_poll_latency_seconds{source="drop",folder=""} 0.25' in text
    sources = c.get("/sources").get_data(as_text=True)
    assert "0.25 s" in sources and "health-ok" not in sources          # 2026-11-25 10:00 is long past
    for line in text.splitlines():
        assert line.startswith("#") or re.fullmatch(r"[a-z_]+(\{[^}]*\})? -?[0-9.e+]+", line), line


def test_metrics_accept_a_bearer_token(config, store, monkeypatch):
    monkeypatch.setenv("CRUMAIL_TEST_METRICS", "s3cret-token")
    c = client(config, store, metrics_token_env="CRUMAIL_TEST_METRICS")
    assert c.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert c.get("/metrics", headers={"Authorization": "Bearer s3cret-token"}).status_code == 200


def test_second_approver_needed_after_an_edit(config, store):
    draft = seed_draft(store)
    otto = client(config, store, second_approver=True)
    login(otto)
    token = csrf_of(otto.get(f"/drafts/{draft}"))
    otto.post(f"/drafts/{draft}/edit", data={"csrf": token, "body": "Dear colleague,\r\n\r\nDone.\r\n"})
    page = otto.get(f"/drafts/{draft}").get_data(as_text=True)
    assert "a second operator must approve it" in page
    refused = otto.post(f"/drafts/{draft}/approve", data={"csrf": token})
    assert refused.status_code == 409 and "second operator" in refused.get_data(as_text=True)
    sam = client(config, store, second_approver=True)
    login(sam, "sam")
    token = csrf_of(sam.get(f"/drafts/{draft}"))
    assert sam.post(f"/drafts/{draft}/approve", data={"csrf": token}).status_code == 303
    row = store.execute("SELECT state, approved_by, body FROM drafts WHERE id = ?", [draft]).fetchone()
    assert row == ("approved", "sam", "Dear colleague,\n\nDone.\n")


def test_an_edit_over_a_newer_version_is_refused(config, store):
    draft = seed_draft(store)
    c = client(config, store)
    login(c)
    token = csrf_of(c.get(f"/drafts/{draft}"))
    response = c.post(f"/drafts/{draft}/edit", data={"csrf": token, "body": "mine", "body_sha256": "0" * 64})
    assert response.status_code == 409
    assert "mine" in response.get_data(as_text=True)          # the typed text is kept


def test_queue_pages_and_overdue(config, store):
    today = datetime.now(timezone.utc).date()
    for n in range(60):
        seed_draft(store, n=n, subject=f"Request {n}", due=(today + timedelta(days=n - 2)).isoformat())
    c = client(config, store)
    login(c)
    first = c.get("/queue").get_data(as_text=True)
    assert "60 drafts, page 1 of 2" in first
    assert first.count('class="overdue"') == 2 and "2 overdue" in first
    assert first.index("Request 0<") < first.index("Request 1<")
    assert "Request 59<" in c.get("/queue?page=2").get_data(as_text=True)
    assert "2 drafts" in c.get("/queue?due=overdue").get_data(as_text=True)
    assert "1 draft." in c.get("/queue?q=Request+42").get_data(as_text=True)


def test_cli_user_add_and_list(config, tmp_path):
    from click.testing import CliRunner

    from crumail.cli import main

    secret = tmp_path / "pw"
    secret.write_text("correct horse battery\n")
    toml = tmp_path / "crumail.toml"
    toml.write_text(f'[database]\npath = "{config.database}"\n')
    runner = CliRunner()
    added = runner.invoke(main, ["--config", str(toml), "user", "add", "ada", "--role", "admin",
                                 "--password-file", str(secret)])
    assert added.exit_code == 0, added.output
    again = runner.invoke(main, ["--config", str(toml), "user", "add", "ada", "--password-file", str(secret)])
    assert again.exit_code == 1 and "already exists" in again.output
    short = tmp_path / "short"
    short.write_text("short\n")
    weak = runner.invoke(main, ["--config", str(toml), "user", "add", "bob", "--password-file", str(short)])
    assert weak.exit_code == 1 and "at least 12" in weak.output
    listed = runner.invoke(main, ["--config", str(toml), "user", "list"])
    assert "ada" in listed.output and "admin" in listed.output
    db = open_database(config.database)
    stored = db.execute("SELECT password_hash FROM users WHERE name = 'ada'").fetchone()[0]
    assert stored.startswith("$argon2id$") and "correct horse" not in stored


def test_start_in_thread_serves_and_closes(config, store):
    import urllib.request

    from crumail.web import start_in_thread

    local = from_dict({**config.raw, "web": {"port": 0}}, config.base)
    server = start_in_thread(local)
    try:
        with urllib.request.urlopen(server.url + "/healthz", timeout=5) as response:
            assert response.status == 200
    finally:
        server.close()
    assert not server.thread.is_alive()


def test_only_admins_edit_templates_and_only_their_own_copies(config, store, tmp_path):
    from crumail.drafts import render

    builtin = render.BUILTIN_TEMPLATES / "acknowledgement.txt.j2"
    before = builtin.read_text()
    local = from_dict({**config.raw, "drafts": {"templates": "my-templates"}}, config.base)
    operator = Client(Desk(local))
    login(operator)
    assert operator.get("/templates").status_code == 403
    admin = Client(Desk(local))
    login(admin, "ada")
    listing = admin.get("/templates").get_data(as_text=True)
    assert "acknowledgement" in listing and "built-in" in listing
    token = csrf_of(admin.get("/templates/acknowledgement"))
    broken = admin.post("/templates/acknowledgement", data={"csrf": token, "source": "Subject: x\n\n{% if %}"})
    assert broken.status_code == 400 and "syntax error" in broken.get_data(as_text=True)
    saved = admin.post("/templates/acknowledgement",
                       data={"csrf": token, "source": "Subject: Re: {{ original_subject }}\r\n\r\nHello.\r\n"})
    assert saved.status_code == 303
    assert (tmp_path / "my-templates" / "acknowledgement.txt.j2").read_text() == \
        "Subject: Re: {{ original_subject }}\n\nHello.\n"
    assert builtin.read_text() == before
    assert "own, overrides built-in" in admin.get("/templates").get_data(as_text=True)
    assert admin.get("/templates/..%2Fetc").status_code == 404


def test_deadline_report_exports(config, store):
    import csv
    import io

    from openpyxl import load_workbook

    today = datetime.now(timezone.utc).date()
    seed_draft(store, n=1, log="=cmd|' /C calc'!A0", due=(today - timedelta(days=3)).isoformat())
    seed_draft(store, n=2, subject="Later", due=(today + timedelta(days=9)).isoformat())
    c = client(config, store)
    login(c)
    response = c.get("/exports/deadlines.csv")
    assert response.headers["Content-Disposition"].startswith('attachment; filename="OFFICIAL_crumail-deadlines-')
    marked, *rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert marked == ["OFFICIAL"]                              # the protective marking first
    assert rows[0][:3] == ["draft", "log", "subject"]
    assert [r[7:9] for r in rows[1:]] == [["-3", "yes"], ["9", "no"]]
    assert rows[1][1].startswith("'=")                         # never a formula
    book = load_workbook(io.BytesIO(c.get("/exports/deadlines.xlsx").data))
    sheet = book["Deadlines"]
    assert sheet.cell(1, 1).value == "OFFICIAL"
    assert sheet.max_row == 4 and sheet.cell(3, 9).value == "yes"
    assert sheet.cell(3, 2).data_type == "s" and sheet.cell(3, 2).value.startswith("=")


def test_a_link_cannot_make_the_desk_say_things(config, store):
    c = client(config, store)
    login(c, "ada")
    forged = c.get('/users?said={"notice":"Call 0800 SCAM now"}&sig=00')
    assert "SCAM" not in forged.get_data(as_text=True)
    token = csrf_of(c.get("/users"))
    done = c.post("/users", data={"csrf": token, "name": "eve", "role": "operator", "password": PASSWORD},
                  follow_redirects=True)
    assert "Account eve created." in done.get_data(as_text=True)


def test_logging_in_clears_away_dead_sessions(config, store):
    login(client(config, store))
    long_ago = (datetime.now(timezone.utc) - timedelta(days=2)).isoformat(timespec="seconds")
    with transaction(store):
        store.execute("UPDATE sessions SET last_seen = ?, expires_at = ?", [long_ago, long_ago])
    login(client(config, store), "sam")
    assert store.execute("SELECT count(*) FROM sessions").fetchone()[0] == 1


def test_crumail_serve_listens_and_stops_on_sigterm(config, tmp_path):
    import signal
    import subprocess
    import sys
    import urllib.request

    toml = tmp_path / "crumail.toml"
    toml.write_text(f'[database]\npath = "{config.database}"\n[web]\nport = 0\n')
    process = subprocess.Popen(
        [sys.executable, "-c", "import sys; from crumail.cli import main; sys.argv[0] = 'crumail'; main()",
         "--config", str(toml), "serve"], stderr=subprocess.PIPE, text=True)
    try:
        first = process.stderr.readline()
        url = re.search(r"review desk on (http://\S+)", first).group(1)
        assert url.startswith("http://127.0.0.1:")
        with urllib.request.urlopen(url + "/healthz", timeout=5) as response:
            assert response.status == 200
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0
        assert "review desk stopped" in process.stderr.read()
    finally:
        if process.poll() is None:
            process.kill()


def test_quarantine_retry_from_the_desk(config, store):
    from crumail.model import RawMessage

    with transaction(store):
        entry = quarantine.add(store, RawMessage(b"\x00\x01 not mail", "drop", "junk.eml",
                                                 filename="junk.eml"), "parse", "not a message")
    c = client(config, store)
    login(c)
    token = csrf_of(c.get("/quarantine"))
    page = c.post("/quarantine/retry", data={"csrf": token, "entry": str(entry)},
                  follow_redirects=True).get_data(as_text=True)
    assert "Retried" in page and f"{entry}: still quarantined" in page
    assert store.execute("SELECT attempts FROM quarantine WHERE id = ?", [entry]).fetchone()[0] >= 1


def test_account_names_are_plain(store):
    for bad in ("", " ada", "<b>x</b>", "a" * 65):
        with pytest.raises(ValueError):
            users.add(store, bad, "operator", "x")
    users.add(store, "dana.whitlock@example.police.uk", "operator", "x")


def test_searching_for_a_log_number_opens_the_log(config, store):
    seed_logs(store, 3)
    c = client(config, store)
    login(c)
    assert c.get("/search?q=0002/24").headers["Location"] == "/logs/2/24"
    assert c.get("/search?q=99/24").status_code == 200            # not in the casebook: a search
    page = c.get("/search?q=speed+cameras").get_data(as_text=True)
    assert 'href="/logs/1/24#q1"' in page and "<mark>" in page
    log = c.get("/logs/2/24").get_data(as_text=True)
    assert "How many speed cameras operated in 2002?" in log and "No harm in providing totals." in log


def test_old_failures_are_forgotten(config, store):
    c = client(config, store)
    for _ in range(4):
        login(c, password="wrong")
    long_ago = (datetime.now(timezone.utc) - timedelta(hours=2)).isoformat(timespec="milliseconds")
    with transaction(store):
        store.execute("UPDATE login_failures SET last_failure = ?", [long_ago])
    assert login(c, password="wrong").status_code == 401          # the first of a new run
    assert store.execute("SELECT failures FROM login_failures WHERE key = 'name:otto'").fetchone() == (1,)


@pytest.mark.parametrize("state", ["drafted", "edited", "approved", "sending", "sent", "rejected",
                                   "failed", "unconfirmed"])
def test_a_draft_page_in_every_state(config, store, state):
    from crumail.store import drafts

    draft = seed_draft(store)
    with transaction(store):
        drafts.update(store, draft, ("drafted",), state=state, last_error="421 try later"
                      if state == "failed" else None)
    c = client(config, store)
    login(c)
    page = c.get(f"/drafts/{draft}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert f'badge state-{state}' in text
    assert ('id="approve"' in text) == (state in ("drafted", "edited", "failed"))
    assert ("It was sent" in text) == (state == "unconfirmed")
