"""The foundation's commands: parse, ingest, status, quarantine, reprocess, run --once."""

from __future__ import annotations

import json

from click.testing import CliRunner

from crumail.cli import main
from support import badmail
from support.cli import cli  # noqa: F401  (fixture)
from support.mail import circulation
from support.paths import corpus_msg, seed


def test_parse_seed_json_has_nested_circulation_and_images(cli):
    result = cli("parse", str(seed()), "--json")
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert body["file"] == str(seed())
    assert body["subject"].startswith("Log No. 43/23")
    assert body["from"] == {"name": "NPCC CRU Mailbox", "address": "cru.mailbox@npcc.example.police.uk"}
    assert sorted(a["filename"] for a in body["attachments"]) == ["image003.jpg", "image004.jpg"]
    assert all(len(a["sha256"]) == 64 and a["size"] > 0 for a in body["attachments"])
    (inner,) = body["nested"]
    assert inner["subject"].startswith("Log No.001355/22")


def test_parse_several_files_prints_an_array_and_fails_on_the_bad_one(cli, tmp_path):
    bad = tmp_path / "bad.msg"
    bad.write_bytes(b"\x00" * 100)
    result = cli("parse", str(seed()), str(bad), str(corpus_msg() / "msgreader_TxtSampleEmail.msg"), "--json")
    assert result.exit_code == 1
    assert len(json.loads(result.stdout)) == 2
    assert str(bad) in result.stderr and result.stderr.count("\n") == 1


def test_parse_reads_standard_input(cli):
    result = cli("parse", "-", "--json", input=circulation("330/24"))
    assert result.exit_code == 0 and json.loads(result.stdout)["file"] == "-"


def test_every_real_msg_sample_parses_or_says_why_not(cli):
    for sample in sorted(corpus_msg().glob("*.msg")):
        result = cli("parse", str(sample), "--json")
        if "Swetlana" in sample.name:
            assert result.exit_code == 1 and "contact" in result.stderr.lower()
        else:
            assert result.exit_code == 0, (sample.name, result.stderr)


def test_ingest_quarantine_retry_and_reprocess(cli, tmp_path):
    folder = tmp_path / "mail"
    badmail.write_all(folder)
    result = cli("ingest", str(folder))
    assert "4 stored, 0 already stored, 6 quarantined" in result.stdout
    again = cli("ingest", str(folder)).stdout
    assert "0 stored, 4 already stored, 6 quarantined" in again

    listing = cli("quarantine", "list").stdout
    assert "h-contact.msg" in listing and "b-empty.eml" in listing
    entry = next(line.split()[0] for line in listing.splitlines() if "i-big-attachment" in line)
    raw = cli("quarantine", "show", entry, "--raw").stdout_bytes
    assert b"not read" in raw and len(raw) < 1000  # over the limit: a note, the file never read

    # Raise the size limit and the big message goes through when ingested again.
    config = cli.base / "crumail.toml"
    config.write_text(config.read_text() + "\n[intake]\nmax_message_bytes = 60000000\n")
    retried = cli("quarantine", "retry", entry)
    assert retried.exit_code == 1 and "did not read this file" in retried.stdout
    assert "1 stored, 4 already stored, 5 quarantined" in cli("ingest", str(folder)).stdout
    still = cli("quarantine", "retry", "--all")
    assert still.exit_code == 1 and "still quarantined" in still.stdout

    assert "5 message(s) reprocessed, 0 failed" in cli("reprocess").stdout
    status = json.loads(cli("status", "--json").stdout)
    assert status["counts"]["messages"] == 5 and status["counts"]["quarantined"] == 5


def test_run_once_takes_in_the_drop_folder(cli):
    inbox = cli.base / "inbox"
    inbox.mkdir()
    (inbox / "one.eml").write_bytes(circulation("331/24"))
    result = cli("run", "--once")
    assert result.exit_code == 0, result.output
    assert (inbox / "done" / "one.eml").exists()
    status = json.loads(cli("status", "--json").stdout)
    assert status["counts"]["messages"] == 1
    assert status["sources"][0]["last_success"] is not None


def test_a_second_daemon_on_the_same_database_refuses(cli):
    from crumail.intake.lock import RunLock

    with RunLock(cli.base / "crumail.db"):
        runner = CliRunner()
        result = runner.invoke(main, ["--config", str(cli.base / "crumail.toml"), "run", "--once"])
    assert result.exit_code == 1 and "already running" in result.stderr
