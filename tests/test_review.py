"""The review desk's state machine and its append-only audit trail."""

from __future__ import annotations

import sqlite3

import pytest
from click.testing import CliRunner

from crumail import review
from crumail.model import body_sha256
from support.drafts import CLEAN_BODY, JUSTIFICATION, LEAKY_BODY, POLICE_ONLY_BODY, make_draft
from support.mail import EXTERNAL
from support.config import outbound as config


def test_approving_a_clean_draft_fixes_its_message_id_and_records_who(tmp_path, db):
    draft = make_draft(db, CLEAN_BODY)
    approved = review.approve(config(tmp_path), db, draft, by="Operator One")
    assert approved.state == "approved" and approved.approved_by == "Operator One"
    assert "crumail.draft" in approved.message_id and approved.approved_sha256
    last = review.history(db, draft)[-1]
    assert (last.actor, last.action, last.from_state, last.to_state) == ("Operator One", "approved", "drafted", "approved")
    assert last.body_sha256 == body_sha256(CLEAN_BODY)


def test_a_leaked_mobile_number_blocks_until_a_written_justification(tmp_path, db):
    cfg = config(tmp_path)
    draft = make_draft(db, LEAKY_BODY)
    with pytest.raises(review.ApprovalBlocked) as blocked:
        review.approve(cfg, db, draft, by="Operator One")
    assert blocked.value.overridable
    assert any(f.check == "phone" and f.text == "07700 900123" for f in blocked.value.report.findings)
    with pytest.raises(review.ApprovalBlocked):
        review.approve(cfg, db, draft, by="Operator One", override="ok")
    assert review.get_draft(db, draft).state == "drafted"
    approved = review.approve(cfg, db, draft, by="Operator One", override=JUSTIFICATION)
    assert approved.state == "approved"
    assert [o["text"] for o in approved.overrides] == ["07700 900123"]
    last = review.history(db, draft)[-1]
    assert last.action == "approved_with_override" and last.comment == JUSTIFICATION
    assert last.detail["override"] == JUSTIFICATION
    assert any(f["check"] == "phone" for f in last.detail["findings"])


def test_police_only_material_to_an_external_address_cannot_be_overridden(tmp_path, db):
    draft = make_draft(db, POLICE_ONLY_BODY, to=(EXTERNAL,), marking="OFFICIAL-SENSITIVE",
                       caveats=("POLICE EYES ONLY",))
    with pytest.raises(review.ApprovalBlocked) as blocked:
        review.approve(config(tmp_path), db, draft, by="Operator One", override=JUSTIFICATION)
    assert not blocked.value.overridable
    assert "cannot be overridden" in str(blocked.value) or "No justification" in str(blocked.value)
    assert review.get_draft(db, draft).state == "drafted"
    # To an internal address the same text is approved.
    internal = make_draft(db, POLICE_ONLY_BODY, template="advice2")
    assert review.approve(config(tmp_path), db, internal, by="Operator One").state == "approved"


def test_editing_an_approved_draft_revokes_the_approval(tmp_path, db):
    draft = make_draft(db, CLEAN_BODY)
    review.approve(config(tmp_path), db, draft, by="Operator One")
    edited = review.edit(db, draft, by="Operator Two", body=CLEAN_BODY + "\nP.S. one more line.\n",
                         comment="added a line")
    assert edited.state == "edited" and edited.approved_sha256 is None and edited.approved_by is None
    last = review.history(db, draft)[-1]
    assert last.action == "edited" and last.detail["approval_revoked"] is True
    assert last.body_sha256 == body_sha256(edited.body)


def test_rejecting_needs_a_reason_and_is_final(tmp_path, db):
    draft = make_draft(db, CLEAN_BODY)
    with pytest.raises(review.ReviewError):
        review.reject(db, draft, by="Operator One", comment=" ")
    review.reject(db, draft, by="Operator One", comment="duplicate of draft 1")
    with pytest.raises(review.InvalidTransition):
        review.approve(config(tmp_path), db, draft, by="Operator One")
    with pytest.raises(review.InvalidTransition):
        review.edit(db, draft, by="Operator One", body="x")
    with pytest.raises(review.DraftNotFound):
        review.get_draft(db, 999)


