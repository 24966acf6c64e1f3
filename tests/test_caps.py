"""Caps on what a sender controls: each hostile case a tester found, end to end
in a process whose address space is capped, and each cap's own behaviour
(what is cut, what is quarantined, what the operator is told)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import fields
from pathlib import Path

import pytest

from support import hostile
from support.hostile import line_events
from crumail.config import from_dict
from crumail.errors import ConfigError, OverLimitError
from crumail.extract import extract
from crumail.intake.prepare import prepare
from crumail.limits import Limits
from crumail.model import RawMessage
from crumail.parse import parse_bytes, rtf
from crumail.store.batch import Rejected

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
#: Beyond what the process holds once set up (the tester's bound: 200 MB).
MEMORY_MB = 200
#: A hang guard only: the old code took 4.5 minutes (or forever) on some cases.
HANG_GUARD = 240


def run_case(case: str, tmp_path: Path) -> dict:
    """tests/support/hostile_run.py CASE in a fresh process with RLIMIT_AS at its set-up size + 200 MB."""
    done = subprocess.run([sys.executable, str(HERE / "support" / "hostile_run.py"), case, str(tmp_path),
                           "--limit-mb", str(MEMORY_MB)],
                          capture_output=True, text=True, timeout=HANG_GUARD, cwd=REPO)
    assert done.returncode == 0, f"{case} failed within {MEMORY_MB} MB:\n{done.stderr[-3000:]}"
    result = json.loads(done.stdout)
    peaks = {step: figures["peak_mb"] for step, figures in result["steps"].items()}
    assert max(peaks.values()) < MEMORY_MB, f"{case}: resident memory grew by {peaks} MB"
    return result


def defects(result: dict) -> str:
    return " ".join(m["defects_json"] for m in result["messages"])


def pages_answered(result: dict) -> None:
    assert result["pages"], "no draft page was opened"
    assert {p["status"] for p in result["pages"].values()} == {200}, result["pages"]


# -- the tester's cases, end to end under a memory cap -----------------------------

@pytest.mark.slow
@pytest.mark.parametrize("case", ["subject_300k", "subject_10m"])
def test_a_huge_one_word_subject_is_cut_and_its_drafts_open(case, tmp_path):
    result = run_case(case, tmp_path)
    assert result["counts"]["stored"] == 1 and len(result["drafts"]) == 2
    (message,) = result["messages"]
    assert len(message["subject"]) == Limits().max_subject_chars
    assert "[intake] max_subject_chars" in defects(result)
    pages_answered(result)


@pytest.mark.slow
def test_thirty_thousand_phone_numbers_open_on_the_desk_with_the_rest_counted(tmp_path):
    result = run_case("phones_30k", tmp_path)
    assert result["counts"]["stored"] == 1
    pages_answered(result)
    advice = max(result["drafts"])
    assert result["pages"][f"/drafts/{advice}"]["findings_hidden"]
    assert result["pages"][f"/drafts/{advice}/redact"]["redaction_hidden"]


@pytest.mark.slow
def test_a_hundred_thousand_recipients_are_cut_to_the_cap(tmp_path):
    result = run_case("recipients_100k", tmp_path)
    assert result["counts"]["stored"] == 1
    (message,) = result["messages"]
    assert message["to_length"] < 40_000   # 500 addresses as JSON
    assert "[intake] max_recipients" in defects(result)
    pages_answered(result)


@pytest.mark.slow
def test_thirty_thousand_questions_are_cut_to_the_cap(tmp_path):
    result = run_case("questions_30k", tmp_path)
    assert result["counts"]["stored"] == 1
    pages_answered(result)


@pytest.mark.slow
def test_a_21_mb_msg_whose_rtf_expands_eightfold_is_read_to_the_cap(tmp_path):
    result = run_case("rtf_21mb", tmp_path)
    assert result["counts"]["stored"] == 1
    assert "[intake] max_rtf_bytes" in defects(result)


@pytest.mark.slow
def test_an_outlook_file_with_4000_recipients_is_quarantined_before_olefile_reads_it(tmp_path):
    result = run_case("msg_recipients_4k", tmp_path)
    assert result["counts"]["quarantined"] == 1
    (entry,) = result["quarantine"]
    assert entry["stage"] == "size" and "[intake] max_outlook_entries" in entry["reason"]


@pytest.mark.slow
def test_an_outlook_file_whose_attachments_share_sectors_is_quarantined_unread(tmp_path):
    """200 attachments chained into one 4 MB attachment's sectors: 800 MB if read."""
    result = run_case("msg_shared_sectors", tmp_path)
    assert result["counts"]["quarantined"] == 1
    (entry,) = result["quarantine"]
    assert entry["stage"] == "size" and "share storage" in entry["reason"]


