"""The PSNI-like and Norfolk-and-Suffolk-like workbooks cannot leave (issue 10).

Each is blocked, with no justification able to release it, through
``crumail check`` on an .eml, through approval of a draft it is attached
to (``crumail drafts attach``), and at send against a real SMTP server
(aiosmtpd): nothing is delivered.  The desk's approve button is in
test_attachment_desk.py.
"""

from __future__ import annotations

import json
from email.message import EmailMessage
from pathlib import Path

import pytest
from click.testing import CliRunner

from crumail import review
from crumail.cli import main
from crumail.review.message import build_message, date_header, new_message_id, sha256
from crumail.send import send_approved
from crumail.store import draft_files, drafts as store
from crumail.store.db import transaction
from support.config import outbound as config
from support.drafts import CLEAN_BODY, JUSTIFICATION, make_draft
from support.mail import EXTERNAL

CORPUS = Path(__file__).resolve().parent / "data" / "attachments"
#: a visible summary and a hidden sheet of surnames, initials, ranks and staff numbers
PSNI = "xlsx-hidden-sheet-staff.xlsx"
#: a visible table and a pivot cache keeping the raw records of victims, witnesses and suspects
NORFOLK = "xlsx-pivot-cache-victims.xlsx"
WORKBOOKS = [(PSNI, "hidden_sheet", "sheet Staff (hidden)"), (NORFOLK, "pivot_cache", "pivot cache 1")]


def reply_with(name: str) -> bytes:
    message = EmailMessage()
    message["From"] = "foi@example.police.uk"
    message["To"] = EXTERNAL
    message["Subject"] = "Your FOI request: officers by rank"
    message.set_content("Dear Applicant,\n\nPlease find the figures attached.\n\nFOI Unit\n")
    data = (CORPUS / name).read_bytes()
    message.add_attachment(data, maintype="application", subtype="octet-stream", filename=name)
    return message.as_bytes()


def cli(tmp_path: Path, *args: str, input: bytes | None = None):
    cfg = tmp_path / "crumail.toml"
    if not cfg.exists():
        cfg.write_text(f'[database]\npath = "{tmp_path / "crumail.db"}"\n\n[redaction]\n'
                       'internal_domains = ["police.uk"]\n')
    return CliRunner().invoke(main, ["--config", str(cfg), *args], input=input)


@pytest.mark.parametrize("name, check, location", WORKBOOKS)
def test_crumail_check_reads_the_attached_workbook_and_blocks(tmp_path: Path, name: str, check: str,
                                                               location: str) -> None:
    result = cli(tmp_path, "check", "--json", "-", input=reply_with(name))
    assert result.exit_code == 3, result.output
    findings = json.loads(result.stdout)["findings"]
    inside = [f for f in findings if f.get("attachment") == name]
    assert any(f["check"] == check and f["location"] == location and not f["overridable"] for f in inside)
    assert any(f["check"] == "name" and f["location"].startswith(location) for f in inside)
    assert all(f["part"] == "attachment" for f in inside)
    text = cli(tmp_path, "check", "-", input=reply_with(name))
    assert text.exit_code == 3 and f"[{name}, {location}]" in text.stdout


@pytest.mark.parametrize("name, check, location", WORKBOOKS)
def test_approval_refuses_a_draft_carrying_the_workbook_even_with_a_justification(
        tmp_path: Path, db, name: str, check: str, location: str) -> None:
    cfg = config(tmp_path)
    draft = make_draft(db, CLEAN_BODY, to=(EXTERNAL,))
    review.attach(db, draft, name, (CORPUS / name).read_bytes(), by="Operator One")
    for override in (None, JUSTIFICATION):
        with pytest.raises(review.ApprovalBlocked) as refused:
            review.approve(cfg, db, draft, by="Operator One", override=override)
        assert name in str(refused.value) and "No justification" in str(refused.value)
    grouped = review.findings_by_file(review.check_draft(cfg, db, draft).report)
    assert {f.check for f in grouped[name]} >= {check, "name"}
    assert review.get_draft(db, draft).state == "edited"  # attaching is a change; approval never came


def test_crumail_drafts_attach_stores_the_file_and_revokes_an_approval(tmp_path: Path) -> None:
    from crumail.store import open_database

    assert cli(tmp_path, "status").exit_code in (0, 1)  # the database exists
    db = open_database(tmp_path / "crumail.db")
    draft = make_draft(db, CLEAN_BODY)  # to a force: police network, nothing blocks
    cfg = config(tmp_path)
    review.approve(cfg, db, draft, by="Operator One")
    path = tmp_path / "minutes.pdf"  # a Word document under a PDF's name
    path.write_bytes((CORPUS / "docx-body-personal.docx").read_bytes())
    result = cli(tmp_path, "drafts", "attach", str(draft), str(path))
    assert result.exit_code == 0, result.output
    assert "minutes.pdf: BLOCKED" in result.stdout and "phone" in result.stdout
    [row] = draft_files.listed(db, draft)
    assert (row["filename"], row["kind"]) == ("minutes.pdf", "docx")
    assert review.get_draft(db, draft).state == "edited"  # the approval went with the change
    assert [h.action for h in review.history(db, draft)][-1] == "attached"
    link = tmp_path / "link.xlsx"
    link.symlink_to(CORPUS / PSNI)
    refused = cli(tmp_path, "drafts", "attach", str(draft), str(link))
    assert refused.exit_code == 1 and len(draft_files.listed(db, draft)) == 1
    assert cli(tmp_path, "drafts", "detach", str(draft), str(row["id"])).exit_code == 0
    assert draft_files.listed(db, draft) == []
    db.close()


