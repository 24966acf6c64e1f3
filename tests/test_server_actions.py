"""Server actions after commit in the store: recorded with their message, done,
failed, void, summed for `crumail status` and shown on the desk's sources page."""

from __future__ import annotations

import re

import pytest
from werkzeug.test import Client

from crumail.config import from_dict
from crumail.intake.prepare import prepare
from crumail.model import RawMessage, ServerAction
from crumail.store import actions, batch, ledger, open_database, status, users
from crumail.store.db import transaction
from crumail.web.app import Desk
from crumail.web.auth import hash_password
from support.mail import circulation

MOVE = ServerAction(add_keyword="crumail-stored", move_to="Archive")


def raw(n: int, action: ServerAction | None = MOVE, data: bytes | None = None) -> RawMessage:
    return RawMessage(data=circulation(f"{n}/24", n=n) if data is None else data, source="box",
                      key=f"INBOX/7/{n}", folder="INBOX", uidvalidity=7, uid=n, server_action=action)


def states(db) -> dict[str, int]:
    return dict(db.execute("SELECT state, count(*) FROM server_actions GROUP BY state").fetchall())


def test_an_action_is_recorded_in_the_same_transaction_as_its_message(db):
    batch.commit(db, [prepare(raw(1)), prepare(raw(2, action=None)), prepare(raw(3, data=b""))])
    rows = db.execute("SELECT uid, add_keyword, move_to, state FROM server_actions").fetchall()
    assert rows == [(1, "crumail-stored", "Archive", "pending")]   # none asked by 2; 3 is quarantined

    class Crash(Exception):
        pass

    with pytest.raises(Crash):        # a batch that fails half-way leaves neither message nor action
        with transaction(db):
            batch.commit(db, [prepare(raw(4))])
            raise Crash
    assert db.execute("SELECT count(*) FROM server_actions WHERE uid = 4").fetchone()[0] == 0
    assert not ledger.seen(db, "box", "INBOX/7/4")


def test_failed_actions_stay_pending_and_the_summary_says_so(db):
    batch.commit(db, [prepare(raw(n)) for n in range(1, 6)])
    with transaction(db):
        actions.done(db, "box", "INBOX", 7, [1])
        actions.failed(db, "box", "INBOX", 7, [2, 3], "move failed: [TRYCREATE] Mailbox doesn't exist: Archive")
    assert [p.uid for p in actions.pending(db, "box", "INBOX", limit=10)] == [2, 3, 4, 5]
    assert actions.summary(db) == {("box", "INBOX"): {
        "pending": 4, "failed": 2, "void": 0,
        "last_error": "move failed: [TRYCREATE] Mailbox doesn't exist: Archive"}}
    with transaction(db):      # the folder was recreated: its old UIDs name nothing
        assert actions.void(db, "box", "INBOX", "UIDVALIDITY changed", keep_uidvalidity=8) == 4
    assert actions.pending(db, "box", "INBOX", limit=10) == []
    assert states(db) == {"done": 1, "void": 4}
    with transaction(db):
        ledger.update_state(db, "box", "INBOX", uidvalidity=8)
        ledger.update_state(db, "box", "")
    rows = {r["folder"]: r["server_actions"] for r in status.sources(db, ["box"])}
    assert rows["INBOX"] == rows[""] == {"pending": 0, "failed": 0, "void": 4, "last_error": None}
    with transaction(db):
        assert actions.prune(db, "2000-01-01") == 0
        assert actions.prune(db, "2999-01-01") == 5      # settled ones are forgotten, in time
    assert states(db) == {}


def test_the_desk_sources_page_shows_pending_failed_and_void_actions(tmp_path):
    config = from_dict({"database": {"path": str(tmp_path / "crumail.db")},
                        "source": [{"type": "imap", "name": "box", "host": "imap.example.police.uk",
                                    "username": "cru@example.police.uk", "move_to": "Archive"}]}, tmp_path)
    db = open_database(config.database)
    batch.commit(db, [prepare(raw(n)) for n in range(1, 4)])
    with transaction(db):
        users.add(db, "otto", "operator", hash_password("Otto keeps the mailbox tidy 7", "otto"))
        ledger.update_state(db, "box", "INBOX", last_poll="2026-11-25T10:00:00+00:00")
        actions.failed(db, "box", "INBOX", 7, [1, 2], "move failed: Mailbox doesn't exist: <Archive>")
    c = Client(Desk(config))
    token = re.search(r'name="csrf" value="([^"]+)"', c.get("/login").get_data(as_text=True)).group(1)
    c.post("/login", data={"name": "otto", "password": "Otto keeps the mailbox tidy 7", "csrf": token})
    page = c.get("/sources").get_data(as_text=True)
    assert "Server actions" in page
    assert "3 pending" in page and "2 failed" in page
    assert "Mailbox doesn&#39;t exist: &lt;Archive&gt;" in page        # escaped: a server's words are not trusted
    metrics = c.get("/metrics").get_data(as_text=True)
    assert 'crumail_server_actions{source="box",folder="INBOX",state="pending"} 3' in metrics
    assert 'crumail_server_actions{source="box",folder="INBOX",state="failed"} 2' in metrics
    db.close()
