"""The topic of a log, from a small keyword taxonomy of the unit's common subjects.

A log's topic is the one whose words occur most often in its questions
(the first in this order on a tie); a log matching none is "Other".  One
topic per log, so the topics' counts add up to the logs'.  The words are
stems matched at the start of a word ("arrest" matches "arrests",
"arrested"), any case.  Change the taxonomy here: the README lists it.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Iterable

OTHER = "Other"
TAXONOMY: dict[str, tuple[str, ...]] = {
    "Roads and vehicles": ("speed", "traffic", "road", "vehicle", "pursuit", "collision", "driv",
                           "motor", "anpr", "parking", "scooter", "bicycle"),
    "Use of force and weapons": ("taser", "firearm", "weapon", "baton", "spit hood", "use of force",
                                 "knife", "knives", "restraint", "gun"),
    "Custody and arrests": ("custody", "arrest", "detain", "detention", "caution", "charge", "cell",
                            "stop and search", "warrant"),
    "Staff, pay and conduct": ("overtime", "salar", "pay", "staff", "recruit", "vetting", "sickness",
                               "misconduct", "complaint", "disciplin", "officer numbers", "training"),
    "Technology and surveillance": ("drone", "body-worn", "body worn", "cctv", "facial recognition",
                                    "software", "cyber", "camera", "surveillance", "helicopter"),
    "Violent and sexual crime": ("sexual", "rape", "domestic", "offender", "violen", "murder",
                                 "homicide", "stalking", "assault"),
    "Money and contracts": ("contract", "spend", "budget", "cost", "payment", "supplier",
                            "procure", "invoice", "fund"),
    "Vulnerable people": ("missing", "mental health", "child", "vulnerab", "safeguard", "suicide"),
    "Public order and events": ("protest", "event", "public order", "football", "festival",
                                "demonstration", "riot"),
}
# One pass over the text finds every word of every topic; which topic a
# word belongs to is a dict look-up (nine passes took ten times as long).
_TOPIC_OF = {word: topic for topic, words in TAXONOMY.items() for word in words}
_WORDS = re.compile(r"\b(?:" + "|".join(re.escape(w) for w in sorted(_TOPIC_OF, key=len, reverse=True)) + ")",
                    re.I)
TEXT_CAP = 20_000     # a log's questions read for its topic: a sender's text is capped


def topic_of(texts: Iterable[str]) -> str:
    """The topic of a log whose questions are ``texts``."""
    text = "\n".join(texts)[:TEXT_CAP]
    hits = Counter(_TOPIC_OF[word.lower()] for word in _WORDS.findall(text))
    if not hits:
        return OTHER
    top = max(hits.values())
    return next(topic for topic in TAXONOMY if hits[topic] == top)
