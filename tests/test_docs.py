"""The README documents every command (after sqlite-utils' tests/test_docs.py)."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest

from crumail.cli import main

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


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
