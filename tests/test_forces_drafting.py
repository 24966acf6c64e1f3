"""The register at work: a referral's force found by its sender, its nation's
law and bank holidays for the deadline, "Logged with" and the queue's Force."""

from __future__ import annotations

from datetime import date
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

import pytest

from crumail.drafts import deadlines
from crumail.drafts.stage import draft_pending
from crumail.errors import ConfigError
from crumail.intake.pipeline import run_source
from crumail.register import apply
from crumail.sources.directory import FileSource
from crumail.store import search as casebook
from crumail.store import drafts as store
from support.config import outbound as config
from support.mail import utc


def referral_from(sender: str, when, force_line: str | None = None, message_id: str = "<r1@example.test>",
                  receipt_line: str = "") -> bytes:
    """A referral whose body may not say which force it is from."""
    msg = EmailMessage()
    msg["From"] = f'"FOI Team" <{sender}>'
    msg["To"] = '"NPCC CRU Mailbox" <cru@cru.police.example>'
    msg["Subject"] = "FOI referral - speed cameras"
    msg["Date"] = format_datetime(when)
    msg["Message-ID"] = message_id
    force = f"Logged with: {force_line}\n\n" if force_line else ""
    msg.set_content(f"Dear CRU,\n\n{receipt_line}Please could you log the following request and provide advice.\n\n"
                    f"{force}Applicant's request:\n\n1) How many speed cameras does the force operate?\n"
                    "2) How many drones does the force own?\n\nKind regards\n\nFOI Team\n")
    return bytes(msg)


def _ingest(db, folder: Path, name: str, data: bytes) -> None:
    folder.mkdir(exist_ok=True)
    (folder / name).write_bytes(data)
    run_source(db, FileSource([folder / name], name="test"))


@pytest.fixture
def registered(db):
    assert apply.load_example_if_empty(db, actor="test") == 50
    return db


@pytest.mark.parametrize("sender, received, force, nation, due", [
    # St Andrew's Day (Thu 30 November 2023) is a Scottish bank holiday only.
    ("foi@scotland.police.example", date(2023, 11, 20), "Police Scotland", "scotland", date(2023, 12, 19)),
    ("foi@lancashire.police.example", date(2023, 11, 20), "Lancashire Constabulary", "england-and-wales",
     date(2023, 12, 18)),
    # St Patrick's Day (Fri 17 March 2023) is a Northern Irish bank holiday only.
    ("jo.bloggs@psni.police.example", date(2023, 3, 1), "Police Service of Northern Ireland",
     "northern-ireland", date(2023, 3, 30)),
    ("foi@lancashire.police.example", date(2023, 3, 1), "Lancashire Constabulary", "england-and-wales",
     date(2023, 3, 29)),
])
def test_the_senders_force_gives_the_nation_and_logged_with(tmp_path, registered, sender, received, force,
                                                            nation, due):
    assert deadlines.due_date(received, nation) == due  # the table's own arithmetic
    _ingest(registered, tmp_path / "in", "referral.eml",
            referral_from(sender, utc(received.year, received.month, received.day, 9, 0)))
    report = draft_pending(config(tmp_path), registered)
    assert report.failed == []
    ack = store.select(registered)[0]
    assert (ack.force, ack.nation, ack.due_date) == (force, nation, due.isoformat())
    assert casebook.get_log(registered, ack.log)["logged_with"] == force


def test_a_stated_logged_with_names_the_force_before_the_sender(tmp_path, registered):
    # Forwarded by Lancashire's address, but the mail says it is Police Scotland's request.
    _ingest(registered, tmp_path / "in", "referral.eml",
            referral_from("foi@lancashire.police.example", utc(2023, 11, 20, 9, 0), "Police Scotland"))
    draft_pending(config(tmp_path), registered)
    ack = store.select(registered)[0]
    assert (ack.force, ack.nation) == ("Police Scotland", "scotland")


def test_an_unknown_sender_keeps_the_default_nation_and_no_force(tmp_path, registered):
    _ingest(registered, tmp_path / "in", "referral.eml",
            referral_from("foi@unknown.example", utc(2023, 11, 20, 9, 0)))
    draft_pending(config(tmp_path), registered)
    ack = store.select(registered)[0]
    assert (ack.force, ack.nation) == (None, "england-and-wales")
    assert casebook.get_log(registered, ack.log)["logged_with"] is None


def test_a_config_that_still_names_forces_is_refused_with_the_way_out(tmp_path):
    with pytest.raises(ConfigError, match="crumail forces import"):
        config(tmp_path, forces={"Police Scotland": {"nation": "scotland", "domains": ["scotland.example"]}})


def test_the_clock_runs_from_the_forces_own_receipt_date(tmp_path, registered):
    # Issue 11: "Received by us 21/12/2023" gave 24 January 2024 (counted from
    # the unit's receipt on the 22nd) where the force's own date gives 23 January.
    _ingest(registered, tmp_path / "in", "referral.eml",
            referral_from("foi@nottinghamshire.police.example", utc(2023, 12, 22, 10, 5),
                          receipt_line="Received by us 21/12/2023.\n\n"))
    draft_pending(config(tmp_path), registered)
    ack = store.select(registered)[0]
    assert (ack.received_date, ack.due_date) == ("2023-12-21", "2024-01-23")
    assert "received by the Central Referral Unit on 22 December 2023" in " ".join(ack.body.split())
    assert "Nottinghamshire Police received it on 21 December 2023" in " ".join(ack.body.split())


def test_without_a_stated_receipt_the_clock_runs_from_the_units(tmp_path, registered):
    _ingest(registered, tmp_path / "in", "referral.eml",
            referral_from("foi@nottinghamshire.police.example", utc(2023, 12, 22, 10, 5)))
    draft_pending(config(tmp_path), registered)
    ack = store.select(registered)[0]
    assert (ack.received_date, ack.due_date) == ("2023-12-22", "2024-01-24")
    assert "received it on" not in ack.body
