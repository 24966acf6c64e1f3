"""Personal data found by shape: addresses, numbers, registrations.

Each check is one compiled pattern (module constant) plus, where shape is
not enough, a small validation of the match (digit counts for phones, the
vehicle word before an old registration).  A pattern that would be slow
over a whole text runs only around cheap anchors (see ``scan``): the "@"
of an address, the "/" of a PNC ID, a street word, a capital next to a
digit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from crumail.checks.model import CheckContext, Finding
from crumail.checks.scan import Anchor, finditer, ranges

# (start, end) or (start, end, reason)
Span = tuple[int, int] | tuple[int, int, str]

# A local part and a domain with at least one dot; the local part may not
# start with a dot and the domain ends in letters, so "43/23@" never matches.
EMAIL = re.compile(r"[A-Za-z0-9_%+\-][A-Za-z0-9._%+\-]*@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}")

# A phone number starts at "+", "00" or "0" (possibly in brackets) and goes
# on in digit groups split by one space, hyphen or dot; digit counts are
# checked afterwards, so every UK range, reserved ones included, is caught.
PHONE = re.compile(
    r"(?:\+\s?\d{1,3}|00(?<![\w/.\-+]00)\s?\d{1,3}|\(0\d{2,5}\)|0(?<![\w/.\-+]0)\d{2,5})"
    r"(?:\s?\(0\))?"
    r"(?:[ \-.]{0,2}\d{2,6}){1,4}"
    r"(?![\w/])"
)
PHONE_GROUP = re.compile(r"\d+")

POSTCODE_AREAS = frozenset(
    "AB AL B BA BB BD BF BH BL BN BR BS BT BX CA CB CF CH CM CO CR CT CV CW DA DD DE DG DH DL DN DT DY E EC EH EN "
    "EX FK FY G GL GU GY HA HD HG HP HR HS HU HX IG IM IP IV JE KA KT KW KY L LA LD LE LL LN LS LU M ME MK ML N NE "
    "NG NN NP NR NW OL OX PA PE PH PL PO PR RG RH RM S SA SE SG SK SL SM SN SO SP SR SS ST SW SY TA TD TF TN TQ TR "
    "TS TW UB W WA WC WD WF WN WR WS WV YO ZE".split()
)
POSTCODE = re.compile(r"\b([A-Z]{1,2})(\d[A-Z\d]?) ?(\d[ABD-HJLNP-UW-Z]{2})\b")

# With its suffix letter, or written in the form's pairs without it ("QQ 12 34 56").
NI_NUMBER = re.compile(r"\b[A-Z]{2}(?: ?\d{2} ?\d{2} ?\d{2} ?[A-D]| \d{2} \d{2} \d{2}(?! ?\d))\b")

# The same typed in lower case ("pr1 4ab", "qq 12 34 56 c").  Lower-case
# prose has more look-alikes, so a postcode's area must be a real one and an
# NI number needs its suffix letter and a prefix HMRC could issue.
POSTCODE_LOWER = re.compile(r"\b([a-z]{1,2})(\d[a-z\d]?) ?(\d[abd-hjlnp-uw-z]{2})\b")
NI_LOWER = re.compile(r"\b([a-z]{2}) ?\d{2} ?\d{2} ?\d{2} ?[a-d]\b")
NI_BAD_PREFIXES = frozenset("bg gb kn nk nt tn zz".split())
# English words a lower-case NI prefix could be ("at 10 30 45 a.m."), and the
# ordinals a lower-case inward code could be ("m6 2nd exit").
NI_WORD_PREFIXES = frozenset("at an am as ah aw be by eh he hm me my ma pa we ye ok oh ow".split())
ORDINAL = re.compile(r"\d(?:st|nd|rd|th)")
LOWER_WORD_AFTER = re.compile(r" [a-z]")
# One scan for both, starting at a digit (a single class the engine skips to):
# a postcode's inward code, or an NI number's final letter, after a digit.
# (A letter before a digit would stop at every "s40(2)" of an FOI text.)
LOWER_CODE_ANCHORS = (Anchor(re.compile(r"\d(?: ?[a-d]\b|[abd-hjlnp-uw-z]{2}\b)"), 16, 4),)

MONTHS = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
DATE = (
    r"(?:\d{1,2}[/.\-]\d{1,2}[/.\-](?:\d{4}|\d{2})"
    r"|\d{4}-\d{2}-\d{2}"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{MONTHS}\.?,?\s+\d{{4}}"
    rf"|{MONTHS}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}})"
)
DATE_OF_BIRTH = re.compile(
    r"(?i:\b(?:d\.?o\.?b\.?|date\s+of\s+birth|birth\s*date|born(?:\s+on)?))"
    r"(?:\s*(?:is|was|:|-|–|\()\s*|\s+)(?:the\s+)?"
    rf"(?P<date>{DATE})\b"
)

CURRENT_REG = re.compile(r"\b[A-HJ-PR-Y][A-HJ-PR-Y](0[2-9]|1\d|2[0-6]|5[1-9]|6\d|7[0-6]) ?[A-HJ-PR-Z]{3}\b")
# Older prefix (P123 ABC) and suffix (ABC 123D) forms, and the current form
# written with two spaces (WX 62 LMN): each needs a vehicle word before it.
OLD_REG = re.compile(
    r"\b(?:[A-HJ-NP-Y]\d{1,3} ?[A-Z]{3}|[A-Z]{3} ?\d{1,3} ?[A-HJ-NP-Y]|[A-HJ-PR-Y]{2} \d{2} [A-HJ-PR-Z]{3})\b"
)
VEHICLE_WORDS = re.compile(
    r"(?i:vehicle|car|van|lorry|motorcycle|motorbike|reg(?:istration|istered)?|vrm|vrn|index|number\s*plate|plate)\b[^\n]{0,40}$"
)

# YY/NNNNNNNL (PNC ID, year in two or four digits) or NNNNNN/YYL (CRO).
POLICE_RECORD = re.compile(r"\b\d{1,6}/\d{1,7}[A-Z]\b")
POLICE_RECORD_ANCHOR = Anchor(re.compile(r"/(?<=\d/)\d{1,7}[A-Z]\b"), 8, 2)
# A rank and its collar number are one item ("PC 1234", "Sergeant 4412"):
# the rank is part of what identifies the officer.  After a phrase such as
# "collar number" only the number is.
RANKS = (
    r"(?:PC|DC|PS|DS|PCSO|DCI|DI|DSU|SC|Sgt|DSgt|Insp|Supt|TDC|TPC|T/DS|T/Sgt|A/Sgt|A/Insp|Det\.?\s+Con|Det\.?\s+Sgt"
    r"|Ch\.?\s+Insp|(?i:(?:police|detective|special|chief)\s+(?:constable|sergeant|inspector)|constable|sergeant"
    r"|inspector|superintendent))"
)
COLLAR = re.compile(
    r"(?:\b(?i:collar|warrant(?:\s+card)?|shoulder|epaulette|payroll|staff|pay)\s*"
    r"(?i:number|no\.?|num\.?|#)\s*(?:is\s+|:\s*)?"
    rf"|\b(?P<rank>{RANKS})\.?\s?(?:(?i:no)\.?\s?)?)"
    r"(?P<number>[A-Z]{0,2}\d{2,6})\b"
)
COLLAR_ANCHORS = (
    *Anchor.words(("collar", "warrant", "shoulder", "epaulette", "payroll", "staff n", "pay n"), 0, 40),
    # "Ch Insp" is found at its "Insp": a branch starting "C" would stop the engine at every C
    Anchor(re.compile(r"(?:PC|DC|PS|DS|DI|SC|Sgt|DSgt|Insp|Supt|Det|TDC|TPC|T/DS|T/Sgt|A/Sgt|A/Insp)"), 6, 24),
    *Anchor.words(("constable", "sergeant", "inspector", "superintendent"), 20, 24),
)

STREET_WORDS = (
    "Road|Rd|Street|St|Avenue|Ave|Lane|Ln|Close|Drive|Way|Crescent|Cres|Place|Pl|Court|Ct|Gardens|Gdns|Grove|"
    "Terrace|Walk|Square|Sq|Hill|Row|Mews|View|Rise|Parade|Green|Boulevard|Gate|Wynd|Brae|Vale|Park|Croft|Fold|"
    "Meadow|Meadows|Chase|Dene|Drove|Yard|Wharf|Loan|Villas|Cottages"
)
# Street words that are never ordinary lower-case prose after a capitalised
# word ("12 Acacia avenue" as some people type it); "close", "drive" and
# "way" are left out because "3 Officers close to ..." is prose.
LOWER_STREET_WORDS = "road|street|avenue|lane|crescent|terrace|gardens|grove|mews"
STREET_ADDRESS = re.compile(
    r"\b\d{1,4}[A-Za-z]?(?:[-–]\d{1,4})?,?\s"
    r"(?:[A-Z][A-Za-z'’]*[a-z'’][ \-]){1,3}"
    rf"(?:{STREET_WORDS}|{LOWER_STREET_WORDS})\b"
)
# Capitalised street words start with a capital (a cheap first-character
# test); the lower-case ones are literal searches over the lower-cased text.
STREET_ANCHORS = (
    Anchor(re.compile(rf"(?:{STREET_WORDS})\b"), 80, 12),
    *Anchor.words(tuple(LOWER_STREET_WORDS.split("|")), 80, 12),
)

EMAIL_ANCHOR = Anchor(re.compile("@"), 80, 260)
# "jane dot doe at example dot com", "jane.doe [at] example.com": written so
# that harvesters miss it, still an address.
SPELT_EMAIL = re.compile(
    r"\b[A-Za-z0-9_%+\-]+(?:(?:\.| dot )[A-Za-z0-9_%+\-]+)*"
    r"(?: ?[\[(]at[\])] ?| at )"
    r"[A-Za-z0-9\-]+(?:(?:\.| dot )[A-Za-z0-9\-]+)*(?:\.| dot )(?:com|org|net|uk|ie|gov|ac|co|info|io|example)\b",
    re.I,
)
SPELT_EMAIL_ANCHORS = Anchor.words((" dot ", "[at]", "(at)"), 80, 120)
# A capital or two (or three) next to a digit: every postcode, NI number
# and registration has one, and ordinary prose has few.
CODE_ANCHOR = Anchor(re.compile(r"[A-Z][A-Z]{0,2} ?\d"), 4, 16)  # a single class first: skipped in C
DOB_ANCHORS = Anchor.words(("dob", "d.o.b", "birth", "born"), 16, 60)


@dataclass(frozen=True)
class PatternCheck:
    """A check that is one pattern, an optional validator and a reason.

    ``group`` names the part of the match that is the personal data (the
    date, not the "DOB:" before it); ``validate`` returns the span to keep
    (with a more precise reason as a third item, if it has one), or None to
    drop the match.  With ``anchors`` the pattern runs only in windows
    around them (see ``scan``).
    """

    name: str
    pattern: re.Pattern[str]
    reason: str
    group: int | str = 0
    validate: Callable[[re.Match[str], str], Span | None] | None = None
    anchors: tuple[Anchor, ...] = ()

    def run(self, text: str, context: CheckContext) -> list[Finding]:
        found = []
        for lo, hi in ranges(text, self.anchors):
            pos = lo
            while match := self.pattern.search(text, pos, hi):
                span = self._span(match, text)
                # a validator that keeps less than the match ("07700 900123
                # 01632 960100" read as one) lets the search resume after it
                pos = max(match.end() if span is None else span[1], match.start() + 1)
                if span is not None:
                    start, end = span[0], span[1]
                    reason = span[2] if len(span) == 3 else self.reason  # type: ignore[misc]
                    found.append(Finding(self.name, start, end, text[start:end], "block", reason))
        return found

    def _span(self, match: re.Match[str], text: str) -> Span | None:
        return match.span(self.group) if self.validate is None else self.validate(match, text)


@dataclass(frozen=True)
class PoliceRecordCheck:
    """PNC IDs (YY/NNNNNNNL) and CRO numbers (NNNNNN/YYL), told apart by shape."""

    name: str = "police_id"

    def run(self, text: str, context: CheckContext) -> list[Finding]:
        found = []
        for match in finditer(POLICE_RECORD, text, (POLICE_RECORD_ANCHOR,)):
            before, _, after = match.group().partition("/")
            if len(before) in (2, 4):
                reason = "PNC ID: identifies a person on the Police National Computer"
            elif len(after) == 3:
                reason = "CRO number: identifies a person's criminal record"
            else:
                continue
            found.append(Finding(self.name, match.start(), match.end(), match.group(), "block", reason))
        return found


INTERNATIONAL_PHONE_REASON = "phone number, international (not on the allow list)"


def _phone_span(match: re.Match[str], text: str) -> Span | None:
    """The longest leading run of digit groups that makes a whole number.

    A UK number has 10 or 11 digits written nationally (0...) or 9 or 10
    after +44/0044 (with an optional "(0)"); any other country code needs
    8 to 13.  Trailing groups that belong to something else ("... 2 times")
    are dropped until the count fits.
    """
    start = match.start()
    groups = list(PHONE_GROUP.finditer(text, start, match.end()))
    first = groups[0].group()
    if match.group().startswith("0") and not first.startswith("00") and len(first) < 3:
        return None
    for last in range(len(groups), 0, -1):
        digits = "".join(g.group() for g in groups[:last])
        if _phone_digits_fit(match.group(), digits):
            if digits.lstrip("0").startswith("44") or not match.group().startswith(("+", "00")):
                return start, groups[last - 1].end()
            return start, groups[last - 1].end(), INTERNATIONAL_PHONE_REASON
    return None


def _phone_digits_fit(written: str, digits: str) -> bool:
    """Whether digits make a whole number as written (national or international)."""
    if written.startswith("+") or digits.startswith("00"):
        digits = digits[2:] if digits.startswith("00") else digits
        if not digits.startswith("44"):
            # another country: "+" makes it a number; a bare "00" needs a full length
            return 8 <= len(digits) <= 14 if written.startswith("+") else 10 <= len(digits) <= 14
        digits = "0" + (digits[3:] if digits[2:3] == "0" else digits[2:])
    return _uk_national(digits)


def _uk_national(digits: str) -> bool:
    """0 and 10 more digits; 0 and 9 only for some 01 areas and 0800/0500 numbers."""
    if not digits.startswith("0") or digits.startswith("00"):
        return False
    if len(digits) == 11:
        return True
    return len(digits) == 10 and (digits.startswith("01") or digits.startswith(("0800", "0500")))


def _collar_span(match: re.Match[str], text: str) -> Span | None:
    """The rank and the number ("PC 1234"); after "collar number" just the number."""
    start = match.start("rank") if match.group("rank") else match.start("number")
    return start, match.end("number")


def _postcode_span(match: re.Match[str], text: str) -> Span | None:
    return match.span() if match.group(1) in POSTCODE_AREAS else None


def _lower_ni_span(match: re.Match[str], text: str) -> Span | None:
    """An NI prefix: neither letter D, F, I, Q, U or V (the second not O), not BG, GB, ...;
    QQ is the prefix HMRC prints on examples and is kept."""
    prefix = match.group(1)
    if prefix == "qq":
        return match.span()
    if prefix[0] in "dfiquv" or prefix[1] in "dfioquv" or prefix in NI_BAD_PREFIXES | NI_WORD_PREFIXES:
        return None
    return match.span()


def _lower_postcode_span(match: re.Match[str], text: str) -> Span | None:
    if match.group(1).upper() not in POSTCODE_AREAS:
        return None
    if ORDINAL.fullmatch(match.group(3)) and LOWER_WORD_AFTER.match(text, match.end()):
        return None  # "m6 2nd exit": an ordinal in a sentence, not the end of an address
    return match.span()


def _old_reg_span(match: re.Match[str], text: str) -> Span | None:
    """Older registrations look like too much else; keep them only after a vehicle word."""
    reach = max(0, match.start() - 60)
    before = text[text.rfind("\n", reach, match.start()) + 1 or reach : match.start()]
    return match.span() if VEHICLE_WORDS.search(before) else None


EMAIL_CHECK = PatternCheck("email", EMAIL, "email address (not on the allow list)", anchors=(EMAIL_ANCHOR,))
SPELT_EMAIL_CHECK = PatternCheck(
    "email", SPELT_EMAIL, "email address written out to dodge harvesters (not on the allow list)",
    anchors=SPELT_EMAIL_ANCHORS,
)
PHONE_CHECK = PatternCheck("phone", PHONE, "UK phone number (not on the allow list)", validate=_phone_span)
POSTCODE_CHECK = PatternCheck(
    "postcode", POSTCODE, "UK postcode: part of someone's address", validate=_postcode_span, anchors=(CODE_ANCHOR,)
)
NI_CHECK = PatternCheck("ni_number", NI_NUMBER, "National Insurance number", anchors=(CODE_ANCHOR,))
POSTCODE_LOWER_CHECK = PatternCheck(
    "postcode", POSTCODE_LOWER, "UK postcode (in lower case): part of someone's address",
    validate=_lower_postcode_span, anchors=LOWER_CODE_ANCHORS,
)
NI_LOWER_CHECK = PatternCheck(
    "ni_number", NI_LOWER, "National Insurance number (in lower case)", validate=_lower_ni_span,
    anchors=LOWER_CODE_ANCHORS,
)
DOB_CHECK = PatternCheck(
    "date_of_birth",
    DATE_OF_BIRTH,
    "date of birth (a date next to DOB/born/date of birth)",
    group="date",
    anchors=DOB_ANCHORS,
)
VEHICLE_CHECK = PatternCheck(
    "vehicle", CURRENT_REG, "vehicle registration mark (current UK format)", anchors=(CODE_ANCHOR,)
)
OLD_VEHICLE_CHECK = PatternCheck(
    "vehicle",
    OLD_REG,
    "vehicle registration mark (older or spaced UK format, next to a vehicle word)",
    validate=_old_reg_span,
    anchors=(CODE_ANCHOR,),
)
POLICE_RECORD_CHECK = PoliceRecordCheck()
COLLAR_CHECK = PatternCheck(
    "police_id",
    COLLAR,
    "collar or warrant number (with the rank): identifies an officer or member of staff",
    validate=_collar_span,
    anchors=COLLAR_ANCHORS,
)
STREET_CHECK = PatternCheck(
    "street_address", STREET_ADDRESS, "street address (a house number and a street)", anchors=STREET_ANCHORS
)

PERSONAL_CHECKS: tuple[PatternCheck | PoliceRecordCheck, ...] = (
    EMAIL_CHECK,
    SPELT_EMAIL_CHECK,
    PHONE_CHECK,
    POSTCODE_CHECK,
    NI_CHECK,
    POSTCODE_LOWER_CHECK,
    NI_LOWER_CHECK,
    DOB_CHECK,
    VEHICLE_CHECK,
    OLD_VEHICLE_CHECK,
    POLICE_RECORD_CHECK,
    COLLAR_CHECK,
    STREET_CHECK,
)
