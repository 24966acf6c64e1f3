"""What the checks refuse whoever asks (issue 10): drafting leftovers on the desk,
the CLI and at send, and the embedded default's internal domains."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner
from werkzeug.test import Client

from crumail import review
from crumail.checks import CheckContext, check_bytes
from crumail.cli import main
from crumail.config import from_dict, load
from crumail.review import message as outbound
from crumail.review.verify import fingerprint, verify
from crumail.send.stage import send_approved
from crumail.store import drafts as store, open_database, users
from crumail.store.db import transaction
from crumail.web.app import Desk
from crumail.web.auth import hash_password
from support.config import outbound as config
from support.drafts import POLICE_ONLY_BODY, make_draft
from support.mail import FORCE_FOI

JUSTIFICATION = "The force asked for the draft as it stands; the placeholders are deliberate."
PLACEHOLDERS = ("Dear Colleague,\n\nThe request was logged with [insert force].\n\n"
                "Q1: [insert advice for Q1]\n\nKind regards,\n\nCentral Referral Unit\n")
PASSWORD = "a long enough password"


def test_drafting_markers_cannot_be_approved_with_a_justification(tmp_path, db):
    draft = make_draft(db, PLACEHOLDERS)
    with pytest.raises(review.ApprovalBlocked) as blocked:
        review.approve(config(tmp_path), db, draft, by="Operator One", override=JUSTIFICATION)
    assert not blocked.value.overridable and "No justification" in str(blocked.value)
    texts = {f.text for f in blocked.value.report.findings if f.check == "drafting_marker"}
    assert texts == {"[insert force]", "[insert advice for Q1]"}
    assert review.get_draft(db, draft).state == "drafted"


def test_the_cli_refuses_drafting_markers_with_an_override(tmp_path, db):
    cfg = tmp_path / "crumail.toml"
    cfg.write_text(f'[database]\npath = "{tmp_path / "crumail.db"}"\n')
    draft = make_draft(db, PLACEHOLDERS)
    with transaction(db):
        users.add(db, "operator.one", "operator", "x")
    result = CliRunner().invoke(main, ["--config", str(cfg), "drafts", "approve", str(draft),
                                       "--by", "operator.one", "--override", JUSTIFICATION])
    assert result.exit_code == 3 and review.get_draft(db, draft).state == "drafted"
    checked = CliRunner().invoke(main, ["--config", str(cfg), "check", "-"], input=PLACEHOLDERS)
    assert checked.exit_code == 3 and "drafting_marker" in checked.stdout


def test_the_desk_refuses_drafting_markers_with_a_justification(tmp_path):
    cfg = from_dict({"database": {"path": str(tmp_path / "crumail.db")}}, tmp_path)
    db = open_database(cfg.database)
    with transaction(db):
        users.add(db, "otto", "operator", hash_password(PASSWORD, "otto"))
    draft = make_draft(db, PLACEHOLDERS)
    c = Client(Desk(cfg))
    token = _csrf(c.get("/login"))
    c.post("/login", data={"name": "otto", "password": PASSWORD, "csrf": token})
    page = c.get(f"/drafts/{draft}").get_data(as_text=True)
    assert "no justification can release this" in page and 'id="override"' not in page
    token = _csrf(c.get(f"/drafts/{draft}"))
    refused = c.post(f"/drafts/{draft}/approve", data={"csrf": token, "override": JUSTIFICATION})
    assert refused.status_code == 409
    assert review.get_draft(db, draft).state == "drafted"
    db.close()


def test_send_refuses_a_draft_approved_over_drafting_markers_before_this_rule(tmp_path, db):
    """A draft approved "with justification" by an older crumail is stopped at send."""
    cfg = config(tmp_path, send={"transport": "outbox"})
    draft = review.get_draft(db, make_draft(db, PLACEHOLDERS))
    message_id, date = outbound.new_message_id(draft), outbound.date_header()
    data = outbound.build_message(draft, message_id, date)
    released = [fingerprint(f) for f in verify(cfg, db, data).report.findings if f.severity == "block"]
    with transaction(db):
        store.update(db, draft.id, ("drafted",), state="approved", message_id=message_id, date_header=date,
                     approved_sha256=outbound.sha256(data), approved_by="old", approved_at="2023-11-20T09:00:00",
                     overrides=released)
    report = send_approved(cfg, db)
    assert [d for d, _ in report.refused] == [draft.id] and "drafting_marker" in report.refused[0][1]
    assert review.get_draft(db, draft.id).state == "failed"
    assert not list((tmp_path / "outbox").glob("**/*.eml"))


def test_the_embedded_default_counts_police_uk_as_internal(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CRUMAIL_CONFIG", raising=False)
    embedded = load(None)
    assert embedded.path is None and embedded.settings.redaction.internal_domains == ("police.uk",)
    context = CheckContext.from_config(embedded.settings.redaction)
    _text, to_force = check_bytes(POLICE_ONLY_BODY.encode(), [FORCE_FOI], context)
    assert not to_force.blocked
    _text, outside = check_bytes(POLICE_ONLY_BODY.encode(), ["someone@example.com"], context)
    assert outside.blocked and not outside.overridable
    # A file that says nothing gets the same default; one that says [] has no internal domain.
    assert from_dict({}, tmp_path).settings.redaction.internal_domains == ("police.uk",)
    assert from_dict({"redaction": {"internal_domains": []}}, tmp_path).settings.redaction.internal_domains == ()


def test_the_desk_says_so_on_its_first_screen_under_the_embedded_default(tmp_path):
    db_path = str(tmp_path / "crumail.db")
    embedded = Desk(from_dict({"database": {"path": db_path}}, tmp_path))  # no file: the embedded default
    page = Client(embedded).get("/login").get_data(as_text=True)
    assert 'id="embedded-default"' in page and "<code>police.uk</code>" in page
    filed = Desk(from_dict({"database": {"path": db_path}}, tmp_path, tmp_path / "crumail.toml"))
    assert 'id="embedded-default"' not in Client(filed).get("/login").get_data(as_text=True)


def _csrf(response) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', response.get_data(as_text=True)).group(1)