# -- work past a cap does not grow ---------------------------------------------------------

def test_recipients_past_the_cap_cost_nothing_more():
    """Twenty thousand recipients or eighty thousand: the same work once cut
    (the parsers ran over every one: 100,000 took 8.2 s)."""
    work = [line_events(lambda n=n: parse_bytes(hostile.recipients(n))) for n in (20_000, 80_000)]
    assert work[1] / work[0] < 1.5, f"{work[0]:,} then {work[1]:,} line events"


def test_an_outlook_directory_past_the_cap_is_refused_in_time_linear_in_the_file():
    """olefile and extract-msg look entries up in lists: 4x the recipients took
    about 10x the time (56 s for 4,000).  Refused first, the work is one walk."""
    small, large = hostile.many_recipients_msg(500), hostile.many_recipients_msg(2000)

    def parse(data: bytes) -> None:
        with pytest.raises(OverLimitError):
            parse_bytes(data, "r.msg")

    # olefile and extract-msg are pure Python: their list look-ups are counted lines
    parse(small)   # warm: the first parse imports and caches, and those lines would count
    ratio = line_events(lambda: parse(large)) / line_events(lambda: parse(small))
    assert ratio < 8, f"4x the recipients took {ratio:.1f}x the line events"


# -- the caps in the config ---------------------------------------------------------

def test_caps_are_read_from_their_tables_and_checked(tmp_path):
    config = from_dict({"intake": {"max_recipients": 7}, "web": {"max_findings_shown": 9},
                        "redaction": {"max_diff_changes": 11}}, tmp_path)
    assert (config.limits.max_recipients, config.limits.max_findings_shown,
            config.limits.max_diff_changes) == (7, 9, 11)
    assert config.limits.max_subject_chars == Limits().max_subject_chars
    assert config.max_message_bytes == Limits().max_message_bytes
    for bad in (0, -1, "10", 2.5, True):
        with pytest.raises(ConfigError, match=r"intake\.max_questions"):
            from_dict({"intake": {"max_questions": bad}}, tmp_path)


def test_every_cap_is_in_the_readme_with_its_key_and_default():
    rows = [[cell.strip() for cell in line.split("|")[1:-1]]
            for line in (REPO / "README.md").read_text(encoding="utf-8").splitlines() if line.startswith("|")]
    caps = {row[1].strip("`"): row[2] for row in rows if len(row) == 4}
    for item in fields(Limits):
        key = Limits.key(item.name)
        assert key in caps, f"{key} is not in the README's Caps table"
        assert caps[key].split()[0] == str(item.default), f"{key}: the README's default is not {item.default}"


# -- headers and recipients -----------------------------------------------------------

def test_a_long_subject_is_cut_with_a_defect():
    parsed = parse_bytes(hostile.referral(subject="Drones " * 1000), limits=Limits(max_subject_chars=50))
    assert parsed.subject == ("Drones " * 1000)[:50]
    assert any("max_subject_chars" in d for d in parsed.defects)


