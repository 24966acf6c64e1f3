"""Names of people, found without a language model.

Four kinds of evidence, strongest first:

* the gazetteer (names crumail learnt from stored mail, see
  :func:`learn_names`) and the operators' staff list, matched as whole
  words, written capitalised or in capitals, never in lower case;
* context: a rank or title (PC, DS, Insp, Mr, Dr ...), "Dear ...",
  "the applicant, ...", "... wrote:", a header line in quoted mail, and the
  line under a sign-off such as "Kind regards";
* a first name (Faker's en_GB and en_IE lists, less a stop list of words
  that are also ordinary words) followed by a capitalised surname.

Every word that may start a name (first names, titles, greetings, the
first words of known names) is found by one prefix-factored regex; the
words after it are read with small anchored matches, so the cost grows
with the number of candidates, not with the size of the text or lists.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable

from crumail.checks.model import CheckContext, Finding
from crumail.checks.scan import Anchor, anchor_spans, finditer


# First names that are also ordinary English words, months, places or
# surnames common enough in prose to mislead.
STOP_FIRST_NAMES = frozenset(
    """May Will Grace Hope Mark Bill Frank Rose Faith Joy Dawn April June Summer Holly Ivy Amber Ruby Pearl
    Crystal Heather Hazel Daisy Lily Iris Jade Autumn Sky Storm River Brook Brooke Dale Glen Lee Ray Gene
    Guy Bob Sue Pat Jack Chase Drew Dean Carol Angel Rob Don Art Hunter Mason Cooper Page Olive Robin
    India Georgia Chelsea Paris Sydney Jordan Lincoln Kent Derby Dallas Grant Constance Eden Harmony Christian
    Sunny Rowan Ash Reed Bailey Max Nick Justice Sterling Royal Major Noel Che Cal Ebony Tory""".split()
)

# Words that end a name: "Grace Road", "Chelsea Police", "Jordan Street".
NOT_SURNAMES = frozenset(
    """Police Constabulary Force Forces Service Services Street Road Avenue Lane Close Drive Way Court House Office
    Unit Team Act Acts Section Sections University Hospital Station Square Bank Group Ltd Limited Trust Department
    Division Borough County City Centre Center Council Park School College Airport Line Lines
    Regulations Rule Rules Commissioner Authority Agency Ministry Government Parliament Board Committee Panel
    Network Mailbox Inbox Desk Referral Central Policing Crime Criminal Justice Information Freedom Data Protection
    January February March April May June July August September October November December Monday Tuesday
    Wednesday Thursday Friday Saturday Sunday The And Of For To In On At By With From A An I Q FOI FOIA NPCC CRU
    Yes No Thanks Thank Dear Regards Kind Best Please Re Fw Fwd Subject Sent Cc Bcc UK GB England Wales Scotland
    Ireland Northern Hello Hi Morning Afternoon Evening Update Updates Request Requests Response Log Logs Case Cases
    Sir Madam Sirs Madams All Colleague Colleagues Everyone Team Teams Could Would Should Can Please We You They He
    She It This That These Those There Here What When Where Which Who Why How As If Also Just Note Many Any Some
    Our Your My His Her Their Its Not But Or So Do Does Did Is Are Was Were Has Have Had Be Been Let Following
    Further Apologies Sorry Attached See Below Above Kindly Regarding Only Each Every Both Other Another All
    Advice Question Questions Exemption Exemptions Circulation Force Forces Home Office Crown Prosecution
    Chief Deputy Assistant Head Director Manager Officer Officers Lead Tower Palace Dock Docks Bay Island Isle
    Museum Theatre Hotel Prison Barracks Estate Place Quay Castle Abbey Cathedral Infirmary Valley
    Harbour Port Wharf Arena Stadium Library Memorial Award Awards Prize Fund Foundation Report Review Inquiry
    Market
    Order Scheme Programme Project Plan Strategy Code Guidance Week Word Excel Appendix Annex Schedule
    Article Part Chapter Paragraph Table Figure Version""".split()
)

# "Ch Insp", "Det Sgt", "Chief Constable": the second word carries the title.
# Place words that are also common surnames: a surname after a first name
# or a title ("Chloe Hall", "DS Green"), but not after a stop-listed one ("May Day").
SOFT_SURNAMES = frozenset("Hall Cross Day Green Hill Wood Church Bridge King Bank".split())

TITLES = frozenset(
    """PC DC PS DS DI DCI DSU DSupt Supt Insp Inspector Sgt Sergeant Constable PCSO ACC DCC Mr Mrs Ms Miss Mx
    Dr Prof Professor Superintendent Commander Cmdr Sir Dame Lord Lady Cllr Councillor Rev""".split()
)

DEAR = frozenset({"Dear", "Hi", "Hello", "Morning", "Afternoon"})
DEAR_NOT_NAMES = frozenset({"Sir", "Madam", "Sirs", "All", "Colleague", "Colleagues", "Team", "Everyone", "Requester",
                            "Requestor", "Applicant", "FOI", "CRU", "Both", "There", "Folks"})

APPLICANT = re.compile(
    r"(?i:\bthe\s+(?:applicant|requester|requestor|complainant|data\s+subject|victim|suspect|witness|officer|"
    r"caller|informant|deceased)(?:'s\s+name)?)(?:\s*,\s*|\s+(?:is|was|named|called)\s+|\s*[:(]\s*)"
)
WROTE = re.compile(r"wrote:(?<![A-Za-z]wrote:)")  # a literal first, so the engine can skip to it
FIELD_LINE = re.compile(
    r"^[> \t]*(?i:case\s*worker|officer\s+in\s+(?:the\s+)?case|oic|contact(?:\s+name)?|name|decision\s+maker|"
    r"(?:applicant|requester|requestor)(?:'s)?\s+name)[ \t]*:[ \t]*(?P<value>[^\r\n]*?)[ \t\r]*$",
    re.M,
)
HEADER_LINE = re.compile(r"^[> \t]*(?:From|To|Cc|Sent\s+by|Sender):[ \t]*(?P<value>[^\r\n]+)\r?$", re.M)
SIGN_OFF = re.compile(
    r"^[ \t]*(?i:(?:kind|best|warm|many|with)?\s*(?:regards|wishes|thanks)|yours\s+(?:sincerely|faithfully|truly)|"
    r"thank\s+you|cheers|sincerely)(?i:\s+(?:again|all|very\s+much|so\s+much|in\s+advance))?"
    r"[ \t]*[,.!]?[ \t]*(?P<rest>[^\r\n]*)\r?$",
    re.M,
)
ROLE_WORDS = frozenset(
    """Mailbox Unit Team Office Department FOI CRU NPCC Police Constabulary Service Disclosure Information Enquiries
    Admin Support Central Referral Helpdesk Desk Inbox Reception Records Management Compliance Data Protection
    Services Headquarters HQ Force Secretariat Noreply Group Centre""".split()
)
ROLE_LOCAL_PARTS = frozenset(
    "foi cru info enquiries enquiry admin noreply no-reply donotreply mailbox office contact help helpdesk support "
    "records disclosure dpo data.protection postmaster team unit secretariat".split()
)


NAME_WORD = r"[A-Z][A-Za-z]*(?:['’\-][A-Za-z]+)*"
TOKEN_AT = re.compile(NAME_WORD + r"\b")
NEXT_TOKEN = re.compile(r"[ \t]{1,3}(" + NAME_WORD + r")\b")
TITLE_GAP = re.compile(r"\.?[ \t]{1,3}(?:\d{2,6}[ \t]{1,3})?")
POSSESSIVE = ("'s", "’s")

APPLICANT_ANCHORS = Anchor.words(
    tuple(
        "the " + role
        for role in ("applicant", "requester", "requestor", "complainant", "data subject", "victim", "suspect",
                     "witness", "officer", "caller", "informant", "deceased")
    ),
    0,
    40,
)
FIELD_ANCHORS = Anchor.words(("worker:", "case:", "oic:", "contact:", "name:", "maker:"), 60, 0)
HEADER_ANCHOR = Anchor(re.compile(r"(?:From|To|Cc|Sent by|Sender):"), 0, 0)
SIGN_OFF_ANCHORS = Anchor.words(
    ("regards", "wishes", "thanks", "thank you", "yours ", "cheers", "sincerely"), 0, 0
)


@lru_cache(maxsize=1)
def first_names() -> frozenset[str]:
    """Faker's en_GB and en_IE first names (MIT) less the stop list."""
    try:
        from faker.providers.person import en_GB, en_IE
    except ImportError:  # faker missing: the other rules still run
        return frozenset()
    names = set(en_GB.Provider.first_names) | set(en_IE.Provider.first_names)
    return frozenset(n for n in names if n not in STOP_FIRST_NAMES and len(n) > 2)


