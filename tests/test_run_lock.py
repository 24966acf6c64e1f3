"""One daemon per database, whatever name the database is given.

The run lock is keyed by the database file itself (its real path), so a
second ``crumail run`` given another name for the same file (a symlink to
it, a symlinked or bind-mounted folder, a ``..`` path) refuses to start.  A
hard link is refused outright: SQLite keeps a write-ahead log per name, so
two names are two logs.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
from pathlib import Path

import pytest

from support.process import CLI, cli_env, crumail, start_crumail, wait_for
from support.paths import REPO
from support.config import write_toml


@pytest.fixture
def first_daemon(tmp_path):
    """A real ``crumail run`` on ``tmp_path/real/crumail.db``, holding the run lock."""
    real = tmp_path / "real"
    real.mkdir()
    database = real / "crumail.db"
    cfg = write_toml(real / "crumail.toml", {"type": "directory", "path": str(tmp_path / "inbox"), "interval": 1})
    process = start_crumail("--config", str(cfg), "run")
    lock = real / "crumail.db.lock"
    try:
        wait_for(lambda: process.poll() is not None or (lock.exists() and database.exists()
                                                         and lock.read_text().strip() == str(process.pid)),
                 timeout=60, every=0.05)
        assert process.poll() is None, process.communicate()[1]
        yield database
    finally:
        process.send_signal(signal.SIGTERM)
        _, err = process.communicate(timeout=30)
    assert process.returncode == 0, err


def second_run(tmp_path: Path, database: Path, wrap: list[str] | None = None) -> subprocess.CompletedProcess:
    """``crumail run --once`` on ``database``, which names the first daemon's file another way."""
    folder = tmp_path / f"second-{len(list(tmp_path.glob('second-*')))}"
    folder.mkdir()
    cfg = write_toml(folder / "crumail.toml", {"type": "directory", "path": str(folder / "inbox")},
                     database=database)
    if wrap is None:
        return crumail("--config", str(cfg), "run", "--once")
    return subprocess.run([*wrap, *CLI, "--config", str(cfg), "run", "--once"], capture_output=True,
                          text=True, timeout=60, env=cli_env(), cwd=REPO)


def test_a_symlink_to_the_database_does_not_start_a_second_daemon(first_daemon, tmp_path):
    for folder, name in (("elsewhere", "alias.db"), ("other", "crumail.db")):   # any name, any folder
        (tmp_path / folder).mkdir()
        alias = tmp_path / folder / name
        alias.symlink_to(first_daemon)
        result = second_run(tmp_path, alias)
        assert result.returncode == 1 and "already running" in result.stderr, (alias, result.stderr)
        assert not Path(f"{alias}.lock").exists()


def test_a_symlinked_folder_or_a_dotdot_path_does_not_either(first_daemon, tmp_path):
    (tmp_path / "link").symlink_to(first_daemon.parent, target_is_directory=True)
    for alias in (tmp_path / "link" / "crumail.db", tmp_path / "real" / ".." / "real" / "crumail.db"):
        result = second_run(tmp_path, alias)
        assert result.returncode == 1 and "already running" in result.stderr, (alias, result.stderr)


def test_a_bind_mount_of_the_folder_does_not_either(first_daemon, tmp_path):
    unshare = shutil.which("unshare")
    if unshare is None or subprocess.run([unshare, "-m", "true"], capture_output=True).returncode != 0:
        pytest.skip("no permission to make a mount namespace here (unshare -m)")
    mirror = tmp_path / "mirror"
    mirror.mkdir()
    bind = [unshare, "-m", "sh", "-c", 'mount --bind "$1" "$2" && shift 2 && exec "$@"', "sh",
            str(first_daemon.parent), str(mirror)]
    result = second_run(tmp_path, mirror / "crumail.db", wrap=bind)
    assert result.returncode == 1 and "already running" in result.stderr, result.stderr


def test_a_hard_linked_database_is_refused_under_either_name(first_daemon, tmp_path):
    other = tmp_path / "hard"
    other.mkdir()
    os.link(first_daemon, other / "copy.db")
    try:
        for name in (other / "copy.db", first_daemon):
            result = second_run(tmp_path, name)
            assert result.returncode == 1, result.stderr
            assert "hard link" in result.stderr, result.stderr
    finally:
        (other / "copy.db").unlink()


def test_the_lock_is_beside_the_real_file_and_released_at_exit(tmp_path):
    from crumail.intake.lock import RunLock

    (tmp_path / "real").mkdir()
    (tmp_path / "alias.db").symlink_to(tmp_path / "real" / "crumail.db")   # dangling: not made yet
    with RunLock(tmp_path / "alias.db") as lock:
        assert lock.path == tmp_path / "real" / "crumail.db.lock"
        assert lock.path.read_text().strip() == str(os.getpid())
        assert not (tmp_path / "real" / "crumail.db").exists()   # the lock never creates the database
    with RunLock(tmp_path / "real" / "crumail.db"):
        pass


def test_a_lock_file_planted_as_a_symlink_is_refused_and_its_target_untouched(tmp_path):
    from crumail.errors import StoreError
    from crumail.intake.lock import RunLock

    victim = tmp_path / "victim.txt"
    victim.write_text("keep me\n")
    (tmp_path / "crumail.db.lock").symlink_to(victim)
    with pytest.raises(StoreError, match="run lock"):
        with RunLock(tmp_path / "crumail.db"):
            pass
    assert victim.read_text() == "keep me\n"
