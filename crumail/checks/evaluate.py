"""Recall and false positives of each check on a labelled corpus.

    crumail eval --checks tests/data/checks [--verbose] [--names-probe]
    python -m crumail.checks.evaluate tests/data/checks [--verbose]   (the same)

The corpus is JSON lines (every ``*.jsonl`` under the folder), one case a
line::

    {"id": "...", "text": "...", "recipients": [...], "allow": [...],
     "names": [...], "staff": [...], "internal_domains": [...],
     "expect": [{"check": "phone", "text": "07700 900417"}, ...]}

A case with an empty ``expect`` is a negative: it must give no finding.  A
finding counts as found when a finding of the same check has exactly the
expected text; every other finding is a false positive of its check.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crumail.checks.model import CheckContext, Finding
from crumail.checks.runner import run_checks
from crumail.settings.tables import DEFAULT_INTERNAL_DOMAINS

DEFAULT_INTERNAL = DEFAULT_INTERNAL_DOMAINS
DEFAULT_FOLDER = "tests/data/checks"


@dataclass
class Score:
    """Counts for one check over the corpus."""

    expected: int = 0
    found: int = 0
    false_positives: int = 0
    false_positives_on_negatives: int = 0

    @property
    def recall(self) -> float:
        return self.found / self.expected if self.expected else 1.0


@dataclass
class Evaluation:
    scores: dict[str, Score] = field(default_factory=dict)
    cases: int = 0
    negatives: int = 0
    misses: list[str] = field(default_factory=list)
    extras: list[str] = field(default_factory=list)
    #: by the cases' "class" (a kind of personal data, a Unicode variant ...):
    #: expected items found, and blocking findings nobody expected (false blocks)
    classes: dict[str, Score] = field(default_factory=dict)

    def score(self, check: str) -> Score:
        return self.scores.setdefault(check, Score())


def load_cases(folder: Path | str) -> list[dict[str, Any]]:
    """Every case of every .jsonl file under folder, in file order."""
    cases = []
    for path in sorted(Path(folder).rglob("*.jsonl")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.strip():
                case = json.loads(line)
                case.setdefault("id", f"{path.name}:{number}")
                cases.append(case)
    return cases


def context_of(case: dict[str, Any]) -> CheckContext:
    return CheckContext.build(
        recipients=case.get("recipients", ()),
        internal_domains=case.get("internal_domains", DEFAULT_INTERNAL),
        allow=case.get("allow", ()),
        names=case.get("names", ()),
        staff_names=case.get("staff", ()),
        subject=case.get("subject", ""),
    )


def evaluate(cases: list[dict[str, Any]]) -> Evaluation:
    result = Evaluation(cases=len(cases))
    for case in cases:
        findings = list(run_checks(case["text"], context_of(case)).findings)
        negative = not case.get("expect")
        result.negatives += negative
        group = result.classes.setdefault(case["class"], Score()) if case.get("class") else Score()
        for wanted in case.get("expect", []):
            score = result.score(wanted["check"])
            score.expected += 1
            group.expected += 1
            hit = _take(findings, wanted["check"], wanted["text"])
            if hit:
                score.found += 1
                group.found += 1
            else:
                result.misses.append(f"{case['id']}: missed {wanted['check']} {wanted['text']!r}")
        false_blocks = [f for f in findings if f.severity == "block"]
        group.false_positives += len(false_blocks)
        group.false_positives_on_negatives += negative and bool(false_blocks)
        for extra in findings:
            score = result.score(extra.check)
            score.false_positives += 1
            score.false_positives_on_negatives += negative
            result.extras.append(f"{case['id']}: extra {extra.check} {extra.text!r} ({extra.reason})")
    return result


def _take(findings: list[Finding], check: str, text: str) -> bool:
    for i, finding in enumerate(findings):
        if finding.check == check and finding.text == text:
            del findings[i]
            return True
    return False


def table(result: Evaluation) -> str:
    """A plain-text table, one row per check, then the totals."""
    rows = [f"{'check':<16} {'expected':>8} {'found':>6} {'recall':>7} {'false +':>8} {'on negatives':>13}"]
    total = Score()
    for check in sorted(result.scores):
        s = result.scores[check]
        rows.append(
            f"{check:<16} {s.expected:>8} {s.found:>6} {s.recall:>7.1%} {s.false_positives:>8} "
            f"{s.false_positives_on_negatives:>13}"
        )
        total.expected += s.expected
        total.found += s.found
        total.false_positives += s.false_positives
        total.false_positives_on_negatives += s.false_positives_on_negatives
    rows.append(
        f"{'all':<16} {total.expected:>8} {total.found:>6} {total.recall:>7.1%} {total.false_positives:>8} "
        f"{total.false_positives_on_negatives:>13}"
    )
    rows.append(f"{result.cases} cases, {result.negatives} of them negatives (must give no finding)")
    return "\n".join(rows)


def class_table(result: Evaluation) -> str:
    """Recall and false blocks per class of case (only cases that name a class)."""
    rows = [f"{'class':<28} {'expected':>8} {'found':>6} {'recall':>7} {'false blocks':>13} {'blocked negatives':>18}"]
    for name in sorted(result.classes):
        s = result.classes[name]
        rows.append(f"{name:<28} {s.expected:>8} {s.found:>6} {s.recall:>7.1%} {s.false_positives:>13} "
                    f"{s.false_positives_on_negatives:>18}")
    return "\n".join(rows)


# Sentences a referral unit's mail might hold a name in; the probe fills
# them with Faker's en_GB names, which the corpus above did not choose.
PROBE_TEMPLATES = (
    "{f} {l} called about the request.", "I spoke with {f} {l} yesterday.", "Dear {f},\n\nThanks.",
    "Regards,\n{f} {l}\nAnalyst", "We wrote to Mr {l} again.", "The requester, {f} {l}, has appealed.",
    "{f} {l}'s request was refused.", "Statement by DC {l}.", "cc {f} {l} (Legal)", "Forwarded by {f} {l} on Tuesday.",
    "Per {f}: figures attached.", "{l}, {f} <x@example.org> wrote:", "Please ask {f} to call back.",
    "Officer in case: {f} {l}", "Thanks {f}!", "Hi {f}, see below.",
)


def name_probe(count: int = 800, seed: int = 11) -> tuple[float, float]:
    """Share of generated sentences whose name blocks, and blocks or warns."""
    from random import Random

    from faker import Faker

    fake, rng = Faker("en_GB"), Random(seed)
    fake.seed_instance(seed)
    blocked = flagged = 0
    for _ in range(count):
        first, last = fake.first_name(), fake.last_name()
        text = rng.choice(PROBE_TEMPLATES).format(f=first, l=last)
        hits = [f for f in run_checks(text).findings if f.check == "name" and (first in f.text or last in f.text)]
        blocked += any(f.severity == "block" for f in hits)
        flagged += bool(hits)
    return blocked / count, flagged / count


if __name__ == "__main__":
    # ``python -m crumail.checks.evaluate [FOLDER] [-v] [--names-probe]``: the same
    # as ``crumail eval --checks FOLDER``.  Only when run, never when imported, so
    # the checks do not depend on the command line.
    from crumail.cli import main

    args = sys.argv[1:]
    if all(arg.startswith("-") for arg in args):
        args.insert(0, DEFAULT_FOLDER)
    main.main(["eval", "--checks", *args], prog_name="python -m crumail.checks.evaluate")
