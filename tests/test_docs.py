"""The README documents every command (after sqlite-utils' tests/test_docs.py)."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest

from crumail.cli import main

REPO = Path(__file__).resolve().parents[1]
README = (REPO / "README.md").read_text(encoding="utf-8")
#: A path in the repository as the README writes it (not /etc/crumail/...).
REPO_PATH = re.compile(r"(?<![\w/.~-])(?:crumail|tests|bench|contrib|docs)/[\w./*-]*")


def _commands(group: click.Group, prefix: str = "crumail") -> list[str]:
    names = []
    for name, command in sorted(group.commands.items()):
        names.append(f"{prefix} {name}")
        if isinstance(command, click.Group):
            names += [f"{prefix} {name} {sub}" for sub in sorted(command.commands)]
    return names


@pytest.mark.parametrize("command", _commands(main))
def test_every_command_is_in_the_readme(command):
    top = command.split()[1]
    sub = command.split()[2] if len(command.split()) > 2 else None
    lines = [line for line in README.splitlines() if f"crumail {top}" in line]
    assert lines, command
    if sub:
        assert any(re.search(rf"\b{sub}\b", line) for line in lines), command


def test_the_first_two_commands_are_make_run_and_make_test():
    block = README.split("```sh", 1)[1].split("```", 1)[0]
    assert [line.split()[:2] for line in block.strip().splitlines()] == [["make", "run"], ["make", "test"]]


def test_every_path_the_readme_names_exists():
    named = {p.rstrip(".,") for p in REPO_PATH.findall(README)}
    missing = sorted(p for p in named if not any(REPO.glob(p)))
    assert not missing, f"the README names paths that are not in the repository: {missing}"


def test_where_things_are_names_every_package_and_top_level_module():
    section = README.split("### Where things are", 1)[1].split("\n#", 1)[0]
    entries = {f"{p.name}/" if p.is_dir() else p.name for p in (REPO / "crumail").iterdir()
               if (p / "__init__.py").is_file() or (p.suffix == ".py" and p.name != "__init__.py")}
    missing = sorted(e for e in entries if not re.search(rf"^  {re.escape(e)}\s", section, re.M))
    assert not missing, f"the map in 'Where things are' leaves out {missing}"


# -- the JSON contract (docs/contracts.md) -------------------------------------------

CONTRACTS = (REPO / "docs" / "contracts.md").read_text(encoding="utf-8")
GOLDEN = sorted((REPO / "tests" / "data").glob("*.eml")) + sorted((REPO / "tests" / "data").glob("*.msg"))


def _documented(command: str) -> set[str]:
    """The field names in the table of ``command``'s section: ``a``, ``a.b``, ``a[].b``."""
    (section,) = [part for part in CONTRACTS.split("\n## ")[1:]
                  if part.startswith("`crumail") and f" {command} " in part.split("\n", 1)[0]]
    return {m.group(1) for m in re.finditer(r"^\| `([\w.\[\]]+)` \|", section, re.M)}


def _printed(value: object, prefix: str = "") -> set[str]:
    """Every field name in ``value`` (an object, or the array several files give);
    a ``nested`` message is the same object again, so its fields count as the top's."""
    names: set[str] = set()
    if isinstance(value, list):
        for item in value:
            names |= _printed(item, f"{prefix}[]" if prefix else "")
    elif isinstance(value, dict):
        for key, item in value.items():
            name = f"{prefix}.{key}" if prefix else key
            names.add(name)
            names |= _printed(item, "" if name == "nested" else name)
    return names


def _with_cc_and_attachment(folder: Path) -> Path:
    """No golden file has a Cc or a file attached: one that has both."""
    from email.message import EmailMessage

    from support.mail import circulation

    msg = EmailMessage()
    msg["From"], msg["To"], msg["Cc"] = "cru@example.police.uk", "foi@example.police.uk", "dp@example.police.uk"
    msg["Subject"] = "Log No. 9/25 - CRU Circulation"
    msg.set_content("See the attached.\n")
    msg.add_attachment(b"log,questions\n9/25,2\n", maintype="text", subtype="csv", filename="logs.csv")
    msg.add_attachment(circulation("10/25"), maintype="message", subtype="rfc822", filename="earlier.eml")
    path = folder / "cc-and-attachment.eml"
    path.write_bytes(bytes(msg))
    return path


def test_parse_json_prints_exactly_the_fields_the_contract_lists(tmp_path):
    import json

    from click.testing import CliRunner

    assert len(GOLDEN) > 20
    files = [*map(str, GOLDEN), str(_with_cc_and_attachment(tmp_path))]
    result = CliRunner().invoke(main, ["parse", *files, "--json"])
    printed = _printed(json.loads(result.stdout))
    documented = _documented("parse")
    assert printed - documented == set(), "printed by crumail parse --json but not in docs/contracts.md"
    assert documented - printed == set(), "in docs/contracts.md but never printed on the golden files"


def test_check_json_prints_exactly_the_fields_the_contract_lists():
    import json

    from click.testing import CliRunner

    draft = "Subject: x\nTo: someone@example.com\n\nCall 07700 900417.\n"
    result = CliRunner().invoke(main, ["check", "--json"], input=draft)
    assert result.exit_code == 3, result.output
    assert _printed(json.loads(result.stdout)) == _documented("check")


def test_forces_list_json_prints_exactly_the_fields_the_contract_lists(tmp_path):
    import json

    from click.testing import CliRunner

    config = tmp_path / "crumail.toml"
    config.write_text('[database]\npath = "crumail.db"\n')
    example = str(REPO / "data" / "forces.example.csv")
    assert CliRunner().invoke(main, ["--config", str(config), "forces", "import", example]).exit_code == 0
    result = CliRunner().invoke(main, ["--config", str(config), "forces", "list", "--json", "--inactive"])
    assert _printed(json.loads(result.stdout)) == _documented("forces")

