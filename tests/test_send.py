"""The send stage against a real SMTP server (aiosmtpd, STARTTLS and AUTH).

Every test counts what the server accepted: nothing may arrive twice.
"""

from __future__ import annotations

import email
import os
import signal
import subprocess
import sys
import time
from email import policy

import pytest

from crumail import review
from crumail.review.message import sha256
from crumail.send import send_approved
from crumail.store import drafts as store
from crumail.store.db import transaction
from support.drafts import CLEAN_BODY, LEAKY_BODY, POLICE_ONLY_BODY, make_draft
from support.mail import EXTERNAL
from support.config import outbound as config
from support.drafts import JUSTIFICATION


def smtp_config(tmp_path, server, **smtp):
    return config(tmp_path, smtp=server.smtp_table(**smtp), send={"transport": "smtp"})


def approved(cfg, db, body=CLEAN_BODY, **kwargs) -> int:
    draft = make_draft(db, body, **kwargs)
    review.approve(cfg, db, draft, by="Operator One", override=kwargs.get("override"))
    return draft


def actions(db, draft) -> list[str]:
    return [h.action for h in review.history(db, draft)]


def test_an_approved_draft_leaves_once_over_starttls_with_auth(tmp_path, db, smtp_server):
    cfg = smtp_config(tmp_path, smtp_server)
    draft = approved(cfg, db)
    report = send_approved(cfg, db)
    assert report.sent == [draft]
    sent = review.get_draft(db, draft)
    assert sent.state == "sent" and sent.transport == "smtp"
    [got] = smtp_server.messages
    assert got.rcpt_tos == ["foi@eastmoor.example.police.uk"]
    mail = email.message_from_bytes(got.data, policy=policy.default)
    assert mail["Message-ID"].strip() == sent.message_id
    assert mail["In-Reply-To"].strip() == "<referral-1@eastmoor.example.police.uk>"
    assert "force-wide totals" in mail.get_body().get_content()
    assert send_approved(cfg, db).sent == []  # a second run sends nothing
    assert len(smtp_server.messages) == 1
    assert actions(db, draft) == ["drafted", "approved", "sending", "sent"]


def test_a_leaked_mobile_blocked_overridden_sent_and_audited(tmp_path, db, smtp_server):
    cfg = smtp_config(tmp_path, smtp_server)
    draft = make_draft(db, LEAKY_BODY)
    with pytest.raises(review.ApprovalBlocked):
        review.approve(cfg, db, draft, by="Operator One")
    review.approve(cfg, db, draft, by="Operator One", override=JUSTIFICATION)
    assert send_approved(cfg, db).sent == [draft]
    assert b"07700 900123" in smtp_server.messages[0].data
    history = review.history(db, draft)
    assert [h.action for h in history] == ["drafted", "approved_with_override", "sending", "sent"]
    override = history[1]
    assert override.actor == "Operator One" and override.comment == JUSTIFICATION
    assert [f["text"] for f in override.detail["findings"] if f["check"] == "phone"] == ["07700 900123"]


def test_a_police_only_circulation_to_an_external_address_is_never_sent(tmp_path, db, smtp_server):
    cfg = smtp_config(tmp_path, smtp_server)
    draft = make_draft(db, POLICE_ONLY_BODY, to=(EXTERNAL,), marking="OFFICIAL-SENSITIVE",
                       caveats=("POLICE EYES ONLY",))
    with pytest.raises(review.ApprovalBlocked):
        review.approve(cfg, db, draft, by="Operator One", override=JUSTIFICATION)
    # Even forced to "approved" behind the desk's back, with its hash right,
    # the send stage's own checks refuse it.
    _force_approval(cfg, db, draft)
    report = send_approved(cfg, db)
    assert [d for d, _ in report.refused] == [draft]
    assert "police network" in report.refused[0][1]
    assert review.get_draft(db, draft).state == "failed"
    assert smtp_server.messages == []