@lru_cache(maxsize=1)
def surnames() -> frozenset[str]:
    """Faker's en_GB and en_IE last names, for a stop-listed first name's surname."""
    try:
        from faker.providers.person import en_GB, en_IE
    except ImportError:
        return frozenset()
    return frozenset(en_GB.Provider.last_names) | frozenset(en_IE.Provider.last_names)


def _trie_pattern(words: Iterable[str]) -> str:
    """One regex alternation for many words, factored by shared prefixes.

    Each branch starts with a literal, so the engine jumps between capitals
    in C and tries only the branches for the letter it finds.
    """
    trie: dict = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def render(node: dict) -> str:
        ends = "" in node
        branches = [re.escape(c) + render(child) for c, child in sorted(node.items()) if c]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if ends else body

    return render(trie)


@lru_cache(maxsize=8)
def _trigger_pattern(known_first_words: frozenset[str]) -> re.Pattern[str]:
    """Words that may start a name: first names, titles, greetings, known names."""
    words = first_names() | STOP_FIRST_NAMES | TITLES | DEAR | known_first_words
    return re.compile(_trie_pattern(sorted(words)) + r"(?![A-Za-z0-9])")


def _run(text: str, pos: int, limit: int = 3, first_gap: bool = True) -> list[tuple[int, int, str]]:
    """Surname-like capitalised words from pos, each one space from the last."""
    found: list[tuple[int, int, str]] = []
    while len(found) < limit:
        if first_gap or found:
            match = NEXT_TOKEN.match(text, pos)
            group = 1
        else:
            match = TOKEN_AT.match(text, pos)
            group = 0
        if not match:
            break
        word, start, end = match.group(group), match.start(group), match.end(group)
        if word.endswith(POSSESSIVE):
            word, end = word[:-2], end - 2
        if not _is_surname(word):
            break
        found.append((start, end, word))
        pos = end
        if match.end(group) != end:
            break  # "Smith's": the name ends at the apostrophe
    return found


