"""Drafting copes with any decoded header text, and a message that cannot be
drafted is never dropped silently: it shows in `crumail status` and on the
desk with its reason, and is drafted again once the cause is fixed."""

from __future__ import annotations

import base64
import json
from pathlib import Path

from email import message_from_bytes, policy

import pytest
from click.testing import CliRunner

from crumail.drafts.stage import MAX_ATTEMPTS, draft_pending
from crumail.intake.pipeline import run_source
from crumail.review.message import build_message
from crumail.sources.directory import FileSource
from crumail.store import drafts as store, users
from crumail.store.db import transaction
from support.mail import referral, utc
from support.config import outbound as drafts_config

# Decoded header text a sender can put in an encoded word (RFC 2047).
HOSTILE_TEXT = ["FOI referral\r- speed\rcameras", "FOI referral\r\n\r\nBcc: x@example.com",
                "FOI\x00referral\x0b\x0c speed", "FOI referral\u2028\u2029\x85 cameras",
                "FOI \x1b[31mreferral\x7f\x9b"]


def _encoded(text: str) -> bytes:
    return b"=?utf-8?b?" + base64.b64encode(text.encode("utf-8")) + b"?="


def _hostile_referral(subject: str, name: str | None = None) -> bytes:
    raw = referral(utc(2023, 11, 20, 10))
    raw = raw.replace(b"Subject: FOI referral - speed cameras", b"Subject: " + _encoded(subject))
    if name is not None:
        raw = raw.replace(b'From: "Eastmoor FOI"', b"From: " + _encoded(name))
    return raw


def _ingest(db, folder: Path, data: bytes, name: str = "referral.eml") -> None:
    folder.mkdir(exist_ok=True)
    (folder / name).write_bytes(data)
    run_source(db, FileSource([folder / name], name="test"))


@pytest.mark.parametrize("text", HOSTILE_TEXT)
def test_any_decoded_subject_or_sender_is_drafted(tmp_path, db, text):
    cfg = drafts_config(tmp_path)
    _ingest(db, tmp_path / "in", _hostile_referral(text, name=text))
    report = draft_pending(cfg, db)
    assert report.failed == [] and len(report.drafts) == 2
    for draft in store.select(db):
        assert draft.subject.isprintable(), draft.subject
        assert "FOI" in draft.subject
        data = build_message(draft, "<x@example.police.uk>", "Mon, 20 Nov 2023 10:00:00 +0000")
        sent = message_from_bytes(data, policy=policy.default)
        assert sent["Bcc"] is None and sent["Subject"] == draft.subject


def _broken_template(tmp_path: Path) -> Path:
    folder = tmp_path / "my-templates"
    folder.mkdir(exist_ok=True)
    (folder / "acknowledgement.txt.j2").write_text("Subject: Log {{ log_number }}\n\n{{ no_such_value }}\n")
    return folder


def _mend(folder: Path) -> None:
    (folder / "acknowledgement.txt.j2").write_text("Subject: Log {{ log_number }}\n\nReceived.\n")


def _toml(tmp_path: Path, folder: Path) -> Path:
    toml = tmp_path / "crumail.toml"
    toml.write_text(f'[database]\npath = "{tmp_path / "crumail.db"}"\n'
                    f'[drafts]\ntemplates = "{folder}"\nmax_age_days = 0\n'
                    '[drafts.rules]\nreferral = ["acknowledgement"]\n')
    return toml


def _cli(toml: Path, *args: str):
    from crumail.cli import main

    return CliRunner().invoke(main, ["--config", str(toml), *args])


def _give_up(tmp_path: Path, db) -> tuple[Path, Path]:
    folder = _broken_template(tmp_path)
    toml = _toml(tmp_path, folder)
    _ingest(db, tmp_path / "in", referral(utc(2023, 11, 20, 10)))
    for _ in range(MAX_ATTEMPTS + 2):
        assert _cli(toml, "drafts", "make").exit_code == 0
    return folder, toml


