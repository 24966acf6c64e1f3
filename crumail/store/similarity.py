"""How alike two questions are: the pure half of ``crumail similar``.

The store finds candidates with FTS5 (bm25 over an OR of a question's
significant words); this module says which words are significant, builds
safe FTS5 queries from free text, and scores each candidate by the Dice
overlap of significant word stems, which, unlike bm25, does not favour a
long question that happens to repeat one rare word.
"""

from __future__ import annotations

import re

WORD = re.compile(r"\w+", re.UNICODE)

# Plain English function words, and the boilerplate every FOI request
# carries ("please provide ... broken down by district for each of the past
# three financial years"), which says nothing about what is asked.
STOPWORDS = frozenset("""
a about above after again all also am an and any are as at be because been before
being below between both but by can could did do does doing done during each either
etc few for from further had has have having he her here hers him his how i if in
into is it its itself just let me more most my no nor not now of off on once only or
other our ours out over own per same she should so some such than that the their
theirs them then there these they this those through to too under until up upon us
very via was we were what when where whether which while who whom why will with
would yes you your yours
please provide provided providing information request requested requesting
able breakdown break broken down data figures figure total totals number numbers
many much force forces force's wide district districts policing area areas
past last three five ten years year financial calendar per annum within held hold
record records recorded following kindly thank thanks dear regards
""".split())

MAX_QUERY_TERMS = 24
MIN_WORD = 2


def words(text: str) -> list[str]:
    """Lower-case words of ``text`` (letters and digits)."""
    return [w.lower() for w in WORD.findall(text or "") if w != "_"]


def stem(word: str) -> str:
    """A crude English stem, enough to match "offenders" with "offender"."""
    for suffix, keep in (("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: len(word) - len(suffix)] + keep
    return word


def significant(text: str) -> list[str]:
    """The words of ``text`` that say what is asked, in order, without repeats."""
    seen: dict[str, None] = {}
    for word in words(text):
        if len(word) >= MIN_WORD and word not in STOPWORDS and not word.isdigit():
            seen.setdefault(word, None)
    return list(seen)


def fts_query(terms: list[str], operator: str = "AND") -> str:
    """An FTS5 MATCH expression of quoted terms: no user text reaches FTS5
    syntax, so ``s40(2)`` or ``RSO's`` cannot make the query fail."""
    quoted = [f'"{t}"' for t in terms if t and '"' not in t]
    return f" {operator} ".join(quoted)


def search_terms(query: str) -> list[str]:
    """The words of a search box query, in order, without repeats."""
    return list(dict.fromkeys(words(query)))


def precedent_terms(question: str) -> list[str]:
    """Words to find candidate precedents with (an OR query)."""
    return significant(question)[:MAX_QUERY_TERMS]


def similarity(question: str, candidate: str) -> float:
    """Dice coefficient of the two texts' significant stems, 0.0 to 1.0."""
    ours = {stem(w) for w in significant(question)}
    theirs = {stem(w) for w in significant(candidate)}
    if not ours or not theirs:
        return 0.0
    return 2 * len(ours & theirs) / (len(ours) + len(theirs))


def cross_referenced(their_questions: list[int], our_questions: list[int]) -> dict[int, int]:
    """Our question -> their question, from a stated mapping such as
    "Questions 1, 6 and 9 of 1355/22 refer to Q1, Q2 and Q3"; a mapping
    whose two sides differ in length is not guessed at."""
    if len(their_questions) != len(our_questions):
        return {}
    return dict(zip(our_questions, their_questions))
