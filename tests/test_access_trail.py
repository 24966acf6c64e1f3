"""The access trail over WSGI: every desk action leaves its row, the rows
cannot be changed or removed (until the audit's own horizon), the page
filters them, and exports carry their protective marking."""

from __future__ import annotations

import io
import sqlite3

import pytest
from openpyxl import load_workbook

from crumail.cli import trail as trail_module
from crumail.files import marking
from crumail.store import access, open_database, quarantine
from crumail.store.db import transaction
from crumail.model import RawMessage
from support.casebook import seed_logs
from support.cli import casebook_cli, cli  # noqa: F401  (fixtures)
from support.desk import PASSWORD, client, config, csrf_of, hashed, login, store  # noqa: F401  (fixtures)
from support.drafts import seed_draft


def trail(db, **wanted) -> list[dict]:
    return access.rows(db, access.Filter(**wanted), limit=None)[1]


def actions(db) -> list[tuple[str, str, str | None]]:
    return [(r["actor"], r["action"], r["target"]) for r in reversed(trail(db))]


def test_logins_views_searches_exports_and_logout_each_leave_a_row(config, store):
    draft = seed_draft(store)
    with transaction(store):
        entry = quarantine.add(store, RawMessage(b"not mail", "drop", "junk.eml", filename="junk.eml"),
                               "parse", "not a message")
    c = client(config, store)
    assert login(c, "otto", "wrong password").status_code == 401
    assert login(c, "otto").status_code == 303
    for path in (f"/drafts/{draft}", "/messages/1", "/messages/1/raw", f"/quarantine/{entry}",
                 f"/quarantine/{entry}/raw", "/search?q=speed+cameras", "/exports/logs.csv?year=23",
                 "/messages/999"):
        c.get(path)
    page = c.get("/queue")
    c.post("/logout", data={"csrf": csrf_of(page)})
    seen = actions(store)
    assert seen == [
        ("otto", "login_failed", None), ("otto", "login", None),
        ("otto", "view_draft", f"draft {draft}"), ("otto", "view_message", "message 1"),
        ("otto", "download_raw_message", "message 1"), ("otto", "view_quarantine", f"entry {entry}"),
        ("otto", "download_raw_quarantine", f"entry {entry}"), ("otto", "search", None),
        ("otto", "export", "logs.csv"), ("otto", "logout", None)]
    search, export = trail(store, action="search")[0], trail(store, action="export")[0]
    assert search["detail"]["query"] == "speed cameras" and search["via"] == "desk"
    assert export["detail"]["filters"]["year"] == 23 and export["detail"]["rows"] == {"logs": 0}


def test_password_changes_and_admin_changes_leave_rows_without_the_password(config, store):
    c = client(config, store)
    login(c, "ada")
    page = c.get("/account")
    c.post("/account", data={"csrf": csrf_of(page), "current": "not it", "new": "x", "again": "x"})
    c.post("/account", data={"csrf": csrf_of(page), "current": PASSWORD,
                             "new": "another long passphrase 42", "again": "another long passphrase 42"})
    page = c.get("/users")
    c.post("/users", data={"csrf": csrf_of(page), "name": "nina", "role": "operator",
                           "password": "a third long passphrase"})
    c.post("/users/2", data={"csrf": csrf_of(page), "action": "disable"})
    seen = actions(store)
    assert ("ada", "password_change_failed", "user ada") in seen
    assert ("ada", "password_changed", "user ada") in seen
    changes = trail(store, action="admin_change")
    assert [(r["target"], r["detail"]) for r in reversed(changes)] == [
        (None, {"endpoint": "users_add", "name": "nina", "role": "operator"}),
        ("user 2", {"endpoint": "users_change", "action": "disable"})]
    database = store.execute("SELECT group_concat(detail) FROM access_trail").fetchone()[0]
    assert "passphrase" not in database


def test_rows_cannot_be_changed_or_removed_until_past_the_horizon(store):
    first = access.record(store, actor="otto", via="cli", action="search", detail={"query": "x"})
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        store.execute("UPDATE access_trail SET actor = 'nobody' WHERE id = ?", [first])
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        store.execute("DELETE FROM access_trail WHERE id = ?", [first])
    at = store.execute("SELECT at FROM access_trail WHERE id = ?", [first]).fetchone()[0]
    assert access.forget_before(store, at, actor="crumail") == 0       # not older than itself
    with pytest.raises(sqlite3.DatabaseError, match="only moves forward"):
        access.forget_before(store, "2000-01-01", actor="crumail")
    assert access.forget_before(store, "9999-01-01", actor="crumail") == 2
    assert [r["action"] for r in trail(store)] == ["audit_forgotten"]