def test_status_shows_a_message_that_drafting_gave_up_on(tmp_path, db):
    _give_up(tmp_path, db)
    plain = _cli(tmp_path / "crumail.toml", "status").stdout
    assert "drafting: 0 waiting, 0 failing, 1 given up" in plain
    assert "no_such_value" in plain and "crumail drafts retry" in plain
    report = json.loads(_cli(tmp_path / "crumail.toml", "status", "--json").stdout)
    drafting = report["drafting"]
    assert (drafting["waiting"], drafting["failing"], drafting["given_up"]) == (0, 0, 1)
    [failure] = drafting["failures"]
    assert failure["message"] == 1 and failure["attempts"] == MAX_ATTEMPTS and failure["given_up"]
    assert "no_such_value" in failure["reason"] and failure["subject"] == "FOI referral - speed cameras"


def test_drafts_retry_drafts_it_once_the_cause_is_fixed(tmp_path, db):
    folder, toml = _give_up(tmp_path, db)
    assert store.select(db) == []
    _mend(folder)
    assert _cli(toml, "drafts", "make").stdout.startswith("0 message(s)")   # given up: not by itself
    retried = _cli(toml, "drafts", "retry")
    assert retried.exit_code == 0 and "1 message(s) queued for drafting again" in retried.stdout
    assert "1 draft(s) made" in retried.stdout
    assert [d.template for d in store.select(db)] == ["acknowledgement"]
    assert json.loads(_cli(toml, "status", "--json").stdout)["drafting"]["failures"] == []


def test_reprocess_and_a_new_version_retry_what_drafting_gave_up_on(tmp_path, db):
    folder, toml = _give_up(tmp_path, db)
    _mend(folder)
    assert _cli(toml, "reprocess").exit_code == 0
    assert _cli(toml, "drafts", "make").exit_code == 0
    assert len(store.select(db)) == 1
    second = tmp_path / "second"
    second.mkdir()
    folder, toml = _give_up(second, db2 := _db(second))
    _mend(folder)
    with transaction(db2):
        db2.execute("UPDATE drafting_queue SET failed_version = '0.0.1-old'")
    assert _cli(toml, "drafts", "make").stdout.startswith("1 message(s) looked at, 1 draft(s) made")


def _db(root: Path):
    from crumail.store import open_database

    return open_database(root / "crumail.db")


def _desk_after_giving_up(tmp_path: Path, db, name: str, role: str):
    """A desk (WSGI) logged in as ``name`` over a database where drafting gave up."""
    from werkzeug.test import Client

    from crumail.config import from_dict
    from crumail.web.app import Desk
    from crumail.web.auth import hash_password
    from support.desk import login

    folder, toml = _give_up(tmp_path, db)
    with transaction(db):
        users.add(db, name, role, hash_password("a long enough password", name))
    cfg = from_dict({"database": {"path": str(tmp_path / "crumail.db")},
                     "drafts": {"templates": str(folder), "rules": {"referral": ["acknowledgement"]},
                                "max_age_days": 0}},
                    tmp_path)
    c = Client(Desk(cfg))
    login(c, name, "a long enough password")
    return c, folder, toml


def test_the_desk_shows_drafting_failures_and_retries_them(tmp_path, db):
    from support.desk import csrf_of

    c, folder, _ = _desk_after_giving_up(tmp_path, db, "otto", "operator")
    queue = c.get("/queue").get_data(as_text=True)
    assert "1 message could not be drafted" in queue and 'href="/drafting"' in queue
    page = c.get("/drafting").get_data(as_text=True)
    assert "no_such_value" in page and "FOI referral - speed cameras" in page and "gave up" in page
    _mend(folder)
    token = csrf_of(c.get("/drafting"))
    done = c.post("/drafting/retry", data={"csrf": token, "all": "1"}, follow_redirects=True)
    assert done.status_code == 200 and "1 draft(s) made" in done.get_data(as_text=True)
    assert "could not be drafted" not in c.get("/queue").get_data(as_text=True)
    assert [d.template for d in store.select(db)] == ["acknowledgement"]


def test_a_template_saved_on_the_desk_gives_failed_messages_another_go(tmp_path, db):
    from support.desk import csrf_of

    admin, _, toml = _desk_after_giving_up(tmp_path, db, "ada", "admin")
    token = csrf_of(admin.get("/templates/acknowledgement"))
    saved = admin.post("/templates/acknowledgement",
                       data={"csrf": token, "source": "Subject: Log {{ log_number }}\r\n\r\nReceived.\r\n"})
    assert saved.status_code == 303
    assert _cli(toml, "drafts", "make").stdout.startswith("1 message(s) looked at, 1 draft(s) made")
