"""Four eyes (``[web] second_approver = true``): nobody who drafted or edited a
draft may approve it, on the desk and on the command line alike; and the
command line's ``--by`` names a real desk account (or, with none, the OS user)."""

from __future__ import annotations

import os
import pwd

import pytest
from click.testing import CliRunner

from crumail import review
from crumail.store import audit, users
from crumail.store.db import transaction
from support.drafts import CLEAN_BODY, make_draft
from support.config import outbound as drafts_config
from support.desk import client, config, csrf_of, hashed, login, store# noqa: F401  (fixtures)

FOUR_EYES = {"second_approver": True}


def _edit(db, draft, by, extra=" "):
    current = review.get_draft(db, draft).body
    return review.edit(db, draft, by=by, body=current + extra)


def test_a_one_character_edit_by_another_does_not_let_the_writer_approve(tmp_path, db):
    cfg = drafts_config(tmp_path, web=FOUR_EYES)
    draft = make_draft(db, CLEAN_BODY)
    review.edit(db, draft, by="otto", body=CLEAN_BODY + "\nOur advice follows.\n")
    _edit(db, draft, "sam", ".")                                  # one character
    for writer in ("otto", "sam", "OTTO"):
        with pytest.raises(review.SecondApproverNeeded, match="a second operator must approve it"):
            review.approve(cfg, db, draft, by=writer)
    assert review.get_draft(db, draft).state == "edited"
    assert review.approve(cfg, db, draft, by="ada").approved_by == "ada"


def test_a_redaction_is_an_edit_and_a_person_who_drafted_is_a_writer(tmp_path, db):
    cfg = drafts_config(tmp_path, web=FOUR_EYES)
    redacted = make_draft(db, CLEAN_BODY.replace("disclosing", "calling 07700 900123 and disclosing"))
    review.apply_redaction(db, review.propose_redaction(cfg, db, redacted), by="otto")
    with pytest.raises(review.SecondApproverNeeded):
        review.approve(cfg, db, redacted, by="otto")
    drafted = make_draft(db, CLEAN_BODY, template="acknowledgement")
    with transaction(db):
        audit.record(db, drafted, actor="sam", action="drafted", from_state=None, to_state="drafted",
                     body_sha256="0" * 64)
    with pytest.raises(review.SecondApproverNeeded):
        review.approve(cfg, db, drafted, by="sam")
    assert review.approve(cfg, db, drafted, by="otto").state == "approved"   # crumail drafting is nobody


def test_an_approval_after_a_later_edit_is_still_barred(tmp_path, db):
    cfg = drafts_config(tmp_path, web=FOUR_EYES)
    draft = make_draft(db, CLEAN_BODY)
    _edit(db, draft, "otto")
    review.approve(cfg, db, draft, by="sam")
    _edit(db, draft, "ada")                                       # revokes sam's approval
    with pytest.raises(review.SecondApproverNeeded):
        review.approve(cfg, db, draft, by="otto")                 # otto wrote some of it, once
    assert review.approve(cfg, db, draft, by="sam").state == "approved"


def test_without_four_eyes_the_writer_may_approve(tmp_path, db):
    draft = make_draft(db, CLEAN_BODY)
    _edit(db, draft, "otto")
    assert review.approve(drafts_config(tmp_path), db, draft, by="otto").state == "approved"


def _cli(tmp_path, *args, four_eyes=True, env=None):
    from crumail.cli import main

    toml = tmp_path / "crumail.toml"
    toml.write_text(f'[database]\npath = "{tmp_path / "crumail.db"}"\n'
                    '[redaction]\ninternal_domains = ["police.uk"]\n'
                    f'[web]\nsecond_approver = {"true" if four_eyes else "false"}\n')
    return CliRunner().invoke(main, ["--config", str(toml), *args], env=env or {"CRUMAIL_USER": None})


def _accounts(db, *names, disabled=()):
    with transaction(db):
        for name in names:
            users.add(db, name, "operator", "$argon2id$not-a-real-hash")
        for name in disabled:
            users.set_disabled(db, users.get_by_name(db, name)["id"], True)