def test_a_body_changed_after_approval_is_refused(tmp_path, db, smtp_server):
    cfg = smtp_config(tmp_path, smtp_server)
    draft = approved(cfg, db)
    with transaction(db):
        store.update(db, draft, ["approved"], body=CLEAN_BODY + "\nAn unreviewed line.\n")
    report = send_approved(cfg, db)
    assert report.refused and "differs from the one approved" in report.refused[0][1]
    assert smtp_server.messages == []


def test_a_refused_recipient_fails_the_draft_with_the_servers_reply(tmp_path, db, smtp_server):
    cfg = smtp_config(tmp_path, smtp_server)
    smtp_server.behaviour.refuse_rcpt = "550 5.1.1 mailbox unavailable"
    draft = approved(cfg, db)
    report = send_approved(cfg, db)
    assert [d for d, _ in report.failed] == [draft]
    failed = review.get_draft(db, draft)
    assert failed.state == "failed" and "550 5.1.1 mailbox unavailable" in failed.last_error
    assert smtp_server.messages == []


def test_a_message_refused_at_the_end_of_data_fails(tmp_path, db, smtp_server):
    cfg = smtp_config(tmp_path, smtp_server)
    smtp_server.behaviour.data_replies = ["554 5.7.1 rejected by content filter"]
    draft = approved(cfg, db)
    send_approved(cfg, db)
    assert "554 5.7.1" in review.get_draft(db, draft).last_error
    assert review.get_draft(db, draft).state == "failed"


def test_a_deferral_is_retried_and_delivered_once(tmp_path, db, smtp_server):
    cfg = smtp_config(tmp_path, smtp_server)
    smtp_server.behaviour.data_replies = ["451 4.3.0 try again later"]
    draft = approved(cfg, db)
    assert send_approved(cfg, db).sent == [draft]
    assert len(smtp_server.messages) == 1


def test_a_server_that_times_out_before_data_is_retried(tmp_path, db, smtp_server):
    cfg = smtp_config(tmp_path, smtp_server, timeout=1)
    smtp_server.behaviour.stall_mail = [3]
    draft = approved(cfg, db)
    assert send_approved(cfg, db).sent == [draft]
    assert len(smtp_server.messages) == 1


def test_a_connection_dropped_mid_data_is_retried_and_delivered_once(tmp_path, db, smtp_server):
    cfg = smtp_config(tmp_path, smtp_server)
    smtp_server.behaviour.drop_mid_data = 1
    draft = approved(cfg, db)
    assert send_approved(cfg, db).sent == [draft]
    assert smtp_server.dropped == 1 and len(smtp_server.messages) == 1


def test_a_reply_lost_after_the_message_leaves_it_unconfirmed_never_resent(tmp_path, db, smtp_server):
    cfg = smtp_config(tmp_path, smtp_server, timeout=1)
    smtp_server.behaviour.stall_after_data = [3]  # takes the mail, answers too late
    draft = approved(cfg, db)
    report = send_approved(cfg, db)
    assert [d for d, _ in report.unconfirmed] == [draft]
    assert review.get_draft(db, draft).state == "unconfirmed"
    time.sleep(2.5)
    assert send_approved(cfg, db).sent == []
    assert len(smtp_server.messages) == 1
    # The operator, having seen it arrive, settles it.
    review.confirm_sent(db, draft, by="Operator One", comment="recipient confirmed receipt by phone")
    assert review.get_draft(db, draft).state == "sent"


def test_a_server_that_stays_down_defers_the_draft_for_a_later_run(tmp_path, db, smtp_server):
    cfg = smtp_config(tmp_path, smtp_server)
    smtp_server.stop()
    draft = approved(cfg, db)
    report = send_approved(cfg, db)
    assert [d for d, _ in report.retrying] == [draft]
    later = review.get_draft(db, draft)
    assert later.state == "approved" and later.attempts == 1 and later.next_attempt
    assert actions(db, draft)[-1] == "deferred"
    assert send_approved(cfg, db).retrying == []  # not due yet


