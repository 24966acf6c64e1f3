"""Reading the casebook: list and show logs, full-text search, precedents.

Everything here is read-only SQL over the tables that
``crumail.store.casebook`` derives; the CLI and (later) the drafting stage
call these functions and never write SQL of their own.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

from sqlite_utils import Database

from crumail.lognumber import LogNumber, normalise
from crumail.store import similarity as scoring
from crumail.store.db import fetch_dicts

SNIPPET_TOKENS = 16
# Candidates fetched by bm25 for each precedent slot, then re-scored.
CANDIDATES_PER_SLOT = 8


@dataclass(frozen=True)
class Hit:
    """One search result: a question or an advice block of a log."""

    log: str
    source: str  # "question" or "advice"
    questions: list[int]
    label: str | None  # the question's label, or the advice heading
    snippet: str
    text: str
    score: float  # bm25: lower is better

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class AdviceBlock:
    questions: list[int]
    heading: str | None
    text: str


@dataclass(frozen=True)
class Precedent:
    """A question asked in an earlier log, with the advice it received."""

    log: str
    question: int
    label: str | None
    text: str
    similarity: float  # Dice overlap of significant words, 0.0 to 1.0
    via: str  # "cross_reference" (the unit said so) or "text"
    advice: list[AdviceBlock] = field(default_factory=list)


@dataclass(frozen=True)
class QuestionPrecedents:
    """One question of the log asked about, and its closest precedents."""

    log: str
    question: int
    label: str | None
    text: str
    precedents: list[Precedent]

    def as_dict(self) -> dict:
        return asdict(self)


# -- logs --------------------------------------------------------------------

LOG_COLUMNS = """l.log, l.year, l.number, l.kind, l.circulation_date, l.case_worker,
    l.logged_with, l.sent_from, l.protective_marking, l.handling_caveats, l.exemptions,
    l.first_seen, l.last_seen, l.message_count,
    (SELECT count(*) FROM questions q WHERE q.log = l.log) AS question_count,
    (SELECT count(*) FROM advice a WHERE a.log = l.log) AS advice_count"""


def list_logs(db: Database, *, year: int | None = None, force: str | None = None,
              kind: str | None = None, limit: int | None = None) -> list[dict]:
    """Logs, newest first; ``force`` matches part of "logged with", any case."""
    where, params = [], []
    if year is not None:
        where.append("l.year = ?")
        params.append(LogNumber.full_year(year))
    if force:
        where.append("l.logged_with LIKE ? ESCAPE '\\'")
        params.append("%" + force.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%")
    if kind:
        where.append("l.kind = ?" if kind != "referenced" else "l.kind IS NULL")
        params += [kind] if kind != "referenced" else []
    sql = f"SELECT {LOG_COLUMNS} FROM logs l"
    sql += (" WHERE " + " AND ".join(where)) if where else ""
    sql += " ORDER BY l.year DESC, l.number DESC"
    sql += f" LIMIT {int(limit)}" if limit else ""
    return [_log_row(r) for r in fetch_dicts(db, sql, params)]


def get_log(db: Database, log: str) -> dict | None:
    """Everything the casebook knows about ``log``: fields, each question with
    the advice that covers it, general advice, linked logs and messages."""
    log = normalise(log) or log
    rows = fetch_dicts(db, f"SELECT {LOG_COLUMNS} FROM logs l WHERE l.log = ?", [log])
    if not rows:
        return None
    record = _log_row(rows[0])
    advice = advice_of(db, log)
    record["questions"] = [
        {**q, "advice": [asdict(a) for a in advice if q["number"] in a.questions]}
        for q in fetch_dicts(db, "SELECT number, label, text FROM questions WHERE log = ? ORDER BY number, id", [log])
    ]
    numbers = {q["number"] for q in record["questions"]}
    record["general_advice"] = [asdict(a) for a in advice if not set(a.questions) & numbers]
    record["links"] = links_of(db, log)
    record["messages"] = messages_of(db, log)
    return record


def questions_with_advice(db: Database, logs: set[str] | None = None) -> list[dict]:
    """Every question (of ``logs``, or of all logs) with the advice that
    covers it, log by log: two queries, however big the casebook."""
    advice: dict[str, list[AdviceBlock]] = {}
    for log, numbers, heading, text in db.execute(
            "SELECT log, questions, heading, text FROM advice ORDER BY log, position"):
        if logs is None or log in logs:
            advice.setdefault(log, []).append(AdviceBlock(json.loads(numbers), heading, text))
    found = []
    for row in fetch_dicts(db, """SELECT q.log, q.number, q.label, q.text FROM questions q
                             JOIN logs l ON l.log = q.log
                             ORDER BY l.year DESC, l.number DESC, q.number, q.id"""):
        if logs is None or row["log"] in logs:
            covering = [a for a in advice.get(row["log"], ()) if row["number"] in a.questions]
            found.append({**row, "advice": covering})
    return found


def advice_of(db: Database, log: str) -> list[AdviceBlock]:
    return [AdviceBlock(json.loads(r[0]), r[1], r[2]) for r in db.execute(
        "SELECT questions, heading, text FROM advice WHERE log = ? ORDER BY position", [log])]


def links_of(db: Database, log: str) -> list[dict]:
    """Logs this one refers to ("to") and logs that refer to it ("from")."""
    rows = fetch_dicts(db, """
        SELECT 'to' AS direction, to_log AS log, their_questions, our_questions
          FROM log_links WHERE from_log = ?
        UNION ALL
        SELECT 'from', from_log, our_questions, their_questions
          FROM log_links WHERE to_log = ?
        ORDER BY 1 DESC, 2""", [log, log])
    # Seen from ``log``: "their" questions are always the other log's.
    return [{"direction": r["direction"], "log": r["log"],
             "their_questions": json.loads(r["their_questions"]),
             "our_questions": json.loads(r["our_questions"])} for r in rows]


def messages_of(db: Database, log: str) -> list[dict]:
    """Stored messages that mention ``log``: the message, or the nested one."""
    return fetch_dicts(db, """
        SELECT lm.message, lm.path, lm.role, lm.seen_at,
               coalesce(n.subject, m.subject) AS subject,
               coalesce(n.from_address, m.from_address) AS from_address
          FROM log_messages lm JOIN messages m ON m.id = lm.message
          LEFT JOIN nested n ON n.message = lm.message AND n.path = lm.path
         WHERE lm.log = ? ORDER BY lm.seen_at, lm.message, lm.path""", [log])


def _log_row(row: dict) -> dict:
    row["handling_caveats"] = json.loads(row["handling_caveats"])
    row["exemptions"] = json.loads(row["exemptions"])
    return row


# -- full-text search --------------------------------------------------------

def search(db: Database, query: str, limit: int = 20) -> list[Hit]:
    """Questions and advice matching every word of ``query`` (or, when none
    match them all, any word), best first by bm25."""
    terms = scoring.search_terms(query)
    if not terms or limit <= 0:
        return []
    hits = _search(db, scoring.fts_query(terms, "AND"), limit)
    if not hits and len(terms) > 1:
        hits = _search(db, scoring.fts_query(terms, "OR"), limit)
    return hits


def _search(db: Database, match: str, limit: int) -> list[Hit]:
    hits = [hit for source in _SOURCES for hit in _hits(db, source, match, limit)]
    hits.sort(key=lambda h: h.score)
    return hits[:limit]


# Where each kind of hit is found: the row's log, its question numbers (a
# JSON list), its label or heading; the full-text table; the table it indexes.
_SOURCES = {
    "question": ("q.log, json_array(q.number), q.label, q.text", "questions_fts", "questions q ON q.id"),
    "advice": ("a.log, a.questions, a.heading, a.text", "advice_fts", "advice a ON a.id"),
}


def _hits(db: Database, source: str, match: str, limit: int) -> list[Hit]:
    columns, fts, joined = _SOURCES[source]
    rows = db.execute(f"""
        SELECT {columns}, f.snip, f.rank FROM (
            SELECT rowid, rank, snippet({fts}, 0, '[', ']', '…', {SNIPPET_TOKENS}) AS snip
              FROM {fts} WHERE {fts} MATCH ? ORDER BY rank LIMIT ?
        ) f JOIN {joined} = f.rowid ORDER BY f.rank""", [match, limit])
    return [Hit(log, source, json.loads(numbers), label, snip, text, rank)
            for log, numbers, label, text, snip, rank in rows]


# -- precedents --------------------------------------------------------------

def similar(db: Database, log: str, limit: int = 3) -> list[QuestionPrecedents]:
    """For each question of ``log``, the closest questions in earlier logs
    (by log number: year, then number), each from a different log, with the
    advice they received.  Questions the unit itself cross-referenced to an
    earlier log come first, whatever their wording.  [] if ``log`` has no
    questions in the casebook."""
    log = normalise(log) or log
    questions = fetch_dicts(db, "SELECT number, label, text FROM questions WHERE log = ? ORDER BY number, id", [log])
    if not questions:
        return []
    stated = _stated_precedents(db, log)
    return [QuestionPrecedents(log, q["number"], q["label"], q["text"],
                               _precedents_for(db, log, q, stated.get(q["number"], []), limit))
            for q in questions]


def _precedents_for(db: Database, log: str, question: dict, stated: list[tuple[str, int]],
                    limit: int) -> list[Precedent]:
    found: list[Precedent] = []
    for other, number in stated:
        row = db.execute("SELECT label, text FROM questions WHERE log = ? AND number = ?",
                         [other, number]).fetchone()
        if row:
            found.append(_precedent(db, other, number, row[0], row[1], question["text"], "cross_reference"))
    taken = {p.log for p in found} | {log}
    for other, number, label, text in _candidates(db, log, question["text"], limit):
        if other not in taken and len(found) < limit:
            taken.add(other)
            found.append(_precedent(db, other, number, label, text, question["text"], "text"))
    return found[: max(limit, len([p for p in found if p.via == "cross_reference"]))]


def _stated_precedents(db: Database, log: str) -> dict[int, list[tuple[str, int]]]:
    stated: dict[int, list[tuple[str, int]]] = {}
    for other, theirs, ours in db.execute(
            "SELECT to_log, their_questions, our_questions FROM log_links WHERE from_log = ?", [log]):
        for our, their in scoring.cross_referenced(json.loads(theirs), json.loads(ours)).items():
            stated.setdefault(our, []).append((other, their))
    return stated


def _candidates(db: Database, log: str, text: str, limit: int) -> list[tuple]:
    """Questions of earlier logs sharing significant words with ``text``,
    fetched by bm25 and re-ordered by similarity.  The quick way takes the
    best matches of the whole casebook and keeps the earlier ones; when that
    leaves too few logs (an old log in a big casebook), filter first."""
    match = scoring.fts_query(scoring.precedent_terms(text), "OR")
    if not match:
        return []
    year, number = LogNumber.parse(log).sort_key
    wanted = CANDIDATES_PER_SLOT * limit
    rows = db.execute(QUICK_CANDIDATES, [match, wanted * 4, year, number]).fetchall()
    if len({r[0] for r in rows}) < limit:
        rows = db.execute(FILTERED_CANDIDATES, [match, year, number, wanted]).fetchall()
    scored = [(scoring.similarity(text, r[3]), -r[4], r) for r in rows]
    scored.sort(key=lambda s: (s[0], s[1]), reverse=True)
    return [s[2][:4] for s in scored if s[0] > 0]


QUICK_CANDIDATES = """
    SELECT q.log, q.number, q.label, q.text, f.rank FROM (
        SELECT rowid, rank FROM questions_fts WHERE questions_fts MATCH ? ORDER BY rank LIMIT ?
    ) f JOIN questions q ON q.id = f.rowid JOIN logs l ON l.log = q.log
     WHERE (l.year, l.number) < (?, ?)"""

FILTERED_CANDIDATES = """
    SELECT q.log, q.number, q.label, q.text, questions_fts.rank FROM questions_fts
      JOIN questions q ON q.id = questions_fts.rowid JOIN logs l ON l.log = q.log
     WHERE questions_fts MATCH ? AND (l.year, l.number) < (?, ?)
     ORDER BY questions_fts.rank LIMIT ?"""


def _precedent(db: Database, log: str, number: int, label: str | None, text: str,
               question: str, via: str) -> Precedent:
    advice = advice_of(db, log)
    covering = [a for a in advice if number in a.questions] or [a for a in advice if not a.questions]
    return Precedent(log, number, label, text, round(scoring.similarity(question, text), 3), via, covering)
