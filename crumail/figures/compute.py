"""The unit's figures for a period, as tables (each drawn as a chart).

Pure counting over the rows crumail/store/figures.py reads: new logs per
ISO week and per month, by force and by topic; drafts by state; days from
a message's arrival to its draft's approval and to its sending (median and
90th percentile, nearest-rank); deadlines met, missed and still open; the
exemptions cited in advice.  Forces' positions wait for issue 11's per-force
tracking (see :data:`FORCE_POSITIONS`).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlite_utils import Database

from crumail.figures.topics import topic_of
from crumail.store import figures as rows
from crumail.store.figures import Period

WEEKS_SHOWN = 26          # the weekly chart shows the period's last half-year
MONTHS_SHOWN = 36
TOP_FORCES = 15           # the rest are summed as "Other forces"
FORCE_POSITIONS = "Forces' positions need per-force tracking (issue 11); not counted yet."


@dataclass(frozen=True)
class Table:
    name: str                  # the download's name: logs-by-week
    title: str
    header: tuple[str, ...]
    rows: list[list[object]]
    chart: bool = True         # draw the first two columns as bars
    note: str = ""


@dataclass(frozen=True)
class Figures:
    period: str
    tables: list[Table] = field(default_factory=list)

    def table(self, name: str) -> Table | None:
        return next((t for t in self.tables if t.name == name), None)


#: A log's topic as last read: log -> (the highest id of its questions, topic).
TopicMemo = dict[str, tuple[int, str]]


def compute(db: Database, period: Period, label: str, today: date,
            memo: TopicMemo | None = None) -> Figures:
    """The figures of ``period``; ``memo`` (kept by the caller between calls)
    spares reading again the questions of a log whose topic is known."""
    logs = rows.new_logs(db, period)
    topics = _topics(db, period, {} if memo is None else memo)
    drafts = rows.drafts(db, period)
    return Figures(label, [
        _by_week(logs), _by_month(logs), _by_force(logs),
        _counted("logs-by-topic", "New logs by topic", "topic",
                 topics + Counter({"(no questions)": max(0, len(logs) - sum(topics.values()))})),
        _counted("drafts-by-state", "Drafts by state", "state", Counter(d.state for d in drafts)),
        _times(drafts), _deadlines(drafts, today),
        _counted("exemptions", "Exemptions cited in advice", "exemption",
                 Counter(_exemption(e) for _, _, cited in logs for e in set(cited))),
        Table("force-positions", "Forces' positions", ("position", "logs"), [], chart=False,
              note=FORCE_POSITIONS),
    ])


def _topics(db: Database, period: Period, memo: TopicMemo) -> Counter:
    marks = rows.question_marks(db, period)
    stale = [log for log, mark in marks.items() if memo.get(log, (None, ""))[0] != mark]
    for log, texts in rows.question_texts(db, stale).items():
        memo[log] = (marks[log], topic_of(texts))
    return Counter(memo[log][1] for log in marks if log in memo)


def _by_week(logs) -> Table:
    counts = Counter(_week(seen) for seen, _, _ in logs)
    keys = sorted(counts)[-WEEKS_SHOWN:]
    return Table("logs-by-week", "New logs per week", ("week", "logs"), [[k, counts[k]] for k in keys])


def _by_month(logs) -> Table:
    counts = Counter(seen[:7] for seen, _, _ in logs)
    keys = sorted(counts)[-MONTHS_SHOWN:]
    return Table("logs-by-month", "New logs per month", ("month", "logs"), [[k, counts[k]] for k in keys])


def _by_force(logs) -> Table:
    counts = Counter((force or "(not known)").strip() for _, force, _ in logs)
    top = counts.most_common(TOP_FORCES)
    rest = sum(counts.values()) - sum(n for _, n in top)
    listed = [[name, n] for name, n in top] + ([["Other forces", rest]] if rest else [])
    return Table("logs-by-force", "New logs by force", ("force", "logs"), listed)


def _counted(name: str, title: str, what: str, counts: Counter) -> Table:
    return Table(name, title, (what, "count"),
                 [[k, n] for k, n in sorted(counts.items(), key=lambda i: (-i[1], str(i[0]))) if n])


def _times(drafts) -> Table:
    approval = [_days(d.received_at, d.approved_at) for d in drafts]
    sending = [_days(d.received_at, d.sent_at) for d in drafts]
    lines = []
    for label, values in (("arrival to approval", approval), ("arrival to sending", sending)):
        known = sorted(v for v in values if v is not None)
        lines.append([label, _rank(known, 50), _rank(known, 90), len(known)])
    return Table("turnaround", "Days from arrival to approval and to sending",
                 ("from", "median days", "p90 days", "drafts"), lines)


def _deadlines(drafts, today: date) -> Table:
    counts: Counter = Counter()
    for d in drafts:
        if not d.due_date or d.state == "rejected":
            continue
        if d.sent_at:
            counts["met" if d.sent_at[:10] <= d.due_date else "missed"] += 1
        else:
            counts["missed (still open)" if d.due_date < today.isoformat() else "open, in time"] += 1
    order = ("met", "missed", "missed (still open)", "open, in time")
    return Table("deadlines", "Deadlines met and missed", ("deadline", "drafts"),
                 [[k, counts[k]] for k in order])


def _rank(values: list[float], percent: int) -> float | None:
    """The nearest-rank percentile of sorted ``values`` (None when empty), to 0.1 day."""
    if not values:
        return None
    return round(values[max(0, math.ceil(percent / 100 * len(values)) - 1)], 1)


def _days(start: str | None, end: str | None) -> float | None:
    if not start or not end:
        return None
    try:
        gap = datetime.fromisoformat(end) - datetime.fromisoformat(start)
    except (TypeError, ValueError):
        return None
    return max(0.0, gap / timedelta(days=1))


def _week(seen: str) -> str:
    try:
        year, week, _ = date.fromisoformat(seen[:10]).isocalendar()
    except ValueError:
        return "(no date)"
    return f"{year}-W{week:02d}"


SECTION = re.compile(r"(?i)^\s*(?:s(?:ec(?:tion)?)?\.?\s*)?(\d{1,2})(\(\d\))?")


def _exemption(cited: str) -> str:
    """"s.40(2)", "Section 40(2)", "S40(2)" all count as "s.40(2)"."""
    found = SECTION.match(cited)
    return f"s.{found.group(1)}{found.group(2) or ''}" if found else cited.strip()[:40]