def _is_surname(word: str, strict: bool = False) -> bool:
    if len(word) < 2 or word in NOT_SURNAMES or word in TITLES or (word.isupper() and len(word) < 4):
        return False
    return not strict or (word not in SOFT_SURNAMES and word not in STOP_FIRST_NAMES)


@dataclass(frozen=True)
class NameCheck:
    """Names of people, from the gazetteer, context and the first-name list."""

    name: str = "name"

    def run(self, text: str, context: CheckContext) -> list[Finding]:
        spans: dict[tuple[int, int], str] = {}
        lone: list[tuple[int, int]] = []
        for start, end, reason in self._triggered(text, context, lone):
            spans.setdefault((start, end), reason)
        for start, end, reason in self._contextual(text):
            spans.setdefault((start, end), reason)
        found = [Finding(self.name, s, e, text[s:e], "block", r) for (s, e), r in sorted(spans.items())]
        found.extend(self._lone(text, lone, spans))
        return found

    def _lone(self, text: str, lone: list[tuple[int, int]], spans: dict[tuple[int, int], str]) -> list[Finding]:
        """A first name on its own may still identify someone: a warning, not a block."""
        if not lone:
            return []
        taken = sorted(spans)
        found = []
        for start, end in lone:
            i = bisect_right(taken, (start, len(text) + 1)) - 1
            if i >= 0 and taken[i][1] > start:
                continue
            reason = "a first name on its own: check whether it identifies someone (redact or accept)"
            found.append(Finding(self.name, start, end, text[start:end], "warn", reason))
        return found

    def _triggered(self, text: str, context: CheckContext, lone: list[tuple[int, int]]):
        """Names that start at (or just after) a trigger word."""
        index, first_words = _gazetteer_index(context.names, context.staff_names)
        pattern = _trigger_pattern(first_words)
        known = first_names()
        for match in pattern.finditer(text):
            start, word = match.start(), match.group()
            if start and (text[start - 1].isalnum() or text[start - 1] in "'’-"):
                continue
            if index and word.casefold() in index:
                yield from self._known(text, match, index[word.casefold()])
            if word in TITLES:
                yield from self._titled(text, match)
            if word in DEAR:
                yield from self._dear(text, match)
            if word in known:
                named = list(self._first_name(text, match))
                if not named and not NEXT_TOKEN.match(text, match.end()):
                    lone.append(match.span())  # "Victoria Line" is a place, "ask Debra" a person
                yield from named
            elif word in STOP_FIRST_NAMES:
                yield from self._stop_listed_first_name(text, match)

    @staticmethod
    def _known(text: str, match: re.Match[str], entries: list[tuple[tuple[str, ...], str]]):
        for rest, reason in entries:
            following = _following(text, match.end(), len(rest))
            if len(following) == len(rest) and all(t[2].casefold() == w for t, w in zip(following, rest)):
                yield match.start(), following[-1][1] if following else match.end(), reason
                return

    @staticmethod
    def _titled(text: str, match: re.Match[str]):
        gap = TITLE_GAP.match(text, match.end())
        if not gap:
            return
        run = _run(text, gap.end(), first_gap=False)
        if run and len(run[0][2]) > 1:
            yield run[0][0], run[-1][1], f"name of a person (after the title {match.group()!r})"

    @staticmethod
    def _dear(text: str, match: re.Match[str]):
        nxt = NEXT_TOKEN.match(text, match.end())
        if not nxt or nxt.group(1) in DEAR_NOT_NAMES or nxt.group(1) in TITLES or nxt.group(1).isupper():
            return
        run = _run(text, match.end())
        if run:
            yield run[0][0], run[-1][1], f"name of a person (greeted with {match.group()!r})"

    @staticmethod
    def _first_name(text: str, match: re.Match[str]):
        run = _run(text, match.end())
        if run and not run[0][2].isupper():
            yield match.start(), run[-1][1], "name of a person (a first name and a surname)"

    @staticmethod
    def _stop_listed_first_name(text: str, match: re.Match[str]):
        """"Grace Fleming" is a name, "Grace Road" and "May Day" are not."""
        run = _run(text, match.end())
        if run and run[0][2] in surnames() and _is_surname(run[0][2], strict=True):
            yield match.start(), run[-1][1], "name of a person (a first name and a known surname)"

    # -- wider context: applicant, wrote:, headers, signatures ----------------

    def _contextual(self, text: str):
        for match in finditer(APPLICANT, text, APPLICANT_ANCHORS):
            yield from self._applicant(text, match)
        for match in WROTE.finditer(text):
            yield from self._wrote(text, match.start())
        for line_start in _line_starts(text, (HEADER_ANCHOR,)):
            match = HEADER_LINE.match(text, line_start)
            if match:
                yield from self._header(text, match)
        for line_start in _line_starts(text, FIELD_ANCHORS):
            match = FIELD_LINE.match(text, line_start)
            if match and _looks_like_person(match.group("value"), allow_single=True):
                yield match.start("value"), match.end("value"), "name of a person (a name field)"
        for line_start in _line_starts(text, SIGN_OFF_ANCHORS):
            match = SIGN_OFF.match(text, line_start)
            if match:
                yield from self._signature(text, match)

    @staticmethod
    def _applicant(text: str, match: re.Match[str]):
        if TITLE_WORD.match(text, match.end()):
            return  # "the applicant, Mr Smith": the title rule has it
        run = _run(text, match.end(), first_gap=False)
        if run and not run[0][2].isupper():
            yield run[0][0], run[-1][1], f"name of a person ({match.group().strip(' ,:(')!r})"

    @staticmethod
    def _wrote(text: str, pos: int):
        line_start = text.rfind("\n", 0, pos) + 1
        line = text[line_start:pos]
        line = re.sub(r"<[^>]*>|\[[^\]]*\]|\([^)]*\)", lambda m: " " * len(m.group()), line)
        found = re.search(r"([A-Z][A-Za-z'’\-]+(?:[ ,]+[A-Z][A-Za-z'’\-]+){0,3})[\s\"']*$", line)
        if found and _looks_like_person(found.group(1)):
            yield line_start + found.start(1), line_start + found.end(1), "name of a person (the writer of a quoted mail)"

    @staticmethod
    def _header(text: str, match: re.Match[str]):
        for part in re.finditer(r"[^;\n]+", match.group("value")):
            value = part.group()
            name = re.match(r"\s*\"?([^\"<\[]+?)\"?\s*(?:[<\[]|$)", value)
            if name and "@" not in name.group(1) and _looks_like_person(name.group(1)):
                start = match.start("value") + part.start() + name.start(1)
                yield start, start + len(name.group(1)), "name of a person (in a quoted mail's header)"

    @staticmethod
    def _signature(text: str, match: re.Match[str]):
        rest = match.group("rest").strip(" ,.")
        if rest:
            pos = match.start("rest") + match.group("rest").index(rest)
            line = rest
        else:
            nxt = NEXT_LINE.match(text, match.end())
            if not nxt:
                return
            pos, line = nxt.start("line"), nxt.group("line").rstrip()
        words = line.split()
        if words and words[0].rstrip(".") in TITLES:
            return  # a rank or title: the title rule has it
        if _looks_like_person(line, allow_single=True):
            yield pos, pos + len(line), "name of a person (signing off a mail)"


