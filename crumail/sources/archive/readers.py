"""Reading Maildirs, folders of .eml/.msg files and mbox files, item by item.

Every file is opened without following a link (crumail/files/untrusted.py)
and read no further than ``[intake] max_message_bytes``; an mbox is
streamed a line at a time, never loaded whole.  Each reader starts after
the ``position`` an earlier run recorded:

* Maildir and folders: the last file name taken in (Maildir names without
  their ``:2,`` flags, so a message moved from ``new/`` to ``cur/`` between
  runs keeps its place); names are read in sorted order.
* mbox: the byte offset of the next message's ``From `` line; if the file
  no longer has one there, it is read again from the start (the store's
  SHA-256 keeps every message once).
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import BinaryIO, Iterator

from crumail.errors import FileTooBigError, UnsafeFileError
from crumail.files.untrusted import open_regular, read_with_stat
from crumail.sources.archive.find import is_mail_name
from crumail.sources.archive.item import Item

LINE = 64 * 1024        # an mbox is read in lines of at most this many bytes
_QUOTED_FROM = re.compile(rb"^>(>*From )", re.MULTILINE)


def read_files(folder: Path, position: str | None, limit: int) -> Iterator[Item]:
    """A folder's own .eml/.msg files (not its subfolders'), after ``position``."""
    names = sorted(e.name for e in os.scandir(folder) if is_mail_name(e.name))
    for name in names:
        if position is None or name > position:
            yield _read_one(folder / name, f"{folder}#{name}", name, limit)


def read_file(path: Path, position: str | None, limit: int) -> Iterator[Item]:
    """One .eml/.msg file named on the command line."""
    if position is None:
        yield _read_one(path, f"{path}#", path.name, limit)


def read_maildir(folder: Path, position: str | None, limit: int) -> Iterator[Item]:
    """A Maildir's ``cur/`` and ``new/`` in the order of their base names."""
    entries = []
    for part in ("new", "cur"):
        try:
            entries += [(maildir_base(e.name), part, e.name) for e in os.scandir(folder / part)
                        if not e.name.startswith(".")]
        except FileNotFoundError:
            continue
    for base, part, name in sorted(entries):
        if position is None or base > position:
            yield _read_one(folder / part / name, f"{folder}#{base}", base, limit)


def maildir_base(name: str) -> str:
    """A Maildir file name without its ``:2,FLAGS`` info."""
    return name.split(":", 1)[0]


def _read_one(path: Path, key: str, position: str, limit: int) -> Item:
    try:
        data, info = read_with_stat(path, limit)
    except UnsafeFileError as exc:   # a link, a FIFO, over the limit
        cap = " ([intake] max_message_bytes)" if isinstance(exc, FileTooBigError) else ""
        return Item(key, position, str(path), 0, filename=path.name, refused=f"{exc}{cap}; not read")
    except OSError as exc:
        return Item(key, position, str(path), 0, filename=path.name,
                    refused=f"{path} cannot be read: {exc.strerror or exc}")
    return Item(key, position, str(path), info.st_size, data=data, filename=path.name)


def read_mbox(path: Path, position: str | None, limit: int) -> Iterator[Item]:
    """Each message of an mbox file, from byte offset ``position``."""
    fd, _info = open_regular(path)
    with os.fdopen(fd, "rb") as stream:
        start = _resume_offset(stream, position)
        yield from _messages(stream, path, start, limit)


def _resume_offset(stream: BinaryIO, position: str | None) -> int:
    offset = int(position) if position and position.isdigit() else 0
    stream.seek(offset)
    if offset and not stream.read(5) == b"From ":
        offset = 0   # the file changed under us: read it all again
    stream.seek(offset)
    return offset


def _messages(stream: BinaryIO, path: Path, offset: int, limit: int) -> Iterator[Item]:
    """Split at each ``From `` line that starts a line after a blank one (or the file)."""
    start, lines, size, blank, at_line_start = offset, [], 0, True, True
    while True:
        line = stream.readline(LINE)
        if not line or (at_line_start and blank and line.startswith(b"From ") and offset > start):
            if offset > start:
                yield _mbox_item(path, start, offset, lines, size, limit)
            if not line:
                return
            start, lines, size = offset, [], 0
        if size <= limit:   # past the limit, count on without keeping the bytes
            lines.append(line)
        size += len(line)
        blank = at_line_start and line in (b"\n", b"\r\n")
        at_line_start = line.endswith(b"\n")
        offset += len(line)


def _mbox_item(path: Path, start: int, end: int, lines: list[bytes], size: int, limit: int) -> Item:
    key, origin = f"{path}#@{start}", f"{path} at byte {start:,}"
    envelope = bool(lines) and lines[0].startswith(b"From ")
    body = lines[1:] if envelope else lines
    if size - (len(lines[0]) if envelope else 0) > limit:
        return Item(key, str(end), origin, end - start, filename=path.name,
                    refused=f"the message at byte {start:,} of {path} is {size:,} bytes, over the "
                            f"{limit:,}-byte limit ([intake] max_message_bytes); not read")
    data = _QUOTED_FROM.sub(rb"\1", b"".join(body))   # mboxrd: one level of >From quoting undone
    return Item(key, str(end), origin, end - start, data=data, filename=f"{path.name}@{start}.eml")
