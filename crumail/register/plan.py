"""What importing a register file would do (pure): forces added, changed and
unchanged, matched to the register by name (any case).  Forces in the
register but not in the file are left as they are (reported as ``kept``):
a file of the Scottish forces alone must not deactivate the rest."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Sequence

from crumail.model import Force
from crumail.register.csvfile import check_register


@dataclass
class ImportPlan:
    added: list[Force] = field(default_factory=list)
    changed: list[tuple[Force, Force]] = field(default_factory=list)  # (before, after)
    unchanged: list[Force] = field(default_factory=list)
    kept: list[Force] = field(default_factory=list)

    def summary(self) -> dict[str, int]:
        return {"added": len(self.added), "changed": len(self.changed),
                "unchanged": len(self.unchanged), "kept": len(self.kept)}


def plan(current: Sequence[Force], incoming: Sequence[Force]) -> ImportPlan:
    """The plan; RegisterError when the register after it would have clashes
    (a domain the file gives one force that another, not in the file, holds)."""
    by_name = {f.name.lower(): f for f in current}
    result = ImportPlan()
    named = set()
    for force in incoming:
        key = force.name.lower()
        named.add(key)
        before = by_name.get(key)
        if before is None:
            result.added.append(force)
        elif before.same_as(force):
            result.unchanged.append(before)
        else:
            result.changed.append((before, replace(force, id=before.id)))
    result.kept = [f for f in current if f.name.lower() not in named]
    check_register([*result.kept, *incoming])
    return result