NEXT_LINE = re.compile(r"(?:[ \t\r]*\n){1,3}[ \t]*(?P<line>[^\r\n]+)")
TITLE_WORD = re.compile(r"(?:" + "|".join(sorted(TITLES, key=len, reverse=True)) + r")\b")


def _following(text: str, pos: int, count: int) -> list[tuple[int, int, str]]:
    """Up to count capitalised words after pos, each one space from the last."""
    found = []
    while len(found) < count:
        match = NEXT_TOKEN.match(text, pos)
        if not match:
            break
        found.append((match.start(1), match.end(1), match.group(1)))
        pos = match.end(1)
    return found


def _line_starts(text: str, anchors: tuple[Anchor, ...]) -> list[int]:
    """Start of each line holding an anchor hit, once each."""
    starts = {text.rfind("\n", 0, start) + 1 for a in anchors for start, _ in anchor_spans(a, text)}
    return sorted(starts)


def _looks_like_person(value: str, allow_single: bool = False) -> bool:
    """True for 1-4 capitalised words with no digits and no role word."""
    words = [w for w in re.split(r"[\s,]+", value.strip()) if w]
    if not words or len(words) > 4 or (len(words) == 1 and not allow_single):
        return False
    if any(not w[0].isupper() or any(c.isdigit() for c in w) for w in words):
        return False
    if any(w in ROLE_WORDS or w in NOT_SURNAMES or w in TITLES for w in words):
        return False
    return not all(w.isupper() for w in words) or len(words) > 1 and all(len(w) > 3 for w in words)


