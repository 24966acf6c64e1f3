"""The casebook as the pipeline fills it, from extractions built by hand: the
seed circulation (43/23 with the earlier 1355/22 attached, read as the issue
says it must be read), numbered logs for the desk's pages, and a snapshot of
every derived row to compare before and after reprocessing."""

from __future__ import annotations

import hashlib
from datetime import datetime, timezone

from crumail.extract.model import Advice, CrossReference, Extraction, Question
from crumail.intake.prepare import Ingested
from crumail.model import ParsedMail, RawMessage
from crumail.store import messages
from crumail.store.db import transaction

SEED_43 = [
    "How many sex offenders did your force have registered living in the force area, "
    "according to your most recent records.",
    "How many offences have been committed by sex offenders within your police force area of "
    "failure to comply with the notification requirement, according to your most recent records.",
    "How many registered sex offenders were recorded as having gone missing from your police "
    "force area or were wanted whereabouts unknown, according to your most recent records.",
]
BOILER = " Please break down these data by policing district if you are able to."
SEED_1355 = [
    "How many sex offenders did your force have registered living in the force area in each "
    "of the past three financial years?" + BOILER,
    "Of those sex offenders who were required to notify the police force of all foreign travel "
    "and their return to the UK, how many did inform your force?" + BOILER,
    "How many sex offenders has your force recorded as having failed to return to the UK?" + BOILER,
    "How many sex offenders have notified the force when they were living in a household with "
    "a child under the age of 18 and how many failed to do so?" + BOILER,
    "How many sex offenders have made a notification to your force that they have changed "
    "their identity through name change?" + BOILER,
    "How many offences have been committed by sex offenders within your police force area of "
    "failure to comply with the notification requirement?" + BOILER,
    "How many registered sex offenders failed to make annual contact with police stations?" + BOILER,
    "How long does it take for a registered sex offender to be classed as missing from your "
    "police force area?" + BOILER,
    "How many registered sex offenders went missing from your police force area in each of "
    "the past three financial years?" + BOILER,
    "Please provide these data in an .xlsx/.xls/.csv file format.",
]
ADVICE_1355 = [
    ((), None, "As always, the first consideration is whether complying with ALL parts of the "
               "request can be achieved within relevant Cost parameters, otherwise s12 is appropriate."),
    ((1,), "Q1", "Forces have released force wide RSO data previously, and we see no harm."),
    ((2,), "Q2", "We see no harm in providing total figures per year if able to do so."),
    ((3, 9), "Q3 and Q9", "These two questions seek to know how many RSOs have effectively "
                          "absconded; a caveat that whereabouts unknown totals are dynamic is advised."),
    ((4,), "Q4", "If able to do so, we see no immediate harm in complying with the request."),
    ((5,), "Q5", "This may have s12 Cost considerations if not easily retrievable."),
    ((6, 7), "Q6 and Q7", "If held we see no immediate harm with providing total figures."),
    ((8,), "Q8", "We are not sure that forces will hold information that specifically answers it."),
    ((10,), "Q10", "Q10 is not a request for information."),
]


def questions(texts, label="{n})"):
    return tuple(Question(i, label.format(n=i), t) for i, t in enumerate(texts, 1))


def nested_1355() -> Extraction:
    return Extraction(
        kind="circulation", log_numbers=("1355/22",), primary_log="1355/22",
        circulation_date="2022-09-16", case_worker="S.40(2)", logged_with="National",
        sent_from="S.40(2)", protective_marking="OFFICIAL-SENSITIVE",
        handling_caveats=("POLICE EYES ONLY",), questions=questions(SEED_1355, "{n}."),
        advice=tuple(Advice(q, h, t) for q, h, t in ADVICE_1355),
        exemptions=("s12", "s21", "s40"),
    )


