"""``crumail eval --attachments DIR``: recall and false blocks per kind on an attachment corpus.

DIR holds the files and ``cases.json`` (tests/data/attachments: see its
README for the rules).  A case is right when its decision (block, warn,
pass) and, for a block, whether a justification may release it, are as
expected, and every expected finding is among those reported.  Recall is
the share of ``block`` cases that block; a false block is a ``warn`` or
``pass`` case that blocks.  Cases whose files are not committed (the large
hostile ones) are read from ``large`` when given, else counted as skipped.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crumail.checks.attachments import check_attachments
from crumail.checks.model import CheckContext, CheckReport, Finding


@dataclass
class Score:
    cases: int = 0
    to_block: int = 0
    blocked: int = 0
    false_blocks: int = 0
    right: int = 0


@dataclass
class AttachmentEvaluation:
    kinds: dict[str, Score] = field(default_factory=lambda: defaultdict(Score))
    wrong: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    def total(self) -> Score:
        whole = Score()
        for score in self.kinds.values():
            for name in vars(whole):
                setattr(whole, name, getattr(whole, name) + getattr(score, name))
        return whole


def decision(findings: list[Finding]) -> str:
    return "block" if CheckReport.of(findings).blocked else "warn" if findings else "pass"


def _matches(expected: dict[str, Any], finding: Finding) -> bool:
    if (finding.check, finding.attachment) != (expected["check"], expected["attachment"]):
        return False
    if "location" in expected and finding.location != expected["location"]:
        return False
    if "within" in expected and not (finding.location or "").startswith(expected["within"]):
        return False
    return "text" not in expected or finding.text == expected["text"]


def problems(case: dict[str, Any], findings: list[Finding]) -> list[str]:
    """What is wrong with the findings for this case (nothing when it is right)."""
    got = decision(findings)
    wrong = []
    if got != case["decision"]:
        wrong.append(f"decision {got}, expected {case['decision']}")
    elif got == "block" and CheckReport.of(findings).overridable != case["overridable"]:
        wrong.append(f"overridable {not case['overridable']}, expected {case['overridable']}")
    wrong.extend(f"missing {e}" for e in case["findings"] if not any(_matches(e, f) for f in findings))
    return wrong


def evaluate(folder: Path, large: Path | None = None) -> AttachmentEvaluation:
    manifest = json.loads((folder / "cases.json").read_text(encoding="utf-8"))
    keys = ("recipients", "internal_domains", "allow")
    context = CheckContext.build(**{key: manifest["context"].get(key, []) for key in keys})
    result = AttachmentEvaluation()
    for case in manifest["cases"]:
        path = folder / case["file"] if case.get("committed", True) else (large or folder) / case["file"]
        if not path.is_file():
            result.skipped.append(case["file"])
            continue
        findings = check_attachments([(case["file"], path.read_bytes())], context)
        score = result.kinds[case["kind"]]
        score.cases += 1
        blocked = decision(findings) == "block"
        if case["decision"] == "block":
            score.to_block += 1
            score.blocked += blocked
        else:
            score.false_blocks += blocked
        wrong = problems(case, findings)
        score.right += not wrong
        result.wrong.extend(f"{case['file']}: {w}" for w in wrong)
    return result


def table(result: AttachmentEvaluation) -> str:
    lines = ["| kind | cases | to block | blocked | recall | false blocks | right |", "|---|---|---|---|---|---|---|"]
    rows = sorted(result.kinds.items()) + [("**all**", result.total())]
    for kind, s in rows:
        recall = f"{s.blocked / s.to_block:.0%}" if s.to_block else "-"
        lines.append(f"| {kind} | {s.cases} | {s.to_block} | {s.blocked} | {recall} | {s.false_blocks} | {s.right} |")
    if result.skipped:
        lines.append(f"\nskipped (not built; give --large DIR): {', '.join(result.skipped)}")
    return "\n".join(lines)