def test_an_untrusted_certificate_is_not_sent_to(tmp_path, db, smtp_server):
    table = smtp_server.smtp_table()
    table.pop("cafile")
    cfg = config(tmp_path, smtp=table, send={"transport": "smtp"})
    draft = approved(cfg, db)
    report = send_approved(cfg, db)
    assert [d for d, _ in report.retrying] == [draft]
    assert "CERTIFICATE_VERIFY_FAILED" in report.retrying[0][1] or "certificate" in report.retrying[0][1]
    assert smtp_server.messages == []


def test_killed_while_sending_then_restarted_nothing_is_sent_twice(tmp_path, db, smtp_server):
    cfg_file = tmp_path / "crumail.toml"
    table = smtp_server.smtp_table(timeout=60)
    cfg_file.write_text(
        f'[database]\npath = "{tmp_path / "crumail.db"}"\n'
        '[redaction]\ninternal_domains = ["police.uk"]\n[send]\ntransport = "smtp"\n[smtp]\n'
        + "".join(f'{k} = {v!r}\n' if isinstance(v, int) else f'{k} = "{v}"\n' for k, v in table.items()))
    cfg = smtp_config(tmp_path, smtp_server)
    draft = approved(cfg, db)
    smtp_server.behaviour.stall_after_data = [30]  # the message is taken; the reply never comes in time
    child = subprocess.Popen([sys.executable, "-c", "import sys; from crumail.cli import main; sys.exit(main())",
                              "--config", str(cfg_file), "send"], env={**os.environ},
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 30
        while not smtp_server.messages and time.monotonic() < deadline:
            time.sleep(0.05)
        assert smtp_server.messages, child.stderr.read1().decode(errors="replace") if child.poll() is not None else "no message"
        assert review.get_draft(db, draft).state == "sending"
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=10)
    finally:
        if child.poll() is None:
            child.kill()
    report = send_approved(cfg, db)  # the restart
    assert [d for d, _ in report.unconfirmed] == [draft]
    assert review.get_draft(db, draft).state == "unconfirmed"
    assert send_approved(cfg, db).sent == []
    assert len(smtp_server.messages) == 1
    assert actions(db, draft)[-2:] == ["sending", "unconfirmed"]


def _force_approval(cfg, db, draft_id):
    """What a bug or a hand-typed UPDATE could do: approve without the desk."""
    from crumail.review.message import build_message, date_header, new_message_id

    draft = review.get_draft(db, draft_id)
    message_id, date = new_message_id(draft), date_header()
    data = build_message(draft, message_id, date)
    with transaction(db):
        store.update(db, draft_id, ["drafted"], state="approved", message_id=message_id, date_header=date,
                     approved_sha256=sha256(data), approved_by="nobody")


def test_a_referral_from_arrival_to_sent(tmp_path, db, smtp_server):
    from crumail.drafts.stage import draft_pending
    from crumail.intake.pipeline import run_source
    from crumail.sources.directory import FileSource
    from support.mail import referral, utc

    cfg = smtp_config(tmp_path, smtp_server)
    mail = tmp_path / "referral.eml"
    mail.write_bytes(referral(utc(2023, 12, 11, 10, 0)))
    run_source(db, FileSource([mail], name="test"))
    draft_pending(cfg, db)
    ack, advice = store.select(db)
    review.approve(cfg, db, ack.id, by="Operator One")
    with pytest.raises(review.ApprovalBlocked):  # the advice still has its placeholders
        review.approve(cfg, db, advice.id, by="Operator One")
    assert send_approved(cfg, db).sent == [ack.id]
    [got] = smtp_server.messages
    mail = email.message_from_bytes(got.data, policy=policy.default)
    assert got.rcpt_tos == ["foi@eastmoor.example.police.uk"]
    assert mail["In-Reply-To"].strip() == "<referral-1@eastmoor.example.police.uk>"
    assert mail["Subject"] == "Log No. 1/23 - Acknowledgement - FOI referral - speed cameras"
    assert "due by 11 January 2024" in mail.get_body().get_content()
    assert actions(db, ack.id) == ["drafted", "approved", "sending", "sent"]
