"""Write the issue 10 cases of the checks' corpus: the personal-data classes a
held-out set found missed, and every detector's item in Unicode disguises.

    .venv/bin/python tests/data/checks/make_issue10_cases.py

Writes issue10-classes.jsonl and issue10-unicode.jsonl beside this file.
Each case names its "class", so ``crumail eval --checks`` reports recall
and false blocks per class.  Fictitious people only (drama-range numbers,
example.* domains, invented names).
"""

from __future__ import annotations

import json
from pathlib import Path

HERE = Path(__file__).parent
OUTSIDE = ["requester@example.org"]


def case(cls: str, n: int, text: str, *expect: tuple[str, str], **extra) -> dict:
    return {"id": f"{cls}-{n}", "class": cls, "text": text,
            "expect": [{"check": c, "text": t} for c, t in expect], **extra}


CLASSES = {
    "lower-case-postcode": [
        ("Her new address is in bd7 1dp now.", ("postcode", "bd7 1dp")),
        ("post code: ls6 3qa", ("postcode", "ls6 3qa")),
        ("moved to nw1 6xe last spring", ("postcode", "nw1 6xe")),
        ("letters go to g12 8qq.", ("postcode", "g12 8qq")),
        ("sent to bt9 5ab, Belfast", ("postcode", "bt9 5ab")),
        ("Take the m6 2nd exit, then the a1 3rd.",),
        ("The b4 4x4 vehicles were counted.",),
        ("Version v2 1ab of the form.",),
    ],
    "lower-case-ni-number": [
        ("His national insurance number is jp 40 11 27 b.", ("ni_number", "jp 40 11 27 b")),
        ("ni no. ab 98 76 54 c", ("ni_number", "ab 98 76 54 c")),
        ("nino wk123456a on the form", ("ni_number", "wk123456a")),
        ("NI qq 55 44 33 d was quoted", ("ni_number", "qq 55 44 33 d")),
        ("The totals were 12 34 56 and 78.",),
        ("Call back at 10 30 45 a.m.",),
    ],
    "surname-in-capitals": [
        ("Custody record: Daniel PRYCE, arrested 02:10.", ("name", "Daniel PRYCE")),
        ("Witness statement of Aoife O'BRIEN follows.", ("name", "Aoife O'BRIEN")),
        ("Nominal Rhys AP-GRIFFITH was interviewed.", ("name", "Rhys AP-GRIFFITH")),
        ("Sarah-Louise MCKENZIE-HOLT was the victim.", ("name", "Sarah-Louise MCKENZIE-HOLT")),
        ("Suspect Callum FOX was released.", ("name", "Callum FOX")),
        ("Informant Priya SHARMA called at 10.", ("name", "Priya SHARMA")),
        ("Police SCOTLAND and the NPCC replied.",),
        ("The CRU sent it to FOI leads.",),
        ("Marked OFFICIAL for the ICO.",),
        ("Please ask Harry ASAP about the PNC.",),
        ("Thanks Olivia CCTV request logged.",),
    ],
    "rank-and-collar": [
        ("The stop was made by PC 2231.", ("police_id", "PC 2231")),
        ("Statement of DC 7781 Venn attached.", ("police_id", "DC 7781"), ("name", "Venn")),
        ("Sergeant 1190 authorised the search.", ("police_id", "Sergeant 1190")),
        ("Inspector 402 was the duty officer.", ("police_id", "Inspector 402")),
        ("PCSO 6612 took the report.", ("police_id", "PCSO 6612")),
        ("Det Sgt 3320 reviewed it.", ("police_id", "Det Sgt 3320")),
        ("Officers in the rank of PC and DS were counted.",),
        ("PC and PCSO numbers rose by 12 in 2023.",),
    ],
    "beside-redaction-marker": [
        ("Interviewed by S.40(2) (Tom Okafor) at the station.", ("name", "Tom Okafor")),
        ("[REDACTED] Marchbank attended the address.", ("name", "Marchbank")),
        ("Witness Gareth [REDACTED] gave a statement.", ("name", "Gareth")),
        ("Decision by S.40(2) ASHDOWN, Inspector.", ("name", "ASHDOWN")),
        ("Sent from: S.40(2) Ormerod-Hale", ("name", "Ormerod-Hale")),
        ("Officer [REDACTED] (Lusk) completed the form.", ("name", "Lusk")),
        ("Section 40(2) Personal information applies to the names.",),
        ("The names are withheld under S.40(2) (personal data).",),
        ("Case worker: S.40(2)",),
        ("Names: [REDACTED], [REDACTED] and [REDACTED].",),
    ],
    "editing-marker": [
        ("Dear [NAME],\n\nThank you.", ("drafting_marker", "[NAME]")),
        ("The request arrived on [DATE].", ("drafting_marker", "[DATE]")),
        ("The officer was [REDACT] at the time.", ("drafting_marker", "[REDACT]")),
        ("The cost was XXXX pounds.", ("drafting_marker", "XXXX")),
        ("The force holds xxx records.", ("drafting_marker", "xxx")),
        ("A reply will follow, date TBC.", ("drafting_marker", "TBC")),
        ("Total officers: ?? (ask HR).", ("drafting_marker", "??")),
        ("Advice follows.\nDrafting note: confirm the s31 wording\n", ("drafting_marker", "Drafting note: confirm the s31 wording")),
        ("Note to self: chase Gwent\nKind regards", ("drafting_marker", "Note to self: chase Gwent")),
        ("NB for reviewer: Q2 figures unverified", ("drafting_marker", "NB for reviewer: Q2 figures unverified")),
        ("The force is [insert force name].", ("drafting_marker", "[insert force name]")),
        ("Names: [REDACTED]. See note 2 of the annex.",),
        ("Is this information held? Yes.",),
        ("The reviewer's note to the file is attached.",),
    ],
    "forename-coverage": [
        ("I spoke with Imogen Hollis today.", ("name", "Imogen Hollis")),
        ("Isla Carragher asked for the data.", ("name", "Isla Carragher")),
        ("The caller, Archie Thistlewood, rang twice.", ("name", "Archie Thistlewood")),
        ("Letters from Ffion Pryce and Eilidh Venn arrived.", ("name", "Ffion Pryce"), ("name", "Eilidh Venn")),
        ("Forwarded by Kwame Ashdown on Monday.", ("name", "Kwame Ashdown")),
        ("Zainab Quirke is the requester.", ("name", "Zainab Quirke")),
        ("Poppy Marchbank wrote again.", ("name", "Poppy Marchbank")),
    ],
}

