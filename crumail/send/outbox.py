"""The directory outbox (``data/outbox/``, the embedded default): one .eml per mail.

Written to a temporary name, synced, then renamed, so a reader never sees
half a message; the file name carries the draft id and Message-ID, so
``delivered`` can tell after a crash whether the rename happened.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from crumail.send.errors import TransientSendError


class OutboxTransport:
    name = "outbox"

    def __init__(self, folder: Path):
        self.folder = Path(folder)

    def path_for(self, message_id: str) -> Path:
        safe = re.sub(r"[^A-Za-z0-9._@-]+", "_", message_id.strip("<>"))
        return self.folder / f"{safe}.eml"

    def deliver(self, data: bytes, sender: str, recipients: list[str], message_id: str) -> str:
        target = self.path_for(message_id)
        temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            try:
                os.write(fd, data)
                os.fsync(fd)
            finally:
                os.close(fd)
            os.replace(temporary, target)
        except OSError as exc:
            raise TransientSendError(f"cannot write to the outbox {self.folder}: {exc}") from None
        return f"written to {target}"

    def delivered(self, message_id: str) -> bool | None:
        return True if self.path_for(message_id).exists() else None
