"""What an archive reader yields: one message's bytes (or why it was not
read) with the position a restarted import goes on from after it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Item:
    key: str                  # unique among everything imported: ``ARCHIVE#`` and where in it
    position: str             # the archive's position once this item is committed
    origin: str               # what a person is shown: a file, or an archive and a place in it
    weight: int               # bytes of the archive this item stands for (the progress bar)
    data: bytes = b""
    filename: str | None = None
    refused: str | None = None     # why it was not read; ``data`` is then empty
    fails_archive: bool = False    # the archive could not be read to its end
