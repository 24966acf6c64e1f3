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

from crumail.checks.nominal import caps_surname
from crumail.checks.gazetteer import gazetteer_index, learn_names, tidy_display_name
from crumail.checks.model import CheckContext, Finding
from crumail.checks.scan import Anchor, finditer, lowered
from crumail.model import ParsedMail
from crumail.wordlists import (
    DEAR,
    DEAR_NOT_NAMES,
    NOT_SURNAMES,
    SIGN_OFFS,
    SOFT_SURNAMES,
    STOP_FIRST_NAMES,
    TITLES,
    first_names,
    looks_like_person,
    surnames,
)

__all__ = ["NameCheck", "learn_names", "names_from_signature", "names_in"]


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
# The sign-offs the extractor knows but "Best" alone (see wordlists.BARE_SIGN_OFFS).
SIGN_OFF = re.compile(r"^[ \t]*(?i:" + SIGN_OFFS + r")[ \t]*[,.!]?[ \t]*(?P<rest>[^\r\n]*)\r?$", re.M)
NAME_WORD = r"[A-Z][A-Za-z]*(?:['’\-][A-Za-z]+)*"
TOKEN_AT = re.compile(NAME_WORD + r"\b")
NEXT_TOKEN = re.compile(r"[ \t]{1,3}(" + NAME_WORD + r")\b")
TITLE_GAP = re.compile(r"\.?[ \t]{1,3}(?:\d{2,6}[ \t]{1,3})?")
POSSESSIVE = ("'s", "’s")
NAMED_LAW = re.compile(r"['’]s\s+Law\b")  # "Clare's Law", "Sarah's Law": schemes, not people

APPLICANT_ANCHORS = (
    Anchor(
        re.compile(
            r"the (?:applicant|requester|requestor|complainant|data subject|victim|suspect|witness|officer|"
            r"caller|informant|deceased)"
        ),
        0,
        40,
        on_lower=True,
    ),
)
# One scan over the lower-cased text for every rule that reads a whole
# line: a sign-off, a name field, a quoted header.  The pattern starts with
# a newline, so the engine jumps from line to line in C.
LINE_CUE = re.compile(
    r"\n[> \t]*(?:"
    r"(?P<sign_off>" + SIGN_OFFS + ")"
    r"|(?P<field>case ?worker|officer in (?:the )?case|oic|contact(?: name)?|name|decision maker|"
    r"(?:applicant|requester|requestor)(?:'s)? name)[ \t]*:"
    r"|(?P<header>from|to|cc|sent by|sender):)"
)


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


def _run(
    text: str, pos: int, limit: int = 3, first_gap: bool = True, caps: bool = False
) -> list[tuple[int, int, str]]:
    """Surname-like capitalised words from pos, each one space from the last.

    With ``caps``, a short surname in capitals counts too ("Sarah LEE").
    """
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
        surname = _is_surname(word) or (caps and word.isupper() and caps_surname(word))
        if not surname or (found and word in SOFT_SURNAMES):
            break  # "Stephen Lawrence Day": a place word only as the first surname
        found.append((start, end, word))
        pos = end
        if match.end(group) != end:
            break  # "Smith's": the name ends at the apostrophe
    return found


HYPHENED_FORENAME = re.compile(r"-[A-Z][a-z]+\b(?!-)")


def _forename_end(text: str, end: int) -> int:
    """Where a first name ends: "Mary-Jane" is one."""
    more = HYPHENED_FORENAME.match(text, end)
    return more.end() if more else end


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
        index, first_words = gazetteer_index(context.names, context.staff_names)
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
                if not named and not NEXT_TOKEN.match(text, match.end()) and not NAMED_LAW.match(text, match.end()):
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
        """A first name and a surname, the surname possibly in capitals as police
        systems print a nominal ("John SMITH", "Mary-Jane KHAN-PATEL")."""
        run = _run(text, _forename_end(text, match.end()), caps=True)
        if run and (not run[0][2].isupper() or caps_surname(run[0][2])):
            yield match.start(), run[-1][1], "name of a person (a first name and a surname)"

    @staticmethod
    def _stop_listed_first_name(text: str, match: re.Match[str]):
        """"Grace Fleming" is a name, "Grace Road" and "May Day" are not."""
        run = _run(text, _forename_end(text, match.end()), caps=True)
        surname = run[0][2].title() if run and run[0][2].isupper() else run[0][2] if run else ""
        if run and surname in surnames() and _is_surname(surname, strict=True):
            yield match.start(), run[-1][1], "name of a person (a first name and a known surname)"

    # -- wider context: applicant, wrote:, headers, signatures ----------------

    def _contextual(self, text: str):
        for match in finditer(APPLICANT, text, APPLICANT_ANCHORS):
            yield from self._applicant(text, match)
        for match in WROTE.finditer(text):
            yield from self._wrote(text, match.start())
        for kind, line_start in _line_cues(text):
            if kind == "header":
                match = HEADER_LINE.match(text, line_start)
                if match:
                    yield from self._header(text, match)
            elif kind == "field":
                match = FIELD_LINE.match(text, line_start)
                if match and looks_like_person(match.group("value"), allow_single=True):
                    yield match.start("value"), match.end("value"), "name of a person (a name field)"
            else:
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
        reach = max(0, pos - 200)  # a "... wrote:" line is short; never scan back over a whole text
        line_start = max(text.rfind("\n", reach, pos) + 1, reach)
        line = text[line_start:pos]
        line = re.sub(r"<[^>]*>|\[[^\]]*\]|\([^)]*\)", lambda m: " " * len(m.group()), line)
        found = re.search(r"([A-Z][A-Za-z'’\-]+(?:[ ,]+[A-Z][A-Za-z'’\-]+){0,3})[\s\"']*$", line)
        if found and looks_like_person(found.group(1)):
            yield line_start + found.start(1), line_start + found.end(1), "name of a person (the writer of a quoted mail)"

    @staticmethod
    def _header(text: str, match: re.Match[str]):
        for part in re.finditer(r"[^;\n]+", match.group("value")):
            value = part.group()
            name = re.match(r"\s*\"?([^\"<\[]+?)\"?\s*(?:[<\[]|$)", value)
            if name and "@" not in name.group(1) and looks_like_person(name.group(1)):
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
        if looks_like_person(line, allow_single=True):
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


def _line_cues(text: str):
    """(kind, line start) of each line that opens with a sign-off, a name field or a header."""
    lines = lowered(text)
    first = LINE_CUE.match("\n" + lines[:200])
    if first:
        yield first.lastgroup, 0
    for match in LINE_CUE.finditer(lines):
        yield match.lastgroup, match.start() + 1


def names_from_signature(text: str) -> set[str]:
    """Names written under a sign-off ("Kind regards,\\nJane Smith"), to learn."""
    found = set()
    for match in SIGN_OFF.finditer(text):
        for start, end, _ in NameCheck._signature(text, match):
            name = tidy_display_name(text[start:end])
            if name:
                found.add(name)
    return found


def names_in(parsed: ParsedMail) -> set[str]:
    """Every person's name a message and its nested messages show: display names
    and first.last@ addresses in From, To, Cc, Bcc and Reply-To, and names under
    a sign-off.  What the store's gazetteer learns from each message it keeps."""
    found: set[str] = set()
    for mail in parsed.walk():
        people = [p for p in (mail.from_, *mail.to, *mail.cc, *mail.bcc, *mail.reply_to) if p]
        found |= learn_names([p.name for p in people if p.name],
                             [p.address for p in people if p.address])
        found |= names_from_signature(mail.text)
    return found