def test_a_file_over_the_cap_is_refused(tmp_path: Path, db) -> None:
    from crumail.limits import Limits

    draft = make_draft(db, CLEAN_BODY)
    with pytest.raises(review.ReviewError, match=r"max_draft_attachment_bytes"):
        review.attach(db, draft, "big.csv", b"x" * 101, by="Operator One", limits=Limits(max_draft_attachment_bytes=100))
    assert draft_files.listed(db, draft) == []


def _force_approval(db, draft_id: int) -> None:
    """What an older crumail (which never read attachments) or a hand-typed UPDATE could leave."""
    draft = review.get_draft(db, draft_id)
    message_id, date = new_message_id(draft), date_header()
    data = build_message(draft, message_id, date, draft_files.files(db, draft_id))
    with transaction(db):
        store.update(db, draft_id, ["drafted", "edited"], state="approved", message_id=message_id,
                     date_header=date, approved_sha256=sha256(data), approved_by="nobody")


@pytest.mark.server
@pytest.mark.parametrize("name, check, location", WORKBOOKS)
def test_the_send_stage_reads_the_workbook_again_and_nothing_leaves(tmp_path: Path, db, smtp_server, name: str,
                                                                     check: str, location: str) -> None:
    cfg = config(tmp_path, smtp=smtp_server.smtp_table(), send={"transport": "smtp"})
    draft = make_draft(db, CLEAN_BODY, to=(EXTERNAL,))
    review.attach(db, draft, name, (CORPUS / name).read_bytes(), by="Operator One")
    _force_approval(db, draft)
    report = send_approved(cfg, db)
    assert [d for d, _ in report.refused] == [draft]
    assert check in report.refused[0][1] and name in report.refused[0][1]
    assert review.get_draft(db, draft).state == "failed"
    assert smtp_server.messages == []


def test_a_draft_with_files_builds_the_same_bytes_every_time(db) -> None:
    """The approval hash covers the files: the MIME boundary is fixed, not random."""
    draft = make_draft(db, CLEAN_BODY)
    review.attach(db, draft, "counts.csv", (CORPUS / "csv-counts.csv").read_bytes(), by="Operator One")
    loaded = review.get_draft(db, draft)
    first, second = (build_message(loaded, "<m@example.police.uk>", "Mon, 1 Jan 2024 10:00:00 +0000",
                                   draft_files.files(db, draft)) for _ in range(2))
    assert first == second and b"counts.csv" in first


@pytest.mark.parametrize("name, check, location", WORKBOOKS)
def test_crumail_redact_files_offers_a_cleaned_copy_checked_again(tmp_path: Path, name: str, check: str,
                                                                   location: str) -> None:
    """The hidden sheet or the pivot cache is dropped, the copy is checked again, and the draft can go."""
    import openpyxl

    from crumail.store import open_database

    assert cli(tmp_path, "status").exit_code in (0, 1)
    db = open_database(tmp_path / "crumail.db")
    draft = make_draft(db, CLEAN_BODY, to=(EXTERNAL,))
    review.attach(db, draft, name, (CORPUS / name).read_bytes(), by="Operator One")
    result = cli(tmp_path, "redact", str(draft), "--files", "--yes")
    assert result.exit_code == 0, result.output
    assert f"-- {name}: a cleaned copy drops" in result.stdout and f"-- {name}: clean" in result.stdout
    [row] = draft_files.listed(db, draft)
    [cleaned] = draft_files.files(db, draft)
    book = openpyxl.load_workbook(__import__("io").BytesIO(cleaned.data))  # still a workbook Excel opens
    assert "Staff" not in book.sheetnames and book.properties.creator in (None, "")
    assert [h.action for h in review.history(db, draft)][-1] == "cleaned"
    review.approve(config(tmp_path), db, draft, by="Operator One")
    assert review.get_draft(db, draft).state == "approved"
    db.close()


def test_the_cleaned_word_document_keeps_its_text_and_loses_what_hid(tmp_path: Path, db) -> None:
    import io

    import docx

    from crumail.checks.attachments.clean import clean

    for name, gone in (("docx-tracked-deletion.docx", "Harriet Tarrant"), ("docx-hidden-text-personal.docx", "07700"),
                       ("docx-comment-personal.docx", "07700")):
        data, dropped = clean((CORPUS / name).read_bytes())
        document = docx.Document(io.BytesIO(data))
        text = "\n".join(p.text for p in document.paragraphs)
        assert text.strip() and gone not in text and dropped, name
        assert gone.encode() not in b"".join(__import__("zipfile").ZipFile(io.BytesIO(data)).read(n)
                                             for n in __import__("zipfile").ZipFile(io.BytesIO(data)).namelist())
