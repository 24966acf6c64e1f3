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
_PATTERNS = {topic: re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + r")", re.I)
             for topic, words in TAXONOMY.items()}
TEXT_CAP = 20_000     # a log's questions read for its topic: a sender's text is capped


def topic_of(texts: Iterable[str]) -> str:
    """The topic of a log whose questions are ``texts``."""
    text = "\n".join(texts)[:TEXT_CAP]
    hits = Counter({topic: len(pattern.findall(text)) for topic, pattern in _PATTERNS.items()})
    best, count = max(hits.items(), key=lambda item: item[1], default=(OTHER, 0))
    return best if count else OTHER
