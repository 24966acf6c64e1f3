"""Files the CLI writes that hold mail data are private (0600, like the
database), whatever the umask, and never written through a symlink."""

from __future__ import annotations

import os
import stat

import pytest

from support.cli import casebook_cli as crumail# noqa: F401  (fixture)


def _mode(path) -> int:
    return stat.S_IMODE(os.lstat(path).st_mode)


@pytest.fixture
def open_umask():
    old = os.umask(0o022)           # the usual umask: new files 0644
    yield
    os.umask(old)


@pytest.mark.parametrize("fmt,what,written", [
    ("xlsx", "both", ["casebook.xlsx"]),
    ("csv", "both", ["casebook-logs.csv", "casebook-questions.csv"]),
    ("csv", "logs", ["casebook.csv"]),
])
def test_exports_are_written_0600(crumail, tmp_path, open_umask, fmt, what, written):
    target = tmp_path / f"casebook.{fmt}"
    result = crumail("export", "--format", fmt, "--output", str(target), "--what", what)
    assert result.exit_code == 0, result.output
    for name in written:
        assert _mode(tmp_path / name) == 0o600, name
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".")]   # no temporary left


def test_an_existing_export_is_made_private_and_a_symlink_is_not_followed(crumail, tmp_path, open_umask):
    old = tmp_path / "casebook.xlsx"
    old.write_bytes(b"last week's export")
    old.chmod(0o644)
    assert crumail("export", "--format", "xlsx", "--output", str(old)).exit_code == 0
    assert _mode(old) == 0o600 and old.read_bytes()[:2] == b"PK"
    elsewhere = tmp_path / "elsewhere.txt"
    elsewhere.write_text("not to be overwritten")
    link = tmp_path / "link.csv"
    link.symlink_to(elsewhere)
    assert crumail("export", "--format", "csv", "--what", "logs", "--output", str(link)).exit_code == 0
    assert elsewhere.read_text() == "not to be overwritten"
    assert not link.is_symlink() and _mode(link) == 0o600 and "43/23" in link.read_text(encoding="utf-8-sig")


def test_standard_output_still_works(crumail):
    out = crumail("export", "--format", "csv", "--what", "questions", "--output", "-").output
    assert out.splitlines()[0] == "OFFICIAL-SENSITIVE"      # the highest marking of the rows
    assert out.splitlines()[1].startswith("log,number")
