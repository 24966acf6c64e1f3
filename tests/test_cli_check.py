"""``crumail check`` keeps to CONTRACTS.md, and knows the names the store learned."""

from __future__ import annotations

import json

from click.testing import CliRunner

from crumail.cli import main
from support.mail import circulation

DRAFT = "Dear Colleague,\n\nThe applicant can be reached on 07700 900417.\n"


def _run(tmp_path, *args, input=None):
    config = tmp_path / "crumail.toml"
    if not config.exists():
        config.write_text('[database]\npath = "crumail.db"\n\n[redaction]\n'
                          'internal_domains = ["police.uk"]\nallow = ["01632 960100"]\n')
    return CliRunner().invoke(main, ["--config", str(config), *args], input=input)


def test_check_prints_the_contract_and_exits_3_when_blocked(tmp_path):
    result = _run(tmp_path, "check", "--json", "-", input=DRAFT)
    assert result.exit_code == 3
    body = json.loads(result.stdout)
    assert body["blocked"] is True
    (finding,) = body["findings"]
    assert {k: finding[k] for k in ("check", "text", "severity")} == {
        "check": "phone", "text": "07700 900417", "severity": "block"}
    assert DRAFT[finding["start"]:finding["end"]] == "07700 900417"
    assert finding["reason"]


def test_allowed_office_number_does_not_block(tmp_path):
    result = _run(tmp_path, "check", "--json", "-", input="Call the CRU on 01632 960100.\n")
    assert result.exit_code == 0 and json.loads(result.stdout) == {"blocked": False, "findings": []}


def test_marked_content_to_an_external_address_blocks(tmp_path):
    text = "OFFICIAL - SENSITIVE\nPOLICE EYES ONLY\n\nAdvice follows.\n"
    inside = _run(tmp_path, "check", "--json", "--to", "foi@force.police.uk", "-", input=text)
    outside = _run(tmp_path, "check", "--json", "--to", "foi@police.uk.example.net", "-", input=text)
    assert inside.exit_code == 0
    assert outside.exit_code == 3
    assert {f["check"] for f in json.loads(outside.stdout)["findings"]} == {"marking"}


def test_bad_input_exits_1(tmp_path):
    result = _run(tmp_path, "check", str(tmp_path / "missing.txt"))
    assert result.exit_code == 1 and "missing.txt" in result.stderr


def test_names_learned_from_stored_mail_are_found(tmp_path):
    (tmp_path / "in").mkdir()
    mail = circulation("340/24").replace(b'"NPCC CRU Mailbox" <cru@', b'"Ruth Abernethy" <ruth.abernethy@')
    (tmp_path / "in" / "a.eml").write_bytes(mail)
    assert _run(tmp_path, "ingest", str(tmp_path / "in")).exit_code == 0
    result = _run(tmp_path, "check", "--json", "-", input="Thanks to Ruth Abernethy for this.\n")
    assert result.exit_code == 3
    assert [f["text"] for f in json.loads(result.stdout)["findings"]] == ["Ruth Abernethy"]
