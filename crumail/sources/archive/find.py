"""Finding the archives under the paths given to ``crumail import``.

Each path is walked depth first in name order, never through a symbolic
link: a link (to a file or a folder) is not followed but reported, so that
it is quarantined with a note like the drop folder's.  What is found:

* ``pst``: a ``.pst`` or ``.ost`` file (read by readpst, crumail/sources/archive/pst.py);
* ``mbox``: a ``.mbox``/``.mbx`` file, or a file without a suffix whose first
  bytes are an mbox ``From `` line;
* ``maildir``: a folder holding ``cur/`` and ``new/`` (its Maildir++
  subfolders, ``.Sent`` ..., are Maildirs of their own);
* ``files``: a folder's own ``.eml``/``.msg`` files (one archive per folder);
* ``file``: one ``.eml``/``.msg`` file named on the command line.

Anything else (a ``.txt``, a picture, a dot-file) is not mail and is
counted as skipped.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

from crumail.files.untrusted import kind_of

MAIL_SUFFIXES = (".eml", ".msg")
PST_SUFFIXES = (".pst", ".ost")
MBOX_SUFFIXES = (".mbox", ".mbx")
MAILDIR_PARTS = ("cur", "new", "tmp")


@dataclass(frozen=True)
class Archive:
    path: Path
    format: str       # pst, mbox, maildir, files, file
    size: int         # bytes to read, for the progress bar


@dataclass(frozen=True)
class Refused:
    """An entry never read (a link, a FIFO ...), with why."""

    path: Path
    reason: str


@dataclass(frozen=True)
class Skipped:
    """A regular file that is not mail."""

    path: Path


Found = Archive | Refused | Skipped


def find(paths: Iterable[Path | str]) -> Iterator[Found]:
    """Every archive, refused entry and skipped file under ``paths``, in order."""
    for path in paths:
        yield from _visit(Path(os.path.abspath(path)), top=True)


def _visit(path: Path, top: bool = False) -> Iterator[Found]:
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        yield Refused(path, "it does not exist (or vanished while the import ran)")
        return
    if stat.S_ISDIR(info.st_mode):
        yield from _folder(path)
    elif stat.S_ISREG(info.st_mode):
        yield _file(path, info, top)
    else:
        yield Refused(path, f"it is {kind_of(info.st_mode)}; crumail never reads through links "
                            "or from anything but a regular file")


def _file(path: Path, info: os.stat_result, top: bool) -> Found:
    suffix = path.suffix.lower()
    if suffix in PST_SUFFIXES:
        return Archive(path, "pst", info.st_size)
    if suffix in MBOX_SUFFIXES or (not suffix and _starts_like_mbox(path)):
        return Archive(path, "mbox", info.st_size)
    if top and suffix in MAIL_SUFFIXES:
        return Archive(path, "file", info.st_size)
    return Skipped(path)


def _starts_like_mbox(path: Path) -> bool:
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError:
        return False
    try:
        return stat.S_ISREG(os.fstat(fd).st_mode) and os.read(fd, 5) == b"From "
    finally:
        os.close(fd)


def _folder(path: Path) -> Iterator[Found]:
    try:
        entries = sorted(os.scandir(path), key=lambda e: e.name)
    except OSError as exc:
        yield Refused(path, f"the folder cannot be listed: {exc.strerror or exc}")
        return
    names = {e.name for e in entries if e.is_dir(follow_symlinks=False)}
    maildir = {"cur", "new"} <= names
    if maildir:
        yield Archive(path, "maildir", _sizes(path / part for part in ("cur", "new")))
    elif any(is_mail_name(e.name) for e in entries):
        yield Archive(path, "files", _sizes([path]))
    for entry in entries:
        yield from _entry(path, entry, maildir)


def _entry(folder: Path, entry: os.DirEntry, maildir: bool) -> Iterator[Found]:
    child = folder / entry.name
    if maildir and entry.name in MAILDIR_PARTS:
        return
    if entry.is_symlink():
        if not is_mail_name(entry.name):   # a mail file's own reader refuses it
            yield Refused(child, "it is a symbolic link; crumail never reads through links")
    elif entry.is_dir(follow_symlinks=False):
        yield from _visit(child)
    elif entry.name.startswith("."):
        yield Skipped(child)
    elif entry.is_file(follow_symlinks=False) and not is_mail_name(entry.name):
        yield _file(child, entry.stat(follow_symlinks=False), top=False)
    elif not entry.is_file(follow_symlinks=False):
        yield Refused(child, f"it is {kind_of(entry.stat(follow_symlinks=False).st_mode)}, "
                             "not a regular file")


def is_mail_name(name: str) -> bool:
    return not name.startswith(".") and name.lower().endswith(MAIL_SUFFIXES)


def _sizes(folders: Iterable[Path]) -> int:
    total = 0
    for folder in folders:
        try:
            with os.scandir(folder) as entries:
                total += sum(e.stat(follow_symlinks=False).st_size for e in entries
                             if e.is_file(follow_symlinks=False))
        except OSError:
            continue
    return total
