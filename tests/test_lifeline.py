"""Parser processes die with the daemon: nothing of `crumail run` outlives a SIGKILL.

Once the daemon is gone its children are re-parented to init, so they are
found by a marker in their environment instead (each inherits the
daemon's), under /proc.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import uuid
from pathlib import Path

import pytest

from support.mail import circulation
from support.process import CLI, cli_env, wait_for
from support.paths import REPO

MARKER = "CRUMAIL_TEST_LIFELINE"


def marked(token: str) -> dict[int, int]:
    """Live processes whose environment holds ``MARKER=token``: pid -> parent pid."""
    found = {}
    needle = f"{MARKER}={token}".encode()
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            environ = Path(f"/proc/{entry}/environ").read_bytes()
            state, parent = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()[:2]
        except OSError:
            continue                     # gone meanwhile, or not ours to read
        if needle in environ.split(b"\0") and state not in ("Z", "X"):
            found[int(entry)] = int(parent)
    return found


def stored(database: Path) -> int:
    try:
        with sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=5) as conn:
            return conn.execute("SELECT count(*) FROM ledger").fetchone()[0]
    except sqlite3.OperationalError:
        return 0


def drop_folder_config(tmp_path: Path, files: int) -> Path:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for n in range(files):
        (inbox / f"m{n:05d}.eml").write_bytes(circulation(f"{n + 1}/24", n=n, body_extra="padding " * 300))
    cfg = tmp_path / "crumail.toml"
    cfg.write_text(f"[database]\npath = {json.dumps(str(tmp_path / 'crumail.db'))}\n"
                   "[web]\nenabled = false\n[intake]\nworkers = 2\n[daemon]\nbatch_size = 100\n"
                   f"[[source]]\ntype = \"directory\"\npath = {json.dumps(str(inbox))}\ninterval = 1\n")
    return cfg


@pytest.mark.slow
def test_no_parser_process_outlives_a_sigkill_of_the_daemon_mid_batch(tmp_path):
    files = 1500
    cfg = drop_folder_config(tmp_path, files)
    token = uuid.uuid4().hex
    # Its log goes to a file: a pipe would be held open by any survivor.
    with open(tmp_path / "crumail.log", "wb") as log:
        daemon = subprocess.Popen([*CLI, "--config", str(cfg), "run"], stdout=log, stderr=log,
                                  env=cli_env(**{MARKER: token}), cwd=REPO)
    survivors: dict[int, int] = {}
    try:
        def workers_busy() -> bool:   # children of the forkserver, itself a child of the daemon
            family = marked(token)
            forkservers = {pid for pid, parent in family.items() if parent == daemon.pid}
            return any(parent in forkservers for parent in family.values()) and stored(tmp_path / "crumail.db") > 0

        wait_for(workers_busy, timeout=120, every=0.01)
        assert len(marked(token)) >= 4          # the daemon, its resource tracker, forkserver, workers
        daemon.send_signal(signal.SIGKILL)
        daemon.wait(timeout=30)
        assert stored(tmp_path / "crumail.db") < files, "the daemon should have died mid-batch"
        try:
            wait_for(lambda: not marked(token), timeout=30, every=0.05)
        except AssertionError:
            survivors = marked(token)
    finally:
        if daemon.poll() is None:
            daemon.kill()
            daemon.wait(timeout=30)
        for pid in marked(token):              # never leave orphans behind, even on failure
            os.kill(pid, signal.SIGKILL)
    assert not survivors, f"processes outlived the daemon: {survivors}"
