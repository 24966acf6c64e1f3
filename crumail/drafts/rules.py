"""Which drafts a stored message gets, and the settings they are drafted with.

All from the config's ``[drafts]`` table, checked and with its defaults when
the config was loaded (crumail.settings.tables); which force a message comes
from, and so its nation, is the force register's (crumail.register.match)::

    [drafts]
    from = "cru@example.police.uk"    # default: [smtp] from
    templates = "my-templates"        # searched before the built-in crumail/drafts/templates/
    nation = "england-and-wales"      # default nation for deadlines
    working_days = 20
    precedents = 3                    # earlier logs quoted per question
    max_age_days = 14                 # older mail: no drafts, no log number

    [drafts.rules]                    # message kind -> templates drafted for it
    referral = ["acknowledgement", "advice"]

    [drafts.marking]                  # a template's default protective marking ...
    advice = "OFFICIAL-SENSITIVE"
    [drafts.caveats]                  # ... and handling caveats
    advice = ["POLICE EYES ONLY"]
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from crumail.model import Force


@dataclass(frozen=True)
class DraftingRules:
    """The drafting stage's view of ``[drafts]``."""

    rules: dict[str, tuple[str, ...]]
    from_address: str
    template_folders: tuple[Path, ...]
    nation: str
    working_days: int
    precedents: int
    max_age_days: int
    marking: dict[str, str]
    caveats: dict[str, tuple[str, ...]]
    values: dict[str, Any]

    def templates_for(self, kind: str) -> tuple[str, ...]:
        return self.rules.get(kind, ())

    def nation_for(self, force: Force | None) -> str:
        return force.nation if force else self.nation


def from_config(config) -> DraftingRules:
    """The drafting rules from a loaded :class:`crumail.config.Config`."""
    drafts = config.settings.drafts
    return DraftingRules(
        rules=dict(drafts.rules),
        from_address=drafts.from_address or "",
        template_folders=(drafts.templates,) if drafts.templates else (),
        nation=drafts.nation,
        working_days=drafts.working_days,
        precedents=drafts.precedents,
        max_age_days=drafts.max_age_days,
        marking=dict(drafts.marking),
        caveats=dict(drafts.caveats),
        values=dict(drafts.values),
    )
