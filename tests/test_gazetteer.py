"""The gazetteer learns people from stored mail, not role mailboxes."""

from __future__ import annotations

from email.message import EmailMessage

from crumail.checks import names_in
from crumail.intake.prepare import prepare
from crumail.model import RawMessage
from crumail.parse import parse_bytes
from crumail.store import batch, gazetteer


def _mail() -> bytes:
    msg = EmailMessage()
    msg["From"] = '"Owen Tregarth" <owen.tregarth@westvale.example.police.uk>'
    msg["To"] = '"NPCC CRU Mailbox" <cru@npcc.example.police.uk>'
    msg["Cc"] = "keira.mcallister@westvale.example.police.uk"
    msg["Subject"] = "New referral"
    msg.set_content("Please log this one.\n\nKind regards,\n\nBethany Quarrie\nDisclosure Officer\n")
    return bytes(msg)


def test_names_in_a_message():
    names = names_in(parse_bytes(_mail()))
    assert {"Owen Tregarth", "Keira Mcallister", "Bethany Quarrie"} <= {n.title() for n in names} | names
    assert not any("Mailbox" in n for n in names)


def test_storing_learns_and_storing_again_changes_nothing(db):
    raw = RawMessage(_mail(), "t", "k")
    batch.commit(db, [prepare(raw)])
    first = gazetteer.names(db)
    batch.commit(db, [prepare(raw)])
    assert "Owen Tregarth" in first and gazetteer.names(db) == first