def test_the_access_page_filters_and_its_export_is_marked_and_recorded(config, store):
    c = client(config, store)
    login(c, "otto")
    c.get("/search?q=speed")
    c = client(config, store)
    login(c, "ada")
    assert "speed" in c.get("/access?actor=otto&action=search").get_data(as_text=True)
    assert "login" not in c.get("/access?action=search").get_data(as_text=True).split("<tbody>")[1]
    assert client(config, store).get("/access").status_code == 303
    c2 = client(config, store)
    login(c2, "sam")
    assert c2.get("/access").status_code == 403
    response = c.get("/access.csv?actor=otto")
    assert response.headers["Content-Disposition"].startswith('attachment; filename="OFFICIAL-SENSITIVE_crumail-access-')
    lines = response.get_data(as_text=True).lstrip("\ufeff").splitlines()
    assert lines[0] == "OFFICIAL-SENSITIVE" and lines[1].startswith("id,at,actor")
    assert all(",otto," in line for line in lines[2:]) and len(lines) == 4    # login, search
    book = load_workbook(io.BytesIO(c.get("/access.xlsx").data))
    assert book.properties.category == "OFFICIAL-SENSITIVE"
    assert next(book.active.values)[0] == "OFFICIAL-SENSITIVE"
    exported = trail(store, action="export")
    assert [r["target"] for r in exported] == ["access.xlsx", "access.csv"]
    assert exported[1]["detail"]["rows"] == {"access": 2, "matching": 2}


def test_casebook_exports_carry_the_highest_marking_of_their_rows(config, store):
    seed_logs(store, 3)
    store.execute("UPDATE logs SET protective_marking = 'OFFICIAL-SENSITIVE' WHERE log = '2/24'")
    c = client(config, store)
    login(c)
    response = c.get("/exports/logs.csv")
    assert 'filename="OFFICIAL-SENSITIVE_crumail-logs.csv"' in response.headers["Content-Disposition"]
    assert response.get_data(as_text=True).lstrip("\ufeff").splitlines()[0] == "OFFICIAL-SENSITIVE"
    book = load_workbook(io.BytesIO(c.get("/exports/casebook.xlsx?year=24").data))
    for sheet in book.worksheets:
        assert next(sheet.values)[0] == "OFFICIAL-SENSITIVE"
        assert sheet.oddHeader.center.text == "OFFICIAL-SENSITIVE"
    assert [p.value for p in book.custom_doc_props] == ["OFFICIAL-SENSITIVE"]
    deadlines = c.get("/exports/deadlines.csv")
    assert 'filename="OFFICIAL_crumail-deadlines-' in deadlines.headers["Content-Disposition"]


def test_the_highest_marking_governs_and_never_falls_below_the_floor():
    assert marking.highest([]) == "OFFICIAL"
    assert marking.highest([None, "official", "OFFICIAL-SENSITIVE", "PROTECT"]) == "OFFICIAL-SENSITIVE"
    assert marking.highest(["secret", "not protectively marked"]) == "SECRET"
    assert marking.highest(["OFFICIAL"], floor="OFFICIAL-SENSITIVE") == "OFFICIAL-SENSITIVE"
    assert marking.highest(["made up"]) == "OFFICIAL"


def test_the_command_line_leaves_rows_by_its_os_user_and_marks_its_exports(casebook_cli, tmp_path, monkeypatch):
    monkeypatch.delenv("CRUMAIL_USER", raising=False)
    casebook_cli("search", "speed")
    casebook_cli("logs", "show", "43/23")
    target = tmp_path / "logs.csv"
    assert casebook_cli("export", "--format", "csv", "--what", "logs", "--output", str(target)).exit_code == 0
    monkeypatch.setenv("CRUMAIL_USER", "otto")
    casebook_cli("quarantine", "show", "1")          # no such entry: nothing seen, nothing noted
    db = open_database(tmp_path / "crumail.db")
    rows = list(reversed(trail(db)))
    me = trail_module.os_login()
    assert [(r["actor"], r["via"], r["action"], r["target"]) for r in rows] == [
        (me, "cli", "search", None), (me, "cli", "view_log", "log 43/23"),
        (me, "cli", "export", "logs.csv")]
    assert rows[0]["detail"]["query"] == "speed" and rows[2]["client"] == f"os user {me}"
    marked = marking.highest(r[0] for r in db.execute("SELECT protective_marking FROM logs"))
    assert rows[2]["detail"]["marking"] == marked
    assert target.read_text(encoding="utf-8-sig").splitlines()[0] == marked
    assert oct(target.stat().st_mode & 0o777) == "0o600"


def test_a_long_trail_is_paged(config, store):
    for n in range(130):
        access.record(store, actor="otto", via="cli", action="search", detail={"query": f"q{n}"})
    c = client(config, store)
    login(c, "ada")
    first = c.get("/access?actor=otto").get_data(as_text=True)
    assert "Page 1 of 2" in first and 'href="/access?actor=otto&amp;page=2" rel="next"' in first
    assert "q129" in first and "q0<" not in first
    assert "q0" in c.get("/access?actor=otto&page=2").get_data(as_text=True)


def test_crumail_access_lists_and_exports_the_trail_marked_and_private(cli, tmp_path, monkeypatch):
    monkeypatch.setenv("CRUMAIL_USER", "ada")
    cli("search", "anything")
    listed = cli("access", "list", "--action", "search")
    assert "ada" in listed.output and "search" in listed.output
    out = tmp_path / "trail.csv"
    assert cli("access", "export", "--format", "csv", "--output", str(out), "--actor", "ada").exit_code == 0
    lines = out.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == "OFFICIAL-SENSITIVE" and len(lines) == 3 and oct(out.stat().st_mode & 0o777) == "0o600"
    db = open_database(cli.base / "crumail.db")
    assert [r["target"] for r in trail(db, action="export")] == ["access.csv"]
