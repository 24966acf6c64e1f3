"""``crumail eval DIR``: how well parse + extract read a corpus of mail.

Every ``NAME.eml`` or ``NAME.msg`` in the directory with a
``NAME.expected.json`` beside it is parsed and extracted, and each field the
expected file names (from ``COMPARED_FIELDS``, nested messages included) is
compared with what came out.  The report gives accuracy per field and
overall, a confusion matrix of kinds (rows: expected, columns: read), the
questions and advice alignment per message (questions read right, advice
blocks mapped to the right question numbers), and lists every miss so that
the next engineer sees what to fix.
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
    #: Expected kind -> kind read -> how many messages (top-level and nested).
    kinds: dict[str, dict[str, int]] = field(default_factory=dict)
    #: Per message: [file, questions right, questions expected, advice blocks
    #: mapped right, advice blocks expected].
    alignment: list[list] = field(default_factory=list)
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
    if "kind" in expected:
        row = report.kinds.setdefault(expected["kind"], {})
        row[str(got.get("kind"))] = row.get(str(got.get("kind")), 0) + 1
    if "questions" in expected or "advice" in expected:
        report.alignment.append([where, *_aligned(expected, got)])
    for name in COMPARED_FIELDS:
        if name in expected:
            _score(report, where, name, expected[name], got.get(name))
    if "nested" in expected:
        _compare_nested(report, where, expected["nested"], got.get("nested") or [])


def _aligned(expected: dict, got: dict) -> tuple[int, int, int, int]:
    """(questions read right, expected; advice blocks mapped right, expected):
    a question is right when its number and text are; an advice block when a
    block read has its question numbers and its text."""
    def keyed(items, *names):
        return {tuple(json.dumps(_plain(i.get(n))) for n in names) for i in items or ()}
    want_q, want_a = expected.get("questions") or [], expected.get("advice") or []
    have_q = keyed(got.get("questions"), "number", "text")
    have_a = keyed(got.get("advice"), "questions", "text")
    right_q = sum(k in have_q for k in keyed(want_q, "number", "text"))
    right_a = sum(k in have_a for k in keyed(want_a, "questions", "text"))
    return right_q, len(want_q), right_a, len(want_a)


def confusions(report: EvalReport) -> list[tuple[str, str, int]]:
    """(expected kind, kind read, count) for every message read as another kind."""
    return [(want, got, n) for want, row in sorted(report.kinds.items())
            for got, n in sorted(row.items()) if got != want]


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
    lines += ["", *format_kinds(report), "", *format_alignment(report)]
    lines += [f"ERROR {file}: {reason}" for file, reason in report.errors]
    if report.misses:
        lines += ["", f"{len(report.misses)} miss(es):"]
        lines += [_format_miss(miss) for miss in report.misses]
    return "\n".join(lines)


def format_kinds(report: EvalReport) -> list[str]:
    """The kind confusion matrix: a row per expected kind, a column per kind read."""
    rows = sorted(report.kinds)
    columns = sorted({k for row in report.kinds.values() for k in row} | set(rows))
    width = max([len(k) for k in columns] + [8])
    lines = ["kinds (rows: expected, columns: read)",
             " " * (width + 2) + " ".join(f"{_short(c):>5}" for c in columns)]
    for want in rows:
        cells = (report.kinds[want].get(c, 0) for c in columns)
        lines.append(f"  {want:<{width}}" + " ".join(f"{n or '.':>5}" for n in cells))
    legend = ", ".join(f"{_short(c)} = {c}" for c in columns)
    wrong = confusions(report)
    lines.append(f"  ({legend})")
    lines.append("  confusions: " + ("; ".join(f"{w} read as {g} x{n}" for w, g, n in wrong) or "none"))
    return lines


#: Column heads of the kind matrix.
SHORT_KINDS = {"acknowledgement": "ack", "chaser": "chase", "circulation": "circ", "clarification": "clar",
               "force_query": "query", "force_reply": "reply", "forwarded_circulation": "fwd",
               "other": "other", "out_of_office": "ooo", "referral": "ref"}


def _short(kind: str) -> str:
    return SHORT_KINDS.get(kind, kind[:5])


def format_alignment(report: EvalReport) -> list[str]:
    """Questions and advice alignment per message; only the imperfect ones listed."""
    q = [sum(r[1] for r in report.alignment), sum(r[2] for r in report.alignment)]
    a = [sum(r[3] for r in report.alignment), sum(r[4] for r in report.alignment)]
    lines = [f"questions and advice alignment: questions {q[0]}/{q[1]} right, "
             f"advice blocks {a[0]}/{a[1]} mapped to the right questions"]
    for where, right_q, want_q, right_a, want_a in report.alignment:
        if right_q != want_q or right_a != want_a:
            lines.append(f"  {where}: questions {right_q}/{want_q}, advice {right_a}/{want_a}")
    return lines


def _field_order(name: str) -> int:
    return COMPARED_FIELDS.index(name) if name in COMPARED_FIELDS else len(COMPARED_FIELDS)


def _format_miss(miss: Miss) -> str:
    want = json.dumps(miss.expected, ensure_ascii=False)
    got = json.dumps(miss.got, ensure_ascii=False)
    return f"- {miss.file}: {miss.field}\n    expected {_clip(want)}\n    got      {_clip(got)}"


def _clip(text: str, limit: int = 600) -> str:
    return text if len(text) <= limit else text[:limit] + " ..."
