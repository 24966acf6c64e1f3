"""The other transports: IMAP APPEND to a real Dovecot's Drafts folder, and the outbox folder."""

from __future__ import annotations

import socket

from crumail import review
from crumail.review.message import build_message, sha256
from crumail.send import send_approved
from crumail.send.stage import build_transport
from crumail.store import drafts as store
from crumail.store.db import transaction
from support.drafts import CLEAN_BODY, make_draft
from support.config import outbound as config


def _approve(cfg, db) -> int:
    draft = make_draft(db, CLEAN_BODY)
    review.approve(cfg, db, draft, by="Operator One")
    return draft


def _imap_config(tmp_path, dovecot, user, folder="Drafts"):
    return config(tmp_path, send={"transport": "imap", "imap": {
        "host": dovecot.host, "port": dovecot.port, "security": "plain", "username": user,
        "password_env": "CRUMAIL_TEST_IMAP_PASSWORD", "folder": folder, "timeout": 10}})


def test_imap_append_puts_the_draft_in_the_drafts_folder(tmp_path, db, dovecot, imap_user):
    with dovecot.client(imap_user) as client:
        client.create_folder("Drafts")
    cfg = _imap_config(tmp_path, dovecot, imap_user)
    draft = _approve(cfg, db)
    assert send_approved(cfg, db).sent == [draft]
    sent = review.get_draft(db, draft)
    assert sent.state == "sent" and sent.transport == "imap"
    with dovecot.client(imap_user) as client:
        client.select_folder("Drafts", readonly=True)
        [uid] = client.search(["HEADER", "Message-ID", sent.message_id])
        fetched = client.fetch([uid], ["FLAGS", "RFC822"])[uid]
    assert b"\\Draft" in fetched[b"FLAGS"]
    assert sha256(fetched[b"RFC822"]) == sent.approved_sha256
    assert build_transport(cfg).delivered(sent.message_id) is True
    assert send_approved(cfg, db).sent == []


def test_imap_append_to_a_missing_folder_fails_with_the_servers_reply(tmp_path, db, dovecot, imap_user):
    cfg = _imap_config(tmp_path, dovecot, imap_user, folder="No Such Folder")
    draft = _approve(cfg, db)
    report = send_approved(cfg, db)
    assert [d for d, _ in report.failed] == [draft]
    assert "TRYCREATE" in review.get_draft(db, draft).last_error or "exist" in review.get_draft(db, draft).last_error


def test_the_outbox_is_the_default_and_holds_the_exact_approved_bytes(tmp_path, db):
    cfg = config(tmp_path)
    draft = _approve(cfg, db)
    assert send_approved(cfg, db).sent == [draft]
    [written] = list((tmp_path / "outbox").glob("*.eml"))
    assert sha256(written.read_bytes()) == review.get_draft(db, draft).approved_sha256


def _left_sending(db, draft: int) -> None:
    """What a process killed between handing over and recording leaves behind."""
    dead = f"{socket.gethostname()}:{2 ** 22 + 12345}:0"
    with transaction(db):
        store.update(db, draft, ["approved"], state="sending", sending_token=dead, transport="outbox")


def test_after_a_crash_the_outbox_shows_what_left(tmp_path, db):
    cfg = config(tmp_path)
    draft = _approve(cfg, db)
    transport = build_transport(cfg)
    approved = review.get_draft(db, draft)
    transport.deliver(build_message(approved), approved.from_address, list(approved.to), approved.message_id)
    _left_sending(db, draft)
    assert send_approved(cfg, db).sent == [draft]
    assert review.history(db, draft)[-1].comment == "found by outbox after a restart"
    assert len(list((tmp_path / "outbox").glob("*.eml"))) == 1


def test_after_a_crash_without_proof_the_draft_is_unconfirmed(tmp_path, db):
    cfg = config(tmp_path)
    draft = _approve(cfg, db)
    _left_sending(db, draft)
    report = send_approved(cfg, db)
    assert [d for d, _ in report.unconfirmed] == [draft]
    assert not list((tmp_path / "outbox").glob("*.eml"))
    # The operator decides it did not leave: it goes again, with the same Message-ID.
    message_id = review.get_draft(db, draft).message_id
    review.requeue(db, draft, by="Operator One", comment="not in the outbox nor with the relay")
    assert send_approved(cfg, db).sent == [draft]
    assert review.get_draft(db, draft).message_id == message_id


def test_smtp_over_implicit_tls(tmp_path, db, smtps_server):
    cfg = config(tmp_path, smtp=smtps_server.smtp_table(), send={"transport": "smtp"})
    draft = _approve(cfg, db)
    assert send_approved(cfg, db).sent == [draft]
    assert len(smtps_server.messages) == 1


def test_the_cli_sends_what_the_cli_approved(tmp_path, db):
    from click.testing import CliRunner

    from crumail.cli import main

    cfg_file = tmp_path / "crumail.toml"
    cfg_file.write_text(f'[database]\npath = "{tmp_path / "crumail.db"}"\n'
                        f'[outbox]\npath = "{tmp_path / "outbox"}"\n'
                        '[redaction]\ninternal_domains = ["police.uk"]\n')
    draft = make_draft(db, CLEAN_BODY)
    run = lambda *args: CliRunner().invoke(main, ["--config", str(cfg_file), *args])  # noqa: E731
    assert run("drafts", "approve", str(draft)).exit_code == 0      # no desk account: the OS user approves
    result = run("send", "--json")
    assert result.exit_code == 0, result.output
    import json

    assert json.loads(result.stdout)["sent"] == [draft]
    assert run("send").stdout.startswith("0 sent")
