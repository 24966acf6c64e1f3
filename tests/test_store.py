"""The store: private file, WAL, migrations, one row per message however often it comes."""

from __future__ import annotations

import stat

from crumail.intake.prepare import prepare
from crumail.model import Outcome, RawMessage
from crumail.store import batch, messages, open_database, quarantine
from support.mail import circulation


def test_database_is_private_and_in_wal_mode(tmp_path):
    path = tmp_path / "sub" / "crumail.db"
    db = open_database(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert {"messages", "nested", "attachments", "quarantine", "ledger"} <= set(db.table_names())


def test_migrations_are_recorded_and_reopening_changes_nothing(tmp_path):
    path = tmp_path / "crumail.db"
    open_database(path).close()
    db = open_database(path)
    names = [r[0] for r in db.execute("SELECT name FROM _sqlite_migrations")]
    assert names[:3] == ["m001_messages", "m002_quarantine", "m003_ledger"]
    assert len(names) == len(set(names))


def _raw(data: bytes, key: str = "k") -> RawMessage:
    return RawMessage(data=data, source="test", key=key, origin=key)


def test_same_bytes_twice_are_stored_once(db):
    data = circulation()
    first = batch.commit(db, [prepare(_raw(data, "a"))])
    second = batch.commit(db, [prepare(_raw(data, "b")), prepare(_raw(data, "c"))])
    assert [c.outcome for c in first] == [Outcome.STORED]
    assert [c.outcome for c in second] == [Outcome.DUPLICATE, Outcome.DUPLICATE]
    assert db.execute("SELECT count(*) FROM messages").fetchone()[0] == 1
    assert messages.raw_bytes(db, first[0].message) == data


def test_a_batch_is_all_or_nothing(db, monkeypatch):
    good = prepare(_raw(circulation(n=1), "a"))

    def explode(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(messages, "_insert_nested", explode)
    try:
        batch.commit(db, [good])
    except RuntimeError:
        pass
    assert db.execute("SELECT count(*) FROM messages").fetchone()[0] == 0
    assert db.execute("SELECT count(*) FROM ledger").fetchone()[0] == 0


def test_quarantine_keeps_bytes_and_counts_attempts(db):
    raw = _raw(b"", "empty.eml")
    (done,) = batch.commit(db, [prepare(raw)])
    assert done.outcome is Outcome.QUARANTINED
    batch.commit(db, [prepare(raw)])
    (row,) = quarantine.rows(db)
    assert row["attempts"] == 2 and row["stage"] == "parse" and "empty" in row["reason"]
    assert quarantine.raw(db, row["id"]).data == b""


def test_a_fetch_failure_is_never_stored_as_mail_on_retry(db):
    from crumail.intake.maintenance import retry

    note = _raw(b"FETCH failed three times for INBOX/7/5", "INBOX/7/5")
    entry = quarantine.add(db, note, "fetch", "FETCH failed three times")
    (result,) = retry(db, [entry]).values()
    assert result.startswith("still quarantined") and "server" in result
    assert db.execute("SELECT count(*) FROM messages").fetchone()[0] == 0


def test_several_connections_may_open_a_new_database_at_once(tmp_path):
    """The daemon's threads each open the database; the first run creates it."""
    import threading

    for n in range(25):
        path, errors = tmp_path / f"new{n}.db", []

        def opener():
            try:
                open_database(path).close()
            except Exception as exc:  # noqa: BLE001 - the test reports any failure
                errors.append(exc)

        threads = [threading.Thread(target=opener) for _ in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []
