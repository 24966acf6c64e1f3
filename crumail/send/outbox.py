"""The directory outbox (``data/outbox/``, the embedded default): one .eml per mail.

Written to a temporary name, synced, then renamed, so a reader never sees
half a message; the file name carries the draft id and Message-ID, so
``delivered`` can tell after a crash whether the rename happened.  The
outbox folder is used through a descriptor opened without following a link
(a folder swapped for a link cannot send unreviewed mail elsewhere), and the
temporary file is created new, never opened through a name planted there.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from crumail.errors import TransientSendError, UnsafeFileError
from crumail.files.untrusted import open_folder


class OutboxTransport:
    name = "outbox"

    def __init__(self, folder: Path):
        self.folder = Path(folder)

    def path_for(self, message_id: str) -> Path:
        safe = re.sub(r"[^A-Za-z0-9._@-]+", "_", message_id.strip("<>"))
        return self.folder / f"{safe}.eml"

    def deliver(self, data: bytes, sender: str, recipients: list[str], message_id: str) -> str:
        target = self.path_for(message_id)
        temporary = f".{target.name}.{os.getpid()}.tmp"
        try:
            self.folder.parent.mkdir(parents=True, exist_ok=True)
            folder = open_folder(self.folder, create=True)  # never a link: mail is not written elsewhere
            try:
                _write_new(folder, temporary, data)
                os.replace(temporary, target.name, src_dir_fd=folder, dst_dir_fd=folder)
            finally:
                os.close(folder)
        except (OSError, UnsafeFileError) as exc:
            raise TransientSendError(f"cannot write to the outbox {self.folder}: {exc}") from None
        return f"written to {target}"

    def delivered(self, message_id: str) -> bool | None:
        return True if self.path_for(message_id).exists() else None


def _write_new(folder: int, name: str, data: bytes) -> None:
    """Write ``data`` to a new file ``name`` in ``folder``, synced; whatever had
    that name (a leftover of a crash, or a planted link) is removed, never followed."""
    try:
        os.unlink(name, dir_fd=folder)
    except FileNotFoundError:
        pass
    fd = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600,
                 dir_fd=folder)
    try:
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)