def test_recipients_are_cut_across_the_address_headers_keeping_the_first():
    to = ", ".join(f'"Person {i}, FOI" <p{i}@example.org>' for i in range(30))
    data = hostile.referral(to=to).replace(b"Date:", b"Cc: c1@example.org, c2@example.org\r\nDate:")
    parsed = parse_bytes(data, limits=Limits(max_recipients=11))
    assert [a.address for a in parsed.to] == [f"p{i}@example.org" for i in range(10)]
    assert parsed.to[3].name == "Person 3, FOI"     # a comma inside quotes is not a separator
    assert parsed.cc == ()
    assert any("22 address(es) past the first 11" in d for d in parsed.defects)


def test_an_address_header_over_the_length_cap_is_cut_at_an_address():
    to = ", ".join(f"p{i}@example.org" for i in range(2000))
    parsed = parse_bytes(hostile.referral(to=to), limits=Limits(max_header_chars=1000, max_recipients=10_000))
    assert 50 < len(parsed.to) < 70
    assert all(a.address and a.address.endswith("@example.org") for a in parsed.to)
    assert any("header To: cut" in d and "max_header_chars" in d for d in parsed.defects)


def test_recipients_of_an_outlook_file_are_capped_too():
    parsed = parse_bytes(hostile.many_recipients_msg(40), "r.msg", Limits(max_recipients=25))
    assert len(parsed.to) == 25
    assert any("15 address(es) past the first 25" in d and "max_recipients" in d for d in parsed.defects)


# -- RTF, attachments, Outlook directories ------------------------------------------

def test_compressed_rtf_decompresses_to_the_cap_and_says_so():
    packed = hostile.lzfu_bomb(20_000)
    whole = rtf.decompress(packed)
    assert len(whole) > 150_000
    body, cut = rtf.decompress_capped(packed, 50_000)
    assert cut and body == whole[:50_000]
    assert rtf.decompress_capped(packed, len(whole) + 1) == (whole, False)


def test_an_rtf_only_msg_is_read_up_to_max_rtf_bytes():
    parsed = parse_bytes(hostile.rtf_bomb_msg(100_000), "bomb.msg", Limits(max_rtf_bytes=30_000))
    assert parsed.text_source == "rtf" and parsed.text.startswith("Referral")
    assert len(parsed.text) < 30_000
    assert any("max_rtf_bytes" in d for d in parsed.defects)


def test_an_rtf_part_of_an_eml_is_read_up_to_max_rtf_bytes():
    data = (b"From: a@example.org\r\nSubject: rtf\r\nContent-Type: text/rtf\r\n\r\n"
            b"{\\rtf1\\ansi Request \\par " + b"{\\b x}" * 20_000 + b"}")
    parsed = parse_bytes(data, limits=Limits(max_rtf_bytes=10_000))
    assert parsed.text.startswith("Request") and any("max_rtf_bytes" in d for d in parsed.defects)


def test_body_text_is_read_up_to_max_body_chars():
    plain = parse_bytes(hostile.referral(extra="x" * 5000), limits=Limits(max_body_chars=1000))
    assert len(plain.text) == 1000 and any("max_body_chars" in d for d in plain.defects)
    html = (b"From: a@example.org\r\nSubject: html\r\nContent-Type: text/html\r\n\r\n<p>Request</p>"
            + b"<p>words</p>" * 1000)
    parsed = parse_bytes(html, limits=Limits(max_body_chars=500))
    assert len(parsed.html) == 500 and parsed.text.startswith("Request")


def test_an_outlook_file_over_the_directory_cap_is_quarantined_with_the_reason():
    data = hostile.many_recipients_msg(40)
    with pytest.raises(OverLimitError, match=r"directory entries.*\[intake\] max_outlook_entries"):
        parse_bytes(data, "r.msg", Limits(max_outlook_entries=100))
    rejected = prepare(RawMessage(data, "test", "r.msg", filename="r.msg"), Limits(max_outlook_entries=100))
    assert isinstance(rejected, Rejected) and rejected.stage == "size"