def test_the_cli_enforces_four_eyes(tmp_path, db):
    _accounts(db, "otto", "sam")
    draft = make_draft(db, CLEAN_BODY)
    body = tmp_path / "body.txt"
    body.write_text(CLEAN_BODY + "\nEdited by otto.\n")
    assert _cli(tmp_path, "drafts", "edit", str(draft), "--body-file", str(body), "--by", "otto").exit_code == 0
    refused = _cli(tmp_path, "drafts", "approve", str(draft), "--by", "otto")
    assert refused.exit_code == 1 and "second operator" in refused.output
    assert review.get_draft(db, draft).state == "edited"
    approved = _cli(tmp_path, "drafts", "approve", str(draft), "--by", "sam")
    assert approved.exit_code == 0, approved.output
    assert review.get_draft(db, draft).approved_by == "sam"


def test_by_must_name_an_active_account(tmp_path, db):
    _accounts(db, "otto", "sam", "dora", disabled=("dora",))
    draft = make_draft(db, CLEAN_BODY)
    for who in ("A. Operator", "dora", "crumail", "otto "):
        refused = _cli(tmp_path, "drafts", "approve", str(draft), "--by", who, four_eyes=False)
        assert refused.exit_code == 1 and "desk account" in refused.output, (who, refused.output)
        refused = _cli(tmp_path, "drafts", "reject", str(draft), "--by", who, "--comment", "no", four_eyes=False)
        assert refused.exit_code == 1, who
    assert review.get_draft(db, draft).state == "drafted"
    assert all(h.actor == "crumail" for h in review.history(db, draft))
    by_env = _cli(tmp_path, "drafts", "reject", str(draft), "--comment", "duplicate", four_eyes=False,
                  env={"CRUMAIL_USER": "Sam"})
    assert by_env.exit_code == 0, by_env.output
    assert review.history(db, draft)[-1].actor == "sam"           # the account's own spelling


def test_with_no_accounts_the_os_user_acts(tmp_path, db):
    me = pwd.getpwuid(os.geteuid()).pw_name
    draft = make_draft(db, CLEAN_BODY)
    refused = _cli(tmp_path, "drafts", "approve", str(draft), "--by", "Someone Else", four_eyes=False)
    assert refused.exit_code == 1 and me in refused.output
    done = _cli(tmp_path, "drafts", "approve", str(draft), four_eyes=False)
    assert done.exit_code == 0, done.output
    assert review.get_draft(db, draft).approved_by == me
    other = make_draft(db, CLEAN_BODY, template="acknowledgement")
    assert _cli(tmp_path, "drafts", "reject", str(other), "--by", me, "--comment", "dup").exit_code == 0


def test_crumail_is_no_ones_account_name(db):
    with pytest.raises(ValueError, match="crumail"):
        users.add(db, "crumail", "operator", "x")


def test_the_desk_bars_a_writer_after_another_operators_touch(config, store):
    from support.drafts import seed_draft

    draft = seed_draft(store)
    review.edit(store, draft, by="otto", body="Dear colleague,\n\nOur advice is below.\n")
    review.edit(store, draft, by="sam", body="Dear colleague,\n\nOur advice is below!\n")
    otto = client(config, store, second_approver=True)
    login(otto)
    page = otto.get(f"/drafts/{draft}").get_data(as_text=True)
    assert "a second operator must approve it" in page
    token = csrf_of(otto.get(f"/drafts/{draft}"))
    refused = otto.post(f"/drafts/{draft}/approve", data={"csrf": token})
    assert refused.status_code == 409 and "second operator" in refused.get_data(as_text=True)
    ada = client(config, store, second_approver=True)
    login(ada, "ada")
    assert "a second operator must approve it" not in ada.get(f"/drafts/{draft}").get_data(as_text=True)
    token = csrf_of(ada.get(f"/drafts/{draft}"))
    assert ada.post(f"/drafts/{draft}/approve", data={"csrf": token}).status_code == 303
