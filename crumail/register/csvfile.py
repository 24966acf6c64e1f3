"""The force register's CSV form (pure: text in, forces out, and back).

Columns (a header line first, in any order, all of them, no others)::

    name,short_name,nation,region,kind,foi_mailboxes,domains,active

``foi_mailboxes`` and ``domains`` hold several values separated by ``;``.
Every row is checked and every problem reported with its line number, so a
file is mended in one go; the register as a whole is checked too: names,
short names, mailboxes and domains unique across it (a domain two forces
share would match neither).  A value that starts like a spreadsheet formula
(``= + - @``) is refused rather than quoted, so that an export reads back
exactly as it was imported.  The same checks serve the desk's edit form
(:func:`check_force`, :func:`check_register`).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from typing import Iterable, Mapping

from crumail.errors import ConfigError, RegisterError
from crumail.model import Force
from crumail.settings.tables import nation as canonical_nation

COLUMNS = ("name", "short_name", "nation", "region", "kind", "foi_mailboxes", "domains", "active")
KINDS = ("territorial", "non-territorial")
#: A register file larger than this is refused before it is read whole.
MAX_FILE_BYTES = 1_000_000
#: Rows in one file (the UK has ~50 forces and bodies; room for many more).
MAX_FORCES = 2_000
MAX_FIELD_CHARS = 200
MAX_VALUES = 20
#: Problems reported before the check stops (a wrong file would list every line).
MAX_PROBLEMS = 100

_TRUE = {"true", "yes", "y", "1"}
_FALSE = {"false", "no", "n", "0"}
_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_DOMAIN = re.compile(rf"^{_LABEL}(?:\.{_LABEL})+$")
_MAILBOX = re.compile(rf"^[a-z0-9!#$%&'*+/=?^_`{{|}}~.-]{{1,64}}@{_LABEL}(?:\.{_LABEL})+$")
_FORMULA = ("=", "+", "-", "@")
_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f]")


@dataclass(frozen=True)
class Line:
    """A problem's place: ``line 7`` in a file, or a form's name."""

    label: str


def parse(text: str) -> list[Force]:
    """Every force of a register CSV; RegisterError lists each problem by line."""
    if len(text) > MAX_FILE_BYTES:
        raise RegisterError([f"the file is over {MAX_FILE_BYTES:,} characters"])
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""))
    problems: list[str] = []
    try:
        header = next(reader, None)
    except csv.Error as exc:
        raise RegisterError([f"line 1: {exc}"]) from None
    columns = _header(header, problems)
    if problems:
        raise RegisterError(problems)
    forces: list[tuple[str, Force]] = []
    try:
        for row in reader:
            where = f"line {reader.line_num}"
            if not any(cell.strip() for cell in row):
                continue
            if len(forces) >= MAX_FORCES:
                problems.append(f"{where}: more than {MAX_FORCES:,} forces in one file")
                break
            if len(row) != len(columns):
                problems.append(f"{where}: {len(row)} cells where the header has {len(columns)}")
                continue
            force = _checked(dict(zip(columns, row)), where, problems)
            if force is not None:
                forces.append((where, force))
            if len(problems) >= MAX_PROBLEMS:
                break
    except csv.Error as exc:
        problems.append(f"line {reader.line_num}: {exc}")
    problems += _clashes(forces)
    if problems:
        raise RegisterError(problems[:MAX_PROBLEMS])
    return [force for _, force in forces]


def write(forces: Iterable[Force]) -> str:
    """The CSV text of ``forces`` (what :func:`parse` reads back the same)."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for force in forces:
        writer.writerow([force.name, force.short_name, force.nation, force.region, force.kind,
                         ";".join(force.foi_mailboxes), ";".join(force.domains),
                         "true" if force.active else "false"])
    return out.getvalue()


def check_force(values: Mapping[str, str], where: str = "form") -> Force:
    """One force from text values (a CSV row, a desk form); RegisterError if wrong."""
    problems: list[str] = []
    force = _checked(values, where, problems)
    if force is None:
        raise RegisterError(problems)
    return force


def check_register(forces: Iterable[Force]) -> None:
    """Refuse a register whose forces share a name, short name, mailbox or domain."""
    problems = _clashes([(f.name, f) for f in forces])
    if problems:
        raise RegisterError(problems)


