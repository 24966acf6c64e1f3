"""Typed settings: every key known, checked at load, each default written once.

A misspelt key or a value of the wrong type stops crumail at start with the
file and the key (a dotted path) named; ``crumail config check`` prints the
effective settings, never a secret; the embedded default, the README's
examples and its table of keys agree with the dataclasses.
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import fields
from pathlib import Path

import pytest
from click.testing import CliRunner

from crumail.cli import main
from crumail.config import from_dict, load
from crumail.errors import ConfigError
from crumail.limits import Limits
from crumail.settings import ImapSettings, Settings
from crumail.settings.show import readme_tables

REPO = Path(__file__).resolve().parents[1]
README = (REPO / "README.md").read_text(encoding="utf-8")

IMAP = ('[[source]]\ntype = "directory"\n\n[[source]]\ntype = "imap"\nhost = "imap.example.police.uk"\n'
        'username = "cru@example.police.uk"\npassword_env = "CRUMAIL_IMAP_PASSWORD"\n')

#: (config text, the key an error must name, the key it must suggest), one or more per table.
MISSPELT = [
    ('[database]\npth = "x.db"\n', "database.pth", "database.path"),
    ('[[source]]\ntype = "directory"\nintervall = 5\n', "source[1].intervall", "source[1].interval"),
    (IMAP + 'fodler = "INBOX"\n', "source[2].fodler", "source[2].folder"),
    (IMAP + "reconect_max = 60\n", "source[2].reconect_max", "source[2].reconnect_max"),
    ("[intake]\nmax_recipient = 10\n", "intake.max_recipient", "intake.max_recipients"),
    ("[intake]\nworker = 2\n", "intake.worker", "intake.workers"),
    ("[daemon]\nbatchsize = 10\n", "daemon.batchsize", "daemon.batch_size"),
    ('[outbox]\npat = "out"\n', "outbox.pat", "outbox.path"),
    ('[smtp]\nhots = "smtp.example.police.uk"\n', "smtp.hots", "smtp.host"),
    ("[send]\nretry_delay = [1]\n", "send.retry_delay", "send.retry_delays"),
    ('[send.imap]\nfoldr = "Drafts"\n', "send.imap.foldr", "send.imap.folder"),
    ("[drafts]\nworking_day = 10\n", "drafts.working_day", "drafts.working_days"),
    ('[forces."Police Scotland"]\ndomain = ["scotland.police.uk"]\n',
     'forces."Police Scotland".domain', 'forces."Police Scotland".domains'),
    ('[redaction]\ninternal_domain = ["police.uk"]\n', "redaction.internal_domain", "redaction.internal_domains"),
    ("[web]\nprot = 8025\n", "web.prot", "web.port"),
    ("[web]\nsecond_approvers = true\n", "web.second_approvers", "web.second_approver"),
    ("[backup]\nkep = 3\n", "backup.kep", "backup.keep"),
    ('[smpt]\nhost = "smtp.example.police.uk"\n', "smpt", "smtp"),
]

#: (config text, the key an error must name, words the error must hold).
WRONG = [
    ("[database]\npath = 5\n", "database.path", "a path"),
    ("[database]\nretry_max = -1\n", "database.retry_max", "0 or more"),
    ('[[source]]\ntype = "directory"\ninterval = "5"\n', "source[1].interval", "a number"),
    ('[[source]]\ntype = "pop3"\n', "source[1].type", '"directory", "imap"'),
    ('[source]\ntype = "directory"\n', "source", "an array"),
    (IMAP + 'port = "993"\n', "source[2].port", "a whole number"),
    (IMAP + 'security = "tls"\n', "source[2].security", '"ssl", "starttls", "plain"'),
    (IMAP + 'folders = "INBOX"\n', "source[2].folders", "an array"),
    (IMAP + "tls_verify = 0\n", "source[2].tls_verify", "true or false"),
    ('[[source]]\ntype = "imap"\nusername = "cru@example.police.uk"\n', "source[1].host", "required"),
    ('[intake]\nworkers = "two"\n', "intake.workers", "a whole number"),
    ("[intake]\nmax_message_bytes = 2.5\n", "intake.max_message_bytes", "a whole number"),
    ("[daemon]\nbatch_size = 0\n", "daemon.batch_size", "1 or more"),
    ('[outbox]\npath = ""\n', "outbox.path", "a path"),
    ('[smtp]\ntimeout = "60"\n', "smtp.timeout", "a number"),
    ('[smtp]\nsecurity = "tls"\n', "smtp.security", "starttls"),
    ("[send]\nretry_delays = 2\n", "send.retry_delays", "an array"),
    ('[send]\ntransport = "pigeon"\n', "send.transport", '"smtp", "imap", "outbox"'),
    ('[send]\ntransport = "smtp"\n', "smtp.host", "not set"),
    ('[send]\ntransport = "imap"\n', "send.imap.host", "not set"),
    ("[send.imap]\nport = true\n", "send.imap.port", "a whole number"),
    ('[drafts]\nprecedents = "3"\n', "drafts.precedents", "a whole number"),
    ('[drafts]\nnation = "atlantis"\n', "drafts.nation", "unknown nation"),
    ("[drafts.rules]\nreferral = 3\n", "drafts.rules.referral", "an array"),
    ('[forces."Police Scotland"]\ndomains = "scotland.police.uk"\n', 'forces."Police Scotland".domains', "an array"),
    ('[forces."Police Scotland"]\nnation = "mars"\n', 'forces."Police Scotland".nation', "unknown nation"),
    ('[redaction]\nallow = "01632 960100"\n', "redaction.allow", "an array"),
    ("[redaction]\nstaff = [1]\n", "redaction.staff[1]", "a string"),
    ('[web]\nport = "8025"\n', "web.port", "a whole number"),
    ('[web]\nsecure_cookies = "yes"\n', "web.secure_cookies", '"auto"'),
    ('[web]\nsecond_approver = "true"\n', "web.second_approver", "true or false"),
    ("web = 3\n", "web", "a table"),
    ("[backup]\nkeep = 0\n", "backup.keep", "1 or more"),
    ('[backup]\ntime = "noon"\n', "backup.time", "HH:MM"),
]


def _error(tmp_path: Path, text: str) -> str:
    path = tmp_path / "crumail.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: ") and "\n" not in message, message
    return message


@pytest.mark.parametrize("text, key, suggestion", MISSPELT, ids=[m[1] for m in MISSPELT])
def test_a_misspelt_key_names_the_file_and_the_key_and_suggests_the_right_one(tmp_path, text, key, suggestion):
    message = _error(tmp_path, text)
    assert f": {key}: unknown" in message and f"did you mean {suggestion}?" in message, message


@pytest.mark.parametrize("text, key, words", WRONG, ids=[w[1] + ":" + w[2] for w in WRONG])
def test_a_wrong_value_names_the_file_and_the_key(tmp_path, text, key, words):
    message = _error(tmp_path, text)
    assert f": {key}: " in message and words in message, message


def test_a_secret_written_into_the_file_is_refused_with_where_to_put_it(tmp_path):
    message = _error(tmp_path, '[smtp]\npassword = "Hunter2-Secret"\n')
    assert "smtp.password: unknown key" in message and "*_env or *_file" in message
    assert "Hunter2" not in message


def test_every_run_that_loads_the_config_refuses_a_misspelt_key_at_start(tmp_path):
    config = tmp_path / "crumail.toml"
    config.write_text('[database]\npath = "crumail.db"\n\n[web]\nprot = 8025\n', encoding="utf-8")
    for command in (["run", "--once"], ["status"], ["config", "check"], ["drafts", "list"]):
        result = CliRunner().invoke(main, ["--config", str(config), *command])
        assert result.exit_code == 1, (command, result.output)
        assert f"{config}: web.prot: unknown key; did you mean web.port?" in result.output, command
    assert not (tmp_path / "crumail.db").exists()          # refused before anything was touched


def test_the_embedded_default_loads_as_the_contract_says(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CRUMAIL_CONFIG", raising=False)
    config = load(None)
    assert config.path is None and config.database == tmp_path / "data" / "crumail.db"
    assert [(s.type, s.path) for s in config.sources] == [("directory", tmp_path / "data" / "inbox")]
    web = config.settings.web
    assert (web.host, web.port, web.enabled) == ("127.0.0.1", 8025, True)
    assert config.settings.send.transport == "outbox"
    assert config.settings.outbox.path == tmp_path / "data" / "outbox"
    assert config.limits == Limits()


def test_the_contract_keys_mean_what_they_say(tmp_path, monkeypatch):
    monkeypatch.setenv("CRUMAIL_IMAP_PASSWORD", "Imap-Secret-5e1")
    text = (IMAP.replace('[[source]]\ntype = "directory"\n\n', "")
            + 'port = 993\nsecurity = "ssl"\nfolder = "INBOX"\n\n'
            '[database]\npath = "data/crumail.db"\n\n'
            '[smtp]\nhost = "127.0.0.1"\nport = 587\nsecurity = "starttls"\nusername = "cru@example.police.uk"\n'
            'password_env = "CRUMAIL_SMTP_PASSWORD"\nfrom = "cru@example.police.uk"\n\n'
            '[redaction]\ninternal_domains = ["police.uk"]\nallow = ["01632 960100", "www.example.police.uk"]\n\n'
            '[web]\nhost = "127.0.0.1"\nport = 8025\n')
    (tmp_path / "crumail.toml").write_text(text, encoding="utf-8")
    settings = load(tmp_path / "crumail.toml").settings
    imap = settings.sources[0]
    assert isinstance(imap, ImapSettings)
    assert (imap.host, imap.port, imap.security, imap.username, imap.password_env, imap.folders) == (
        "imap.example.police.uk", 993, "ssl", "cru@example.police.uk", "CRUMAIL_IMAP_PASSWORD", ("INBOX",))
    assert settings.database.path == tmp_path / "data" / "crumail.db"
    smtp = settings.smtp
    assert (smtp.host, smtp.port, smtp.security, smtp.username, smtp.password_env, smtp.from_address) == (
        "127.0.0.1", 587, "starttls", "cru@example.police.uk", "CRUMAIL_SMTP_PASSWORD", "cru@example.police.uk")
    assert settings.send.transport == "smtp" and settings.drafts.from_address == "cru@example.police.uk"
    assert settings.redaction.internal_domains == ("police.uk",)
    assert settings.redaction.allow == ("01632 960100", "www.example.police.uk")
    assert (settings.web.host, settings.web.port) == ("127.0.0.1", 8025)


# -- crumail config check ---------------------------------------------------------

FULL = (IMAP + 'folders = ["INBOX", "Referrals"]\n\n[[source]]\ntype = "imap"\nname = "m365"\n'
        'host = "outlook.office365.com"\nusername = "cru@example.police.uk"\n'
        'token_command = ["get-token", "--client-secret", "Token-Secret-9f2"]\n\n'
        '[smtp]\nhost = "smtp.example.police.uk"\nusername = "cru@example.police.uk"\n\n'
        '[send]\ntransport = "imap"\n\n[send.imap]\nfolder = "Outlook Drafts"\n\n'
        '[drafts]\ntemplates = "my-templates"\n[drafts.rules]\nforce_query = "holding"\n'
        '[drafts.values]\nsignature = "The \\"Unit\\"\\nline two"\n\n'
        '[web]\nsecond_approver = true\nsecure_cookies = false\n\n[backup]\ndir = "backups"\n')


def _check(config: Path, *args: str, env: dict | None = None):
    return CliRunner().invoke(main, ["--config", str(config), "config", "check", *args], env=env)


def test_config_check_prints_settings_that_load_back_the_same(tmp_path):
    config = tmp_path / "crumail.toml"
    config.write_text(FULL, encoding="utf-8")
    result = _check(config)
    assert result.exit_code == 0, result.output
    text = result.output
    assert f"the effective settings of {config}" in text
    assert f'path = "{tmp_path / "backups"}"' not in text and f'dir = "{tmp_path / "backups"}"' in text
    assert f'templates = "{tmp_path / "my-templates"}"' in text          # paths resolved
    assert 'port = 993' in text and 'batch_size = 200' in text           # defaults filled in
    assert '[send.imap]\nhost = "imap.example.police.uk"' in text          # from the first IMAP source
    again = tmp_path / "again.toml"
    again.write_text(text.replace("# token_command = (set, not shown)", 'token_command = "get-token"'))
    original, reloaded = load(config).settings, load(again).settings
    assert _without_token(reloaded) == _without_token(original)


def _without_token(settings: Settings) -> Settings:
    from dataclasses import replace

    sources = tuple(replace(s, token_command=None) if isinstance(s, ImapSettings) else s for s in settings.sources)
    return replace(settings, sources=sources)


def test_config_check_never_shows_a_secret(tmp_path):
    config = tmp_path / "crumail.toml"
    config.write_text(FULL, encoding="utf-8")
    env = {"CRUMAIL_IMAP_PASSWORD": "Imap-Secret-5e1", "CRUMAIL_SMTP_PASSWORD": "Smtp-Secret-77c"}
    for args in ((), ("--json",)):
        result = _check(config, *args, env=env)
        assert result.exit_code == 0, result.output
        for secret in ("Imap-Secret-5e1", "Smtp-Secret-77c", "Token-Secret-9f2", "--client-secret"):
            assert secret not in result.output, (args, secret)
        assert "CRUMAIL_IMAP_PASSWORD" in result.output and "CRUMAIL_SMTP_PASSWORD" in result.output
    shown = json.loads(_check(config, "--json").output)
    assert shown["valid"] is True and shown["file"] == str(config)
    sources = shown["settings"]["source"]
    assert [s["type"] for s in sources] == ["directory", "imap", "imap"] and sources[2]["token_command"] == "***"
    assert sources[1]["folders"] == ["INBOX", "Referrals"] and sources[1]["auth"] == "password"
    assert shown["settings"]["forces"] == {}  # the force register holds them (tests/test_forces_drafting.py)
    assert shown["settings"]["web"]["second_approver"] is True


def test_config_check_exits_1_with_the_error(tmp_path):
    config = tmp_path / "crumail.toml"
    config.write_text("[web]\nthreads = 0\n", encoding="utf-8")
    plain = _check(config)
    assert plain.exit_code == 1 and f"crumail: {config}: web.threads: must be 1 or more, not 0" in plain.output
    shown = _check(config, "--json")
    assert shown.exit_code == 1
    answer = json.loads(shown.output[:shown.output.rindex("}") + 1])
    assert answer == {"valid": False, "error": f"{config}: web.threads: must be 1 or more, not 0"}


# -- the README, the caps, one home per setting ---------------------------------------

def _toml_blocks(text: str) -> list[str]:
    blocks = re.findall(r"^( *)```toml\n(.*?)^\1```", text, re.M | re.S)
    return [re.sub(rf"^{indent}", "", body, flags=re.M) for indent, body in blocks]


def test_every_toml_example_in_the_readme_loads(tmp_path):
    blocks = _toml_blocks(README)
    assert len(blocks) >= 5
    for number, block in enumerate(blocks, 1):
        try:
            from_dict(tomllib.loads(block), tmp_path, Path(f"README.md example {number}"))
        except (ConfigError, tomllib.TOMLDecodeError) as exc:
            pytest.fail(f"README example {number} does not load: {exc}\n{block}")


def test_the_readme_lists_every_key_with_its_default_and_meaning():
    start, end = "<!-- settings tables: crumail/settings/show.py -->\n", "<!-- end of settings tables -->"
    assert start in README and end in README
    written = README.split(start, 1)[1].split(end, 1)[0]
    assert written == readme_tables(), (
        "the README's table of keys differs from the settings: paste in the output of "
        "`.venv/bin/python -m crumail.settings.show`")


def test_every_cap_is_a_key_of_the_table_it_names():
    settings = from_dict({}, Path("/nonexistent")).settings
    for cap in fields(Limits):
        table = getattr(settings, cap.metadata["table"])
        assert getattr(table, cap.name) == cap.default, cap.name
    assert settings.limits == Limits()


def test_stages_read_typed_settings_only():
    """No stage reads the parsed TOML or writes a default of its own for a key,
    and four eyes is read in one place (crumail/review/machine.py)."""
    reading_raw = re.compile(r"config\.raw\b|\.section\(|options\.get\(|source\.get\(")
    approver = re.compile(r"\.second_approver\b")
    for path in sorted((REPO / "crumail").rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        assert not reading_raw.search(text), path
        if approver.search(text):
            assert path.relative_to(REPO).as_posix() == "crumail/review/machine.py", path
