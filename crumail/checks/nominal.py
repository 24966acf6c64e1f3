"""Surnames printed in capitals, as police systems print a nominal ("John SMITH").

A word in capitals after a first name is its surname unless it is an
acronym, a marking or shouting; short ones need a vowel ("LEE", "FOX"),
which acronyms mostly lack.
"""

from __future__ import annotations

from crumail.wordlists import NOT_SURNAMES, ROLE_WORDS, TITLES


# Words in capitals that follow a first name without being its surname:
# markings, acronyms, shouting.  Capitalised prose words are stopped by the
# name check's own lists (NOT_SURNAMES, ROLE_WORDS), compared upper-cased.
CAPS_NOT_SURNAMES = frozenset(
    """FOI FOIA NPCC CRU OFFICIAL SENSITIVE POLICE ONLY EYES NOT FOR PUBLICATION PROTECT RESTRICTED SECRET
    CONFIDENTIAL PRIVATE URGENT ASAP NB PS TBC TBD TBA TODO NFA PNC PND CRO DVLA ICO IOPC HMICFRS ACPO NCA MOD
    HMRC NHS DWP GDPR DPA UK GB USA EU CPS BTP MPS PSNI ACC DCC QC KC MP MSP MS OBE MBE CBE QPM KPM CEO CC BCC
    RE FW FWD REF LOG CASE ALL AND THE OR OF TO IN ON AT BY IS IT IF NO YES OK THANKS PLEASE NOTE ATTN FAO
    HQ ID PDF DOCX XLSX CSV URL IT HR ANPR CCTV BWV RTC ASB DV DA CSE MASH MARAC MAPPA SOCO CID""".split()
)


def caps_surname(word: str) -> bool:
    """True for a word in capitals that may be a surname: not an acronym or a
    marking, and (when short) holding a vowel, as "LEE" and "FOX" do."""
    bare = word.strip("'’")
    if len(bare) < 2 or bare in CAPS_NOT_SURNAMES or bare.title() in NOT_SURNAMES:
        return False
    if bare.title() in ROLE_WORDS or bare in ROLE_WORDS or bare in TITLES:
        return False
    return len(bare) > 3 or any(c in "AEIOUY" for c in bare)