def test_redaction_is_shown_then_saved_and_audited(tmp_path, db):
    cfg = config(tmp_path)
    draft = make_draft(db, LEAKY_BODY)
    proposal = review.propose_redaction(cfg, db, draft)
    assert "07700 900123" not in proposal.after and "S.40(2)" in proposal.after
    assert "-The applicant" in proposal.diff or "07700 900123" in proposal.diff
    redacted = review.apply_redaction(db, proposal, by="Operator One")
    assert redacted.body == proposal.after and redacted.state == "edited"
    assert review.history(db, draft)[-1].action == "redacted"
    assert review.approve(cfg, db, draft, by="Operator Two").state == "approved"


def test_audit_rows_cannot_be_changed_or_deleted_nor_drafts_deleted(db):
    draft = make_draft(db, CLEAN_BODY)
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        db.execute("UPDATE draft_audit SET actor = 'someone else'")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        db.execute("DELETE FROM draft_audit")
    with pytest.raises(sqlite3.DatabaseError, match="never deleted"):
        db.execute("DELETE FROM drafts WHERE id = ?", [draft])
    assert len(review.history(db, draft)) == 1


def test_the_cli_lists_shows_approves_and_rejects(tmp_path, db):
    cfg_file = tmp_path / "crumail.toml"
    cfg_file.write_text(f'[database]\npath = "{tmp_path / "crumail.db"}"\n'
                        '[redaction]\ninternal_domains = ["police.uk"]\n')
    leaky = make_draft(db, LEAKY_BODY)
    clean = make_draft(db, CLEAN_BODY, template="acknowledgement")
    _accounts(db, "operator.one", "operator.two")
    run = lambda *args: CliRunner().invoke(_main(), ["--config", str(cfg_file), *args])  # noqa: E731
    assert "drafted" in run("drafts", "list").stdout
    shown = run("drafts", "show", str(leaky))
    assert shown.exit_code == 0 and "07700 900123" in shown.stdout and "BLOCKED" in shown.stdout
    blocked = run("drafts", "approve", str(leaky), "--by", "operator.one")
    assert blocked.exit_code == 3 and "phone" in blocked.stderr
    assert run("drafts", "approve", str(leaky), "--by", "operator.one", "--override", JUSTIFICATION).exit_code == 0
    body = tmp_path / "body.txt"
    body.write_text(CLEAN_BODY + "\nEdited.\n")
    assert run("drafts", "edit", str(clean), "--body-file", str(body), "--by", "operator.two").exit_code == 0
    assert run("drafts", "reject", str(clean), "--by", "operator.two", "--comment", "not needed").exit_code == 0
    states = {d.id: d.state for d in review.list_drafts(db)}
    assert states == {leaky: "approved", clean: "rejected"}


def test_the_cli_redacts_after_showing_the_diff(tmp_path, db):
    cfg_file = tmp_path / "crumail.toml"
    cfg_file.write_text(f'[database]\npath = "{tmp_path / "crumail.db"}"\n')
    draft = make_draft(db, LEAKY_BODY)
    result = CliRunner().invoke(_main(), ["--config", str(cfg_file), "redact", str(draft)], input="n\n")
    assert result.exit_code == 1 and "+The applicant can be reached on S.40(2)" in result.stdout
    assert review.get_draft(db, draft).body == LEAKY_BODY
    _accounts(db, "op")
    result = CliRunner().invoke(_main(), ["--config", str(cfg_file), "redact", str(draft), "--yes", "--by", "op"])
    assert result.exit_code == 0 and "07700" not in review.get_draft(db, draft).body


def _accounts(db, *names: str) -> None:
    """Desk accounts, so that the CLI's --by names real people."""
    from crumail.store import users
    from crumail.store.db import transaction

    with transaction(db):
        for name in names:
            users.add(db, name, "operator", "$argon2id$not-a-real-hash")


def _main():
    from crumail.cli import main

    return main