# (check, sentence, item); markings go to an outside address.
DETECTORS = [
    ("email", "Reply to {} please.", "owen.lusk@example.net"),
    ("phone", "Her mobile is {}.", "07700-900562"),
    ("postcode", "Post it to {}, thanks.", "LS6 3QA"),
    ("ni_number", "NI: {} on file.", "QQ 98 76 54 A"),
    ("date_of_birth", "Born on {} in Leeds.", "04-07-1979"),
    ("vehicle", "A car, {}, was seen.", "YA19 PEK"),
    ("police_id", "PNC ID {} is attached.", "19/654321Z"),
    ("street_address", "Deliver to {}, Leeds.", "41 Kestrel Drive"),
    ("name", "Ask Declan Ormerod for it.", "Declan Ormerod"),
    ("marking", "{}\nAdvice follows.", "OFFICIAL-SENSITIVE"),
    ("drafting_marker", "Sent by {} today.", "[insert name]"),
]
CYRILLIC = {"O": "О", "A": "А", "E": "Е", "P": "Р", "C": "С", "a": "а", "e": "е", "o": "о", "p": "р", "c": "с"}
GREEK = {"O": "Ο", "A": "Α", "E": "Ε", "T": "Τ", "I": "Ι"}


def _inside(item: str, char: str) -> str | None:
    for pos in range(len(item) // 2, len(item)):
        if item[pos - 1].isalnum() and item[pos].isalnum():
            return item[:pos] + char + item[pos:]
    return None


def _map(item: str, table: dict[str, str], first: bool = False) -> str | None:
    out, done = [], False
    for char in item:
        if char in table and not (first and done):
            out.append(table[char])
            done = True
        else:
            out.append(char)
    return "".join(out) if done else None


VARIANTS = {
    "U+2011": lambda i: i.replace("-", "\u2011") if "-" in i else None,
    "minus": lambda i: i.replace("-", "\u2212") if "-" in i else None,
    "soft-hyphen": lambda i: _inside(i, "\u00ad"),
    "ZWSP": lambda i: _inside(i, "\u200b"),
    "bidi": lambda i: _inside(i, "\u202c"),
    "Cyrillic": lambda i: _map(i, CYRILLIC, first=True),
    "Greek": lambda i: _map(i, GREEK, first=True),
    "full-width": lambda i: _map(i, {chr(c): chr(c + 0xFEE0) for c in range(0x21, 0x7F)}),
    "Arabic-Indic": lambda i: _map(i, {str(d): chr(0x660 + d) for d in range(10)}),
}
UNICODE_NEGATIVES = [
    "Москва и Санкт-Петербург: 12 писем.",                       # Russian prose
    "Η Αθήνα απάντησε στο αίτημα.",                              # Greek prose
    "The force\u00a0replied on\u00a0time \u2013 \u201cno data held\u201d.",
    "Ｔｈｅ ｆｏｒｃｅ ｒｅｐｌｉｅｄ.",
    "٣ officers and ٤ staff were counted.",
    "Official\u00adly, the unit sent the sensitive\u200b figures to forces.",
]


def main() -> None:
    classes = [case(cls, n, text, *expect) for cls, rows in CLASSES.items()
               for n, (text, *expect) in enumerate(rows, 1)]
    unicode = []
    for check, sentence, item in DETECTORS:
        for name, make in VARIANTS.items():
            variant = make(item)
            if variant is None:
                continue
            text = sentence.format(variant) if "{}" in sentence else sentence.replace(item, variant)
            extra = {"recipients": OUTSIDE} if check == "marking" else {}
            unicode.append(case(f"unicode-{check}", len(unicode) + 1, text, (check, variant), **extra))
    unicode += [case("unicode-negative", n, text, recipients=OUTSIDE) for n, text in enumerate(UNICODE_NEGATIVES, 1)]
    for name, rows in (("issue10-classes.jsonl", classes), ("issue10-unicode.jsonl", unicode)):
        with (HERE / name).open("w", encoding="utf-8") as out:
            for row in rows:
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"{len(classes)} class cases, {len(unicode)} Unicode cases")


if __name__ == "__main__":
    main()