@lru_cache(maxsize=8)
def _gazetteer_index(
    names: frozenset[str], staff: frozenset[str]
) -> tuple[dict[str, list[tuple[tuple[str, ...], str]]], frozenset[str]]:
    """First word (case-folded) to the rest of each known name, longest first;
    and each first word as written and in capitals, for the trigger regex."""
    index: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    first_words: set[str] = set()
    for source, reason in ((staff, "name on the staff list"), (names, "known name (learnt from stored mail)")):
        for name in source:
            words = re.findall(r"[A-Za-z]+(?:['’\-][A-Za-z]+)*", name)
            if not words or not words[0][0].isupper():
                continue
            folded = tuple(w.casefold() for w in words)
            orders = [(words, folded, reason)]
            if len(words) > 1:  # "SMITHERS Alan", as police directories write it
                orders.append((words[-1:] + words[:-1], folded[-1:] + folded[:-1], reason + ", surname first"))
            for written, key, why in orders:
                first_words.update((written[0], written[0].upper()))
                index.setdefault(key[0], []).append((key[1:], why))
    for entries in index.values():
        entries.sort(key=lambda e: -len(e[0]))
    return index, frozenset(first_words)


def _tidy_display_name(name: str) -> str | None:
    name = re.sub(r"\([^)]*\)|\[[^\]]*\]|\"|'(?=\s|$)", " ", name)
    name = " ".join(name.split()).strip(" ,;")
    if "," in name:
        last, _, first = name.partition(",")
        name = f"{first.strip()} {last.strip()}"
    words = name.split()
    if len(words) > 1 and words[0].isupper() and not words[-1].isupper():
        words = words[1:] + words[:1]  # "SMITH Jane", the police directory's order
    if len(words) < 2 or len(words) > 4 or "@" in name:
        return None
    if any(w in ROLE_WORDS or w.upper() in ROLE_WORDS or any(c.isdigit() for c in w) for w in words):
        return None
    if not all(re.fullmatch(r"[A-Za-z][A-Za-z'’\-]*", w) for w in words):
        return None
    return " ".join(w if not w.isupper() and not w.islower() else w.capitalize() for w in words)


