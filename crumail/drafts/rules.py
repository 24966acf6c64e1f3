"""Which drafts a stored message gets, and the settings they are drafted with.

All from the config's ``[drafts]`` and ``[forces]`` tables (pure: a dict in,
values out)::

    [drafts]
    from = "cru@example.police.uk"    # default: [smtp] from
    templates = "my-templates"        # searched before the built-in crumail/drafts/templates/
    nation = "england-and-wales"      # default nation for deadlines
    working_days = 20
    precedents = 3                    # earlier logs quoted per question

    [drafts.rules]                    # message kind -> templates drafted for it
    referral = ["acknowledgement", "advice"]

    [drafts.marking]                  # a template's default protective marking ...
    advice = "OFFICIAL-SENSITIVE"
    [drafts.caveats]                  # ... and handling caveats
    advice = ["POLICE EYES ONLY"]

    [forces."Police Scotland"]
    nation = "scotland"
    domains = ["scotland.police.uk"]  # senders recognised as this force
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crumail.drafts import deadlines
from crumail.errors import ConfigError

DEFAULT_RULES: dict[str, tuple[str, ...]] = {"referral": ("acknowledgement", "advice")}
DEFAULT_MARKING: dict[str, str] = {"advice": "OFFICIAL-SENSITIVE"}
DEFAULT_CAVEATS: dict[str, tuple[str, ...]] = {"advice": ("POLICE EYES ONLY",)}
DEFAULT_FROM = "cru@localhost"


@dataclass(frozen=True)
class Force:
    name: str
    nation: str
    domains: tuple[str, ...] = ()


@dataclass(frozen=True)
class DraftingRules:
    rules: dict[str, tuple[str, ...]] = field(default_factory=lambda: dict(DEFAULT_RULES))
    from_address: str = DEFAULT_FROM
    template_folders: tuple[Path, ...] = ()
    nation: str = deadlines.DEFAULT_NATION
    working_days: int = deadlines.WORKING_DAYS
    precedents: int = 3
    marking: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_MARKING))
    caveats: dict[str, tuple[str, ...]] = field(default_factory=lambda: dict(DEFAULT_CAVEATS))
    forces: tuple[Force, ...] = ()
    values: dict[str, Any] = field(default_factory=dict)

    def templates_for(self, kind: str) -> tuple[str, ...]:
        return self.rules.get(kind, ())

    def force_for(self, logged_with: str | None, sender: str | None) -> Force | None:
        """The configured force a message comes from: by name, else by sender domain."""
        if logged_with:
            wanted = " ".join(logged_with.lower().split())
            for force in self.forces:
                if " ".join(force.name.lower().split()) == wanted:
                    return force
        domain = (sender or "").rpartition("@")[2].lower().strip(".")
        for force in self.forces:
            if domain and any(domain == d or domain.endswith("." + d) for d in force.domains):
                return force
        return None

    def nation_for(self, force: Force | None) -> str:
        return force.nation if force else self.nation


def from_config(config) -> DraftingRules:
    """The drafting rules from a loaded :class:`crumail.config.Config`."""
    table = config.section("drafts")
    rules = dict(DEFAULT_RULES)
    rules.update({kind: _names(v, f"[drafts.rules] {kind}") for kind, v in _sub(table, "rules").items()})
    caveats = dict(DEFAULT_CAVEATS)
    caveats.update({k: _names(v, f"[drafts.caveats] {k}") for k, v in _sub(table, "caveats").items()})
    folder = table.get("templates")
    return DraftingRules(
        rules=rules,
        from_address=str(table.get("from") or config.smtp.get("from") or DEFAULT_FROM),
        template_folders=(_folder(config.base, folder),) if folder else (),
        nation=deadlines.nation(table.get("nation")),
        working_days=int(table.get("working_days", deadlines.WORKING_DAYS)),
        precedents=int(table.get("precedents", 3)),
        marking={**DEFAULT_MARKING, **{k: str(v) for k, v in _sub(table, "marking").items()}},
        caveats=caveats,
        forces=_forces(config.section("forces")),
        values=dict(_sub(table, "values")),
    )


def _sub(table: dict[str, Any], name: str) -> dict[str, Any]:
    value = table.get(name, {})
    if not isinstance(value, dict):
        raise ConfigError(f"[drafts.{name}] must be a table")
    return value


def _names(value: Any, where: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where} must be a list of names")
    return tuple(value)


def _folder(base: Path, value: Any) -> Path:
    path = Path(str(value)).expanduser()
    return path if path.is_absolute() else base / path


def _forces(table: dict[str, Any]) -> tuple[Force, ...]:
    forces = []
    for name, settings in table.items():
        if not isinstance(settings, dict):
            raise ConfigError(f'[forces."{name}"] must be a table')
        domains = _names(settings.get("domains", []), f'[forces."{name}"] domains')
        forces.append(Force(name, deadlines.nation(settings.get("nation")),
                            tuple(d.lower().strip(".") for d in domains)))
    return tuple(forces)
