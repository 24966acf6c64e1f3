"""The source interface shared by the drop folder and IMAP.

A source yields :class:`RawMessage` values and is told, through
:meth:`Source.ack`, what became of each one *after* the store has committed
it.  A source never removes or marks anything before that call.
"""

from __future__ import annotations

from typing import Iterator, Protocol

from crumail.model import Outcome, RawMessage


class Source(Protocol):
    name: str

    def fetch(self) -> Iterator[RawMessage]:
        """Yield every message not yet acknowledged."""
        ...

    def ack(self, raw: RawMessage, outcome: Outcome) -> None:
        """Called once ``raw`` is committed; only now may the source move it."""
        ...

    def close(self) -> None:
        """Release connections; called once the cycle ends, even after errors."""
        ...
