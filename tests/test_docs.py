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