def _name_from_address(address: str) -> str | None:
    local = address.strip().lower().rpartition("@")[0]
    if not local or local in ROLE_LOCAL_PARTS:
        return None
    parts = [p for p in re.split(r"[._]", local) if p]
    if len(parts) < 2 or len(parts) > 3 or not all(p.isalpha() for p in parts):
        return None
    if len(parts[0]) < 2 or len(parts[-1]) < 2 or any(p in ROLE_LOCAL_PARTS for p in parts):
        return None
    return f"{parts[0].capitalize()} {parts[-1].capitalize()}"


def learn_names(display_names: Iterable[str], addresses: Iterable[str]) -> set[str]:
    """Names of people from display names ("Smith, Jane", "Jane Smith (Force)")
    and first.last@ addresses; role mailboxes are left out."""
    found = {n for n in map(_tidy_display_name, display_names) if n}
    found.update(n for n in map(_name_from_address, addresses) if n)
    return found


def names_from_signature(text: str) -> set[str]:
    """Names written under a sign-off ("Kind regards,\\nJane Smith"), to learn."""
    found = set()
    for match in SIGN_OFF.finditer(text):
        for start, end, _ in NameCheck._signature(text, match):
            name = _tidy_display_name(text[start:end])
            if name:
                found.add(name)
    return found
