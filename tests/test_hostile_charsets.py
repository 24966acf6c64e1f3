"""Charsets that lie by naming no text charset at all, NULs, and the same
outcome for the same bytes in the daemon's process and in a parser worker."""

from __future__ import annotations

import hashlib
import json

import pytest
from click.testing import CliRunner

from crumail.cli import main
from crumail.intake.workers import Preparer
from crumail.model import RawMessage
from crumail.parse import parse_bytes
from crumail.store.batch import Rejected
from support.fuzzmail import corpus
from support.mail import circulation

NOT_TEXT = ["base64", "hex", "zlib", "bz2", "uu", "rot13", "quopri", "punycode", "idna",
            "unicode_escape", "raw_unicode_escape", "undefined"]
PHONE = "07700 900417"


def _with_charset(charset: str, where: str) -> bytes:
    mail = circulation("501/24", body_extra=f"Call the applicant on {PHONE}.")
    if where == "body":
        return mail.replace(b"charset=\"utf-8\"", f"charset=\"{charset}\"".encode(), 1)
    if where == "subject":
        return mail.replace(b"Subject: ", f"Subject: =?{charset}?B?aGVsbG8=?= ".encode(), 1)
    return mail.replace(b"Content-Type: text/plain", f"Content-Disposition: inline; filename*={charset}''"
                        "caf%E9.txt\nContent-Type: text/plain".encode(), 1)


@pytest.mark.parametrize("where", ["body", "subject", "file name"])
@pytest.mark.parametrize("charset", NOT_TEXT)
def test_a_charset_that_is_no_text_codec_is_repaired(charset, where):
    parsed = parse_bytes(_with_charset(charset, where))
    assert "Eastmoor Police" in parsed.text and PHONE in parsed.text
    if where == "body":
        assert any(charset in d and "not a text charset" in d for d in parsed.defects), parsed.defects


@pytest.mark.parametrize("mail", [
    circulation("502/24").replace(b"Subject: ", b"Subject: =?utf-8\x00?Q?x?= ", 1),
    circulation("502/24").replace(b"From: ", b"From: =?utf-8\x00?Q?x?= ", 1),
    circulation("502/24").replace(b"Content-Type: text/plain", b"Content-Disposition: inline; "
                                  b"filename*=utf-8\x00''a.txt\nContent-Type: text/plain", 1),
    circulation("502/24").replace(b'charset="utf-8"', b'charset="utf-8\x00"', 1),
])
def test_a_nul_in_a_charset_name_is_repaired(mail):
    parsed = parse_bytes(mail)
    assert "Eastmoor Police" in parsed.text


def _outcome(item) -> tuple:
    if isinstance(item, Rejected):
        return ("quarantined", item.stage, item.reason)
    parsed = item.parsed
    return ("stored", parsed.subject, parsed.message_id, parsed.defects,
            hashlib.sha256(parsed.text.encode("utf-8", "surrogatepass")).hexdigest(),
            tuple((a.filename, a.sha256) for a in parsed.attachments), item.extraction.kind)


def test_the_same_bytes_give_the_same_outcome_in_process_and_in_a_worker():
    """A property over a fuzzed corpus: mutations of valid mail (tests/fuzzmail.py)."""
    import crumail.parse.msg  # noqa: F401 -- as in a daemon that has read a .msg before

    raws = [RawMessage(data=data, source="fuzz", key=name, filename=name) for name, data in corpus(300)]
    with Preparer(workers=0) as here:
        in_process = [_outcome(item) for chunk in here.map([raws]) for item in chunk]
    with Preparer(workers=2) as pool:
        in_workers = [_outcome(item) for chunk in pool.map([raws]) for item in chunk]
    differ = [raw.key for raw, a, b in zip(raws, in_process, in_workers) if a != b]
    assert differ == [], differ
    unexpected = [(raw.key, o[2]) for raw, o in zip(raws, in_process)
                  if o[0] == "quarantined" and "unexpected" in o[2]]
    assert unexpected == []
    stored = sum(1 for o in in_process if o[0] == "stored")
    assert stored >= 0.9 * len(raws), f"only {stored} of {len(raws)} stored"


@pytest.mark.parametrize("charset", ["base64", "zlib", "punycode", "no-such-charset", "utf-8\x00"])
def test_check_reads_a_bogus_charset_instead_of_failing(tmp_path, charset):
    mail = (f"From: cru@npcc.example.police.uk\r\nTo: foi@eastmoor.example.police.uk\r\n"
            f"Subject: advice\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n"
            f"--b\r\nContent-Type: text/plain; charset={charset}\r\n\r\nCall {PHONE}.\r\n"
            f"--b\r\nContent-Type: text/csv; charset={charset}\r\n"
            f"Content-Disposition: attachment; filename=list.csv\r\n\r\n07700 900418\r\n--b--\r\n")
    (tmp_path / "draft.eml").write_bytes(mail.encode("utf-8"))
    (tmp_path / "crumail.toml").write_text('[database]\npath = "crumail.db"\n')
    result = CliRunner().invoke(main, ["--config", str(tmp_path / "crumail.toml"), "check", "--json",
                                       str(tmp_path / "draft.eml")])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert result.exit_code == 3, result.output
    findings = json.loads(result.stdout)["findings"]
    assert {f["text"] for f in findings if f["check"] == "phone"} >= {PHONE, "07700 900418"}