def _header(header: list[str] | None, problems: list[str]) -> tuple[str, ...]:
    if not header:
        problems.append("line 1: no header (expected: " + ",".join(COLUMNS) + ")")
        return ()
    names = tuple(h.strip().lower() for h in header)
    missing = [c for c in COLUMNS if c not in names]
    unknown = [n for n in names if n not in COLUMNS]
    doubled = sorted({n for n in names if names.count(n) > 1})
    for what, found in (("missing column", missing), ("unknown column", unknown),
                        ("column given twice", doubled)):
        if found:
            problems.append(f"line 1: {what}(s): {', '.join(found)} (expected: {','.join(COLUMNS)})")
    return names


def _checked(values: Mapping[str, str], where: str, problems: list[str]) -> Force | None:
    before = len(problems)

    def bad(column: str, why: str) -> None:
        problems.append(f"{where}: {column}: {why}")

    text = {c: _text(values.get(c, ""), c, bad) for c in COLUMNS}
    for column in ("name", "short_name"):
        if not text[column]:
            bad(column, "is empty")
    nation = _nation(text["nation"], bad)
    kind = text["kind"].lower().replace(" ", "-") or "territorial"
    if kind not in KINDS:
        bad("kind", f"{text['kind']!r} is not one of {', '.join(KINDS)}")
    mailboxes = _many(text["foi_mailboxes"], "foi_mailboxes", _MAILBOX, bad)
    if not mailboxes and text["foi_mailboxes"] == "":
        bad("foi_mailboxes", "is empty: a force needs at least one FOI mailbox")
    domains = _many(text["domains"], "domains", _DOMAIN, bad)
    active = text["active"].lower() or "true"
    if active not in _TRUE | _FALSE:
        bad("active", f"{text['active']!r} is not true or false")
    if len(problems) > before:
        return None
    return Force(name=text["name"], short_name=text["short_name"], nation=nation, region=text["region"],
                 kind=kind, foi_mailboxes=mailboxes, domains=domains, active=active in _TRUE)


def _text(value: str | None, column: str, bad) -> str:
    value = " ".join(_CONTROLS.sub(" ", value or "").split())
    if len(value) > MAX_FIELD_CHARS * (MAX_VALUES if column in ("foi_mailboxes", "domains") else 1):
        bad(column, f"is over {MAX_FIELD_CHARS} characters")
        return ""
    if value.startswith(_FORMULA):
        bad(column, f"{value[:40]!r} starts like a spreadsheet formula ({' '.join(_FORMULA)})")
        return ""
    return value


def _nation(value: str, bad) -> str:
    try:
        return canonical_nation(value)
    except ConfigError:
        bad("nation", f"{value!r} is not england-and-wales, scotland or northern-ireland")
        return ""


def _many(value: str, column: str, pattern: re.Pattern[str], bad) -> tuple[str, ...]:
    items = [v.strip().lower().rstrip(".") for v in value.split(";") if v.strip()]
    if len(items) > MAX_VALUES:
        bad(column, f"more than {MAX_VALUES} values")
        return ()
    wrong = [v for v in items if not pattern.match(v)]
    if wrong:
        bad(column, f"not a valid {'address' if column == 'foi_mailboxes' else 'domain'}: "
                    f"{', '.join(repr(w[:60]) for w in wrong[:3])}")
        return ()
    if len(set(items)) != len(items):
        bad(column, "a value is given twice")
        return ()
    return tuple(items)


def _clashes(forces: list[tuple[str, Force]]) -> list[str]:
    """Values two forces share (by first holder), in one pass per kind."""
    problems: list[str] = []
    for what, values_of in (("name", lambda f: [f.name.lower()]),
                            ("short_name", lambda f: [f.short_name.lower()]),
                            ("foi mailbox", lambda f: list(f.foi_mailboxes)),
                            ("domain", lambda f: list(f.domains))):
        seen: dict[str, str] = {}
        for where, force in forces:
            for value in values_of(force):
                if value in seen and seen[value] != where:
                    problems.append(f"{where}: {what} {value!r} is also {seen[value]}'s")
                else:
                    seen.setdefault(value, where)
    return problems
