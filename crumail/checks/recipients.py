"""Recipients a person must confirm: outside the police network, and not the sender.

A draft answers a message; its recipients come from that message's
Reply-To, else its From.  A Reply-To can point anywhere (a spoofed or
mistaken one sends a force's advice to a stranger), and an operator can add
any address.  So every recipient outside ``internal_domains`` that is not
the address the answered message came from is a warning the operator must
confirm before approving (``crumail.review.approve(confirm_recipients=)``).
Marked content going outside is blocked by the marking check as before.
"""

from __future__ import annotations

from typing import Iterable

from crumail.checks.model import CheckContext, Finding

NAME = "recipient"


def recipient_findings(recipients: Iterable[tuple[str, str]], context: CheckContext) -> list[Finding]:
    """A warning for each (part, address) outside the police network that is not ``context.answering``."""
    sender = (context.answering or "").strip().lower()
    if not sender:
        return []
    found = []
    for part, address in recipients:
        bare = address.strip().lower()
        if not bare or bare == sender or context.is_internal(bare):
            continue
        reason = (f"{bare} is outside the police network and is not {sender}, who sent the message being "
                  f"answered (it came from a Reply-To or was added): confirm it before approving")
        found.append(Finding(NAME, 0, len(address), address, "warn", reason, True, part))
    return found
