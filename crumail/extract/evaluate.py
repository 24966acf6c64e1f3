"""``crumail eval DIR``: how well parse + extract read a corpus of mail.

Every ``NAME.eml`` or ``NAME.msg`` in the directory with a
``NAME.expected.json`` beside it is parsed and extracted, and each field the
expected file names (from ``COMPARED_FIELDS``, nested messages included) is
compared with what came out.  The report gives accuracy per field and
overall, and lists every miss so that the next engineer sees what to fix.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from crumail.errors import CrumailError
from crumail.extract import extract
from crumail.extract.contract import contract
from crumail.parse import parse_bytes

#: The contract fields an expected file may pin down (plus ``nested``).
COMPARED_FIELDS = (
    "kind", "subject", "log_numbers", "primary_log", "circulation_date", "case_worker",
    "logged_with", "sent_from", "protective_marking", "handling_caveats", "questions",
    "advice", "exemptions", "related_logs", "cross_references", "redaction_markers",
)
MAIL_SUFFIXES = (".eml", ".msg")
EXPECTED_SUFFIX = ".expected.json"


@dataclass
class Miss:
    file: str
    field: str
    expected: object
    got: object


@dataclass
class EvalReport:
    directory: str
    files: int = 0
    fields: dict[str, list[int]] = field(default_factory=dict)  # name -> [hits, total]
    misses: list[Miss] = field(default_factory=list)
    errors: list[list[str]] = field(default_factory=list)  # [file, reason]
    #: Filled in by ``evaluate`` so that ``asdict`` (``crumail eval --json``) carries them.
    accuracy_by_field: dict[str, float] = field(default_factory=dict)
    overall_accuracy: float = 1.0

    @property
    def overall(self) -> float:
        hits = sum(h for h, _ in self.fields.values())
        total = sum(t for _, t in self.fields.values())
        return hits / total if total else 1.0

    def accuracy(self, name: str) -> float:
        hits, total = self.fields.get(name, [0, 0])
        return hits / total if total else 1.0

    def __str__(self) -> str:
        return format_report(self)


def evaluate(directory: str | Path) -> EvalReport:
    """Compare parse + extract with the expected JSON beside each mail file."""
    root = Path(directory)
    report = EvalReport(str(root))
    for mail in mail_files(root):
        expected = json.loads(expected_path(mail).read_text(encoding="utf-8"))
        report.files += 1
        try:
            got = read_mail(mail)
        except (CrumailError, OSError) as error:
            report.errors.append([mail.name, str(error)])
            got = {}
        compare(report, mail.name, expected, got)
    report.accuracy_by_field = {name: report.accuracy(name) for name in report.fields}
    report.overall_accuracy = report.overall
    return report


def mail_files(root: Path) -> list[Path]:
    found = [p for p in root.iterdir() if p.suffix.lower() in MAIL_SUFFIXES and p.is_file()]
    return sorted(p for p in found if expected_path(p).exists())


def expected_path(mail: Path) -> Path:
    return mail.with_name(mail.stem + EXPECTED_SUFFIX)


def read_mail(path: Path) -> dict:
    parsed = parse_bytes(path.read_bytes(), path.name)
    return contract(parsed, extract(parsed), path.name)


def compare(report: EvalReport, where: str, expected: dict, got: dict) -> None:
    for name in COMPARED_FIELDS:
        if name in expected:
            _score(report, where, name, expected[name], got.get(name))
    if "nested" in expected:
        _compare_nested(report, where, expected["nested"], got.get("nested") or [])


def _compare_nested(report: EvalReport, where: str, expected: list, got: list) -> None:
    _score(report, where, "nested", len(expected), len(got))
    for i, (want, have) in enumerate(zip(expected, got)):
        compare(report, f"{where} nested[{i}]", want, have)


def _score(report: EvalReport, where: str, name: str, expected: object, got: object) -> None:
    tally = report.fields.setdefault(name, [0, 0])
    tally[1] += 1
    if same(expected, got):
        tally[0] += 1
    else:
        report.misses.append(Miss(where, name, expected, got))


def same(expected: object, got: object) -> bool:
    """Equal, with runs of white space in strings counted as one space."""
    return _plain(expected) == _plain(got)


def _plain(value: object) -> object:
    if isinstance(value, str):
        return re.sub(r"\s+", " ", value).strip()
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def format_report(report: EvalReport) -> str:
    """Accuracy per field and overall, then every miss."""
    lines = [f"{report.files} message(s) in {report.directory}", ""]
    for name in sorted(report.fields, key=_field_order):
        hits, total = report.fields[name]
        lines.append(f"  {name:<20} {100 * hits / total:6.1f}%  ({hits}/{total})")
    lines += ["", f"  {'overall':<20} {100 * report.overall:6.1f}%"]
    lines += [f"ERROR {file}: {reason}" for file, reason in report.errors]
    if report.misses:
        lines += ["", f"{len(report.misses)} miss(es):"]
        lines += [_format_miss(miss) for miss in report.misses]
    return "\n".join(lines)


def _field_order(name: str) -> int:
    return COMPARED_FIELDS.index(name) if name in COMPARED_FIELDS else len(COMPARED_FIELDS)


def _format_miss(miss: Miss) -> str:
    want = json.dumps(miss.expected, ensure_ascii=False)
    got = json.dumps(miss.got, ensure_ascii=False)
    return f"- {miss.file}: {miss.field}\n    expected {_clip(want)}\n    got      {_clip(got)}"


def _clip(text: str, limit: int = 600) -> str:
    return text if len(text) <= limit else text[:limit] + " ..."
