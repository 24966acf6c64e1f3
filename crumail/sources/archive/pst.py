"""Reading PST/OST files through readpst (Debian's pst-utils), as a child process.

Why readpst and not libpff-python: docs/pst-study.md (pypff cannot open a
message attached inside a message; readpst, in its own process, turns a
crash on a damaged file into a failed file, not a dead importer).

readpst writes one ``.eml`` per item, one folder per PST folder, into a
private temporary folder (mode 0700) that is removed when the PST is done.
It runs with a time limit (``TIMEOUT_BASE`` plus ``TIMEOUT_PER_MB`` per
megabyte of PST: a file that makes it hang is given up) and an
address-space limit.  Its exit status is not trusted: a damaged item can
be skipped with status 0, so its own summary (``"folder" - N items done, M
items skipped.``) is read and every skipped item is quarantined with its
PST folder's path.  The items written are read in a stable order (folder
path, then readpst's number), which is also the resume position.

Three mends of readpst's output (crumail/sources/archive/mend.py) before
the intake sees it: the mbox ``>From`` line at the top of an attached
message, ``;`` between addresses, and the ``rtf-body.rtf`` attachment.
"""

from __future__ import annotations

import os
import re
import resource
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path
from typing import Iterator

from crumail.errors import FileTooBigError, UnsafeFileError
from crumail.files.untrusted import read_with_stat
from crumail.sources.archive.item import Item
from crumail.sources.archive.mend import mend

READPST = "readpst"
TIMEOUT_BASE = 120.0           # seconds readpst may take for any PST ...
TIMEOUT_PER_MB = 2.0           # ... plus this per megabyte of it
MEMORY_LIMIT = 2 * 1024 ** 3   # bytes of address space readpst may use
_SUMMARY = re.compile(r'^\s*"(?P<folder>.*)" - (?P<done>\d+) items done, (?P<skipped>\d+) items skipped\.',
                      re.MULTILINE)


def read_pst(path: Path, position: str | None, limit: int) -> Iterator[Item]:
    """Each mail item of the PST at ``path`` after item number ``position``."""
    size = path.stat().st_size if not path.is_symlink() else 0
    work = Path(tempfile.mkdtemp(prefix="crumail-readpst-"))   # made 0700
    try:
        outcome = _run_readpst(path, work, size)
        files = _written(work)
        weight = size // max(1, len(files))
        after = int(position) if position and position.isdigit() else 0
        for number, file in enumerate(files, start=1):
            if number > after:
                yield _item(path, work, file, number, weight, limit)
        yield from _problems(path, outcome, len(files))
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _run_readpst(path: Path, work: Path, size: int) -> str | subprocess.CompletedProcess:
    """readpst's result, or why it gave none (it is not on the path, it hung)."""
    # Read through a descriptor opened without following a link; readpst
    # gets /dev/fd/N, never the name.
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
    try:
        os.set_inheritable(fd, True)
        command = [READPST, "-e", "-8", "-t", "e", "-o", str(work), f"/dev/fd/{fd}"]
        return subprocess.run(command, capture_output=True, text=True, errors="replace",
                              timeout=TIMEOUT_BASE + TIMEOUT_PER_MB * size / 1e6,
                              pass_fds=(fd,), preexec_fn=_limit_memory, stdin=subprocess.DEVNULL)
    except FileNotFoundError:
        return ("readpst is not installed (Debian: apt-get install pst-utils; "
                "`make setup` does it)")
    except subprocess.TimeoutExpired as exc:
        return f"readpst did not finish within {exc.timeout:.0f} s; the PST may be damaged"
    finally:
        os.close(fd)


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def _written(work: Path) -> list[Path]:
    """readpst's .eml files, by folder path and then number; regular files only."""
    found = []
    for folder, dirs, files in os.walk(work, followlinks=False):
        dirs.sort()
        for name in files:
            if name.endswith(".eml") and os.path.isfile(os.path.join(folder, name)) \
                    and not os.path.islink(os.path.join(folder, name)):
                found.append(Path(folder, name).relative_to(work))
    return sorted(found, key=lambda p: (p.parent.parts, _number(p.name), p.name))


def _number(name: str) -> int:
    stem = name.split(".", 1)[0]
    return int(stem) if stem.isdigit() else 0


def _item(pst: Path, work: Path, file: Path, number: int, weight: int, limit: int) -> Item:
    key, origin = f"{pst}#{file}", f"{pst} item {number} (folder {file.parent})"
    try:
        data, _ = read_with_stat(work / file, limit)
    except (UnsafeFileError, OSError) as exc:
        cap = " ([intake] max_message_bytes)" if isinstance(exc, FileTooBigError) else ""
        return Item(key, str(number), origin, weight, filename=file.name,
                    refused=f"PST folder {file.parent}: {exc}{cap}; not read")
    return Item(key, str(number), origin, weight, data=mend(data), filename=file.name)


def _problems(path: Path, outcome: str | subprocess.CompletedProcess, written: int) -> Iterator[Item]:
    """Quarantine notes for what readpst could not read: whole, or item by item."""
    if isinstance(outcome, str):
        yield _failed(path, outcome, written)
        return
    if outcome.returncode != 0:
        died = (f"readpst was killed by {signal.Signals(-outcome.returncode).name}"
                if outcome.returncode < 0 else f"readpst exited with status {outcome.returncode}")
        detail = (outcome.stderr or "").strip().splitlines()[-1:] or [""]
        yield _failed(path, f"{died} {detail[0]}".strip(), written)
    for found in _SUMMARY.finditer(outcome.stdout or ""):
        skipped = int(found["skipped"])
        if skipped:
            folder = found["folder"]
            yield Item(f"{path}#skipped:{folder}", "", f"{path} folder {folder}", 0,
                       filename=path.name,
                       refused=f"readpst could not read {skipped} item(s) in PST folder {folder!r} "
                               f"of {path}")


def _failed(path: Path, reason: str, written: int) -> Item:
    return Item(f"{path}#failed", "", str(path), 0, filename=path.name, fails_archive=True,
                refused=f"{path}: {reason}; {written} item(s) read before it stopped")