def test_an_outlook_attachment_over_max_attachment_bytes_is_quarantined():
    msgforge = pytest.importorskip("msgforge")
    message = msgforge.Message(subject="Referral", text_body="See attached.")
    message.attach_bytes("scan.pdf", os.urandom(200_000), "application/pdf")
    data = message.as_bytes()
    with pytest.raises(OverLimitError, match=r"\[intake\] max_attachment_bytes"):
        parse_bytes(data, "a.msg", Limits(max_attachment_bytes=100_000))
    assert parse_bytes(data, "a.msg").attachments[0].size == 200_000


# -- questions and advice -------------------------------------------------------------

def test_questions_and_advice_blocks_are_capped_with_an_extraction_problem():
    questions = "".join(f"{i}) How many drones in area {i}?\n" for i in range(1, 41))
    advice = "".join(f"Q{i} - Provide the total for area {i}.\n" for i in range(1, 41))
    data = hostile.referral(extra=questions + "\nCRU Advice:\n" + advice)
    limits = Limits(max_questions=5, max_advice=3)
    extraction = extract(parse_bytes(data, limits=limits), limits=limits)
    assert [q.number for q in extraction.questions] == [1, 2, 3, 4, 5]
    assert len(extraction.advice) == 3
    assert any("max_questions" in p for p in extraction.problems)
    assert any("max_advice" in p for p in extraction.problems)


# -- whole reads before a size check ------------------------------------------------------

@pytest.mark.parametrize("command", ["parse", "check"])
def test_the_cli_reads_no_more_than_the_limit_plus_one_byte(command, tmp_path):
    """/dev/zero never ends: a command that reads it whole never returns."""
    config = tmp_path / "crumail.toml"
    config.write_text(f'[database]\npath = "{tmp_path / "crumail.db"}"\n[intake]\nmax_message_bytes = 100000\n')
    crumail = Path(sys.executable).with_name("crumail")
    done = subprocess.run([str(crumail), "--config", str(config), command, "/dev/zero"],
                          capture_output=True, text=True, timeout=60, cwd=REPO)
    assert done.returncode == 1
    assert "more than 100,000 bytes" in done.stderr and "max_message_bytes" in done.stderr


@pytest.mark.server
def test_an_oversized_imap_message_is_quarantined_without_being_fetched(dovecot, imap_user, tmp_path):
    from crumail.intake.daemon import Daemon
    from support import mailgen
    from support.config import config

    dovecot.append(imap_user, "INBOX", [mailgen.message(1, "small"), mailgen.message(2, "huge", size=300_000),
                                        mailgen.message(3, "small")])
    cfg = config(tmp_path, dovecot.source_options(imap_user, mode="poll"))
    cfg = from_dict({**cfg.raw, "intake": {"max_message_bytes": 100_000}}, tmp_path)
    daemon = Daemon(cfg)
    db = daemon.db()
    from crumail.intake.pipeline import run_source
    from crumail.sources.imap.source import ImapSource

    source = ImapSource(cfg.sources[0], db, max_bytes=cfg.max_message_bytes)
    report = run_source(db, source, limits=cfg.limits)
    assert report.counts["stored"] == 2
    assert source.bytes_fetched < 100_000          # the big one was never fetched
    (stage, key, reason, raw) = db.execute("SELECT stage, source_key, reason, raw FROM quarantine").fetchone()
    assert stage == "fetch" and key.endswith("/2")
    assert "RFC822.SIZE" in reason and "[intake] max_message_bytes" in reason
    assert b"imap://" in raw and len(raw) < 1000   # a note saying where it is, not the mail
    again = ImapSource(cfg.sources[0], db, max_bytes=cfg.max_message_bytes)
    assert run_source(db, again, limits=cfg.limits).total == 0   # ledgered: not asked again
