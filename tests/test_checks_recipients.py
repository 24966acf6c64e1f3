"""Recipients outside the police network that are not the sender must be confirmed (issue 10)."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner
from werkzeug.test import Client

from crumail import review
from crumail.checks import CheckContext
from crumail.checks.recipients import recipient_findings
from crumail.cli import main
from crumail.drafts.stage import draft_pending
from crumail.intake.pipeline import run_source
from crumail.sources.directory import FileSource
from crumail.store import audit, drafts as store, users
from crumail.store.db import transaction
from crumail.web.app import Desk
from crumail.web.auth import hash_password
from support.config import outbound as config
from support.mail import FORCE_FOI, referral, utc

OUTSIDE = "replies@example.com"
PASSWORD = "a long enough password"


def _with_reply_to(data: bytes) -> bytes:
    return data.replace(b"\nSubject:", f"\nReply-To: Eastmoor replies <{OUTSIDE}>\nSubject:".encode(), 1)


@pytest.fixture
def drafted(tmp_path, db):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "referral.eml").write_bytes(_with_reply_to(referral(utc(2023, 12, 11, 10, 0))))
    run_source(db, FileSource([folder / "referral.eml"], name="test"))
    cfg = config(tmp_path)
    assert draft_pending(cfg, db).failed == []
    return cfg, {d.template: d for d in store.select(db)}


def test_only_outside_addresses_other_than_the_sender_are_asked_about():
    context = CheckContext.build(internal_domains=["police.uk"])
    asked = recipient_findings([("to", FORCE_FOI), ("to", OUTSIDE), ("cc", "sender@example.org")],
                               context.__class__(**{**context.__dict__, "answering": "sender@example.org"}))
    assert [(f.part, f.text, f.severity) for f in asked] == [("to", OUTSIDE, "warn")]
    assert recipient_findings([("to", OUTSIDE)], context) == []  # answering nothing: nothing to compare


def test_a_reply_to_outside_the_police_needs_confirming(drafted, db):
    cfg, made = drafted
    ack = made["acknowledgement"]
    assert ack.to == (OUTSIDE,)
    with pytest.raises(review.ApprovalBlocked) as blocked:
        review.approve(cfg, db, ack.id, by="Operator One")
    assert blocked.value.unconfirmed == (OUTSIDE,) and "confirm" in str(blocked.value)
    approved = review.approve(cfg, db, ack.id, by="Operator One", confirm_recipients=True)
    assert approved.state == "approved"
    assert review.history(db, ack.id)[-1].detail["recipients_confirmed"] == [OUTSIDE]


def test_marked_advice_to_the_reply_to_is_blocked_as_before(drafted, db):
    cfg, made = drafted
    advice = made["advice"]
    assert advice.marking and advice.to == (OUTSIDE,)
    with pytest.raises(review.ApprovalBlocked) as blocked:
        review.approve(cfg, db, advice.id, by="Operator One", confirm_recipients=True,
                       override="The force asked us to reply to this address instead.")
    assert not blocked.value.overridable


def test_the_cli_needs_a_flag_and_the_desk_asks(drafted, db, tmp_path):
    cfg, made = drafted
    ack = made["acknowledgement"]
    cfg_file = tmp_path / "crumail.toml"
    cfg_file.write_text(f'[database]\npath = "{tmp_path / "crumail.db"}"\n')
    with transaction(db):
        users.add(db, "otto", "operator", hash_password(PASSWORD, "otto"))
    desk = Client(Desk(cfg))
    desk.post("/login", data={"name": "otto", "password": PASSWORD, "csrf": _csrf(desk.get("/login"))})
    page = desk.get(f"/drafts/{ack.id}")
    assert 'id="confirm-recipients"' in page.get_data(as_text=True)
    refused = desk.post(f"/drafts/{ack.id}/approve", data={"csrf": _csrf(page)})
    assert refused.status_code == 409 and review.get_draft(db, ack.id).state == "drafted"
    run = lambda *a: CliRunner().invoke(main, ["--config", str(cfg_file), "drafts", "approve", str(ack.id),  # noqa: E731
                                               "--by", "otto", *a])
    assert run().exit_code == 3
    assert run("--confirm-recipients").exit_code == 0
    assert audit.history(db, ack.id)[-1].detail["recipients_confirmed"] == [OUTSIDE]


def _csrf(response) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', response.get_data(as_text=True)).group(1)