def seed_extraction() -> Extraction:
    return Extraction(
        kind="circulation", log_numbers=("43/23", "1355/22"), primary_log="43/23",
        circulation_date="2023-01-23", case_worker="S.40(2)",
        logged_with="Lancashire Constabulary", sent_from="S.40(2)",
        protective_marking="OFFICIAL-SENSITIVE", handling_caveats=("POLICE EYES ONLY",),
        questions=questions(SEED_43),
        advice=(Advice((), None, "We note from your comments that you have been able to "
                                 "retrieve all the requested information for this refined request."),),
        related_logs=("1355/22",),
        cross_references=(CrossReference("1355/22", (1, 6, 9), (1, 2, 3)),),
        nested=(nested_1355(),),
    )


def parsed_mail(name: str, date: datetime | None, nested: tuple[ParsedMail, ...] = (),
                subject: str | None = None) -> ParsedMail:
    sha = hashlib.sha256(name.encode()).hexdigest()
    return ParsedMail(format="eml", sha256=sha, size=len(name), subject=subject or name,
                      message_id=f"<{name}@example.org>", date=date, nested=nested, filename=name)


def seed_parsed() -> ParsedMail:
    inner = parsed_mail("Log No.001355/22 CRU Circulation (16/09/2022)",
                        datetime(2022, 9, 22, 6, 34, tzinfo=timezone.utc))
    return parsed_mail("Log No. 43/23 - CRU Circulation (23/01/2023)",
                       datetime(2023, 1, 25, 7, 18, tzinfo=timezone.utc), (inner,))


def store(db, name: str, extraction: Extraction | None, parsed: ParsedMail | None = None,
          data: bytes | None = None) -> int:
    """Store a message as the pipeline would (casebook.record inside the batch);
    ``data`` is its raw bytes (``name`` by default)."""
    parsed = parsed or parsed_mail(name, datetime(2023, 1, 25, tzinfo=timezone.utc))
    raw = RawMessage(data=name.encode() if data is None else data, source="test", key=name, filename=name)
    with transaction(db):
        return messages.insert(db, Ingested(raw, parsed, extraction))


def refresh(db, message: int, extraction: Extraction, parsed: ParsedMail) -> None:
    raw = RawMessage(data=b"", source="test", key=str(message))
    with transaction(db):
        messages.refresh(db, message, Ingested(raw, parsed, extraction))


def rows(db, sql, params=()):
    cursor = db.execute(sql, list(params))
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, r)) for r in cursor.fetchall()]


def snapshot(db) -> dict:
    """Every derived and fact row, without ids (which reprocessing renumbers)."""
    return {
        "logs": rows(db, "SELECT * FROM logs ORDER BY log"),
        "questions": rows(db, "SELECT log, number, label, text FROM questions ORDER BY log, number"),
        "advice": rows(db, "SELECT log, position, questions, heading, text FROM advice ORDER BY log, position"),
        "links": rows(db, "SELECT * FROM log_links ORDER BY from_log, to_log"),
        "members": rows(db, "SELECT * FROM log_messages ORDER BY message, path, log"),
    }


def seed_logs(db, count: int) -> None:
    """``count`` logs 1/24 ... with two questions each (one a spreadsheet formula)."""
    for n in range(1, count + 1):
        log = f"{n}/24"
        extraction = Extraction(
            kind="circulation", log_numbers=(log,), primary_log=log, circulation_date="2024-05-02",
            logged_with="Eastmoor Police", protective_marking="OFFICIAL",
            questions=(Question(1, "1)", f"How many speed cameras operated in {2000 + n}?"),
                       Question(2, "2)", "=HYPERLINK(\"http://example.com\") revenue?")),
            advice=(Advice((1,), "Q1", "No harm in providing totals."),))
        raw = f"log {log}".encode()
        parsed = ParsedMail(format="eml", sha256=hashlib.sha256(raw).hexdigest(), size=len(raw),
                            subject=f"Log No. {log} - CRU Circulation",
                            date=datetime(2024, 5, 3, tzinfo=timezone.utc), text="...")
        store(db, log, extraction, parsed, data=raw)
