"""The words crumail reads mail by, in one place for the extractor and the checks.

* how a letter is written: greetings, sign-offs, reply and forward prefixes;
* protective markings (and their order) and handling caveats;
* what the name check works from: stop lists, titles, role words, and
  first and last names from Faker's en_GB and en_IE person providers (MIT
  licensed), read at run time.

The extractor (what a message says) and the checks (what a draft must not
leave with) build their patterns from these lists; where one of them reads
fewer words on purpose, the list it leaves out says why.  Lists are lower
case unless their case matters; ``phrases`` makes a pattern of them.
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache

log = logging.getLogger(__name__)


def phrases(*items: str) -> str:
    """One regex alternation matching any of ``items``, words apart by any
    white space, the longest first (so "kind regards" before "kind")."""
    ordered = sorted(items, key=len, reverse=True)
    return "(?:" + "|".join(r"\s+".join(map(re.escape, item.split())) for item in ordered) + ")"


# -- how a letter is written ----------------------------------------------------

#: The greetings that open a letter; each one's last word is the word before
#: a name ("Dear Jo", "Morning Jo").
GREETINGS = ("dear", "hello", "hi", "good morning", "good afternoon")

#: A sign-off is a lead (optional, after "with"), a word, and a tail
#: (optional): "Kind regards", "With many thanks", "Thanks again"; or one of
#: the phrases.
SIGN_OFF_LEADS = ("kind", "kindest", "best", "warm", "warmest", "many")
SIGN_OFF_WORDS = ("regards", "wishes", "thanks")
SIGN_OFF_PHRASES = ("thank you", "yours sincerely", "yours faithfully", "yours truly", "sincerely", "cheers")
SIGN_OFF_TAILS = ("again", "all", "very much", "so much", "in advance")
#: "Best" alone closes a letter too, and the extractor reads it so (a line of
#: its own); the name check does not, since it reads the rest of a sign-off's
#: line as a name, and "Best" opens sentences and titles ("Best Value Review").
BARE_SIGN_OFFS = ("best",)
SIGN_OFFS = (rf"(?:(?:with\s+)?(?:{phrases(*SIGN_OFF_LEADS)}\s+)?{phrases(*SIGN_OFF_WORDS)}"
             rf"|{phrases(*SIGN_OFF_PHRASES)})(?:\s+{phrases(*SIGN_OFF_TAILS)})?")

#: Subject prefixes of a reply and of a forward, in the languages mail comes
#: in (German AW and WG, Scandinavian SV, Dutch Antw, French TR), with
#: Outlook's counter ("RE[2]:").
REPLY_PREFIXES = ("re", "aw", "sv", "antw")
FORWARD_PREFIXES = ("fw", "fwd", "tr", "wg")
REPLY_PREFIX = re.compile(rf"^\s*{phrases(*REPLY_PREFIXES)}\s*(?:\[\d+\])?\s*:", re.I)
FORWARD_PREFIX = re.compile(rf"^\s*{phrases(*FORWARD_PREFIXES)}\s*(?:\[\d+\])?\s*:", re.I)


# -- protective markings and handling caveats -------------------------------------

#: Markings as written, before a descriptor: the Government Security
#: Classifications (OFFICIAL, SECRET, TOP SECRET) and the older GPMS ones.
MARKINGS = ("not protectively marked", "top secret", "official", "protect", "restricted", "confidential", "secret")
#: Marking and descriptor pairs that make one marking (OFFICIAL-SENSITIVE).
DESCRIPTORS = ("sensitive", "private", "personal")
COMPOUNDS = {("OFFICIAL", "SENSITIVE"), ("PROTECT", "PRIVATE"), ("PROTECT", "PERSONAL")}
#: Higher governs: a forward of an OFFICIAL-SENSITIVE circulation stays so.
MARKING_RANK = {
    "NOT-PROTECTIVELY-MARKED": 0, "OFFICIAL": 1, "PROTECT": 2, "PROTECT-PRIVATE": 3,
    "PROTECT-PERSONAL": 3, "OFFICIAL-SENSITIVE": 4, "RESTRICTED": 4, "CONFIDENTIAL": 5,
    "SECRET": 6, "TOP-SECRET": 7,
}
#: Markings whose content may go only inside the police network: OFFICIAL-
#: SENSITIVE and above.  OFFICIAL and PROTECT material may be released, so
#: the outbound check does not block them.
POLICE_NETWORK_MARKINGS = frozenset(m for m, rank in MARKING_RANK.items() if rank >= MARKING_RANK["OFFICIAL-SENSITIVE"])

#: Caveats that keep mail inside the police network: the outbound check
#: blocks them addressed outside, and a draft carrying one says so.
POLICE_ONLY_CAVEATS = ("police eyes only", "law enforcement eyes only", "npcc eyes only",
                       "for police use only", "police use only")
#: "Not to be distributed outside the police network", however worded.
NOT_OUTSIDE_POLICE = (r"not\s+to\s+be\s+(?:distributed|circulated|shared|forwarded|disclosed)\s+outside\s+"
                      r"(?:of\s+)?the\s+police\s+(?:network|service|estate|family)")
POLICE_ONLY_CAVEAT = rf"(?:{phrases(*POLICE_ONLY_CAVEATS)}|{NOT_OUTSIDE_POLICE})"
#: Caveats that restrict mail otherwise (to UK nationals, to government, not
#: for the public): the extractor records them; the outbound check does not
#: block them, since they do not confine mail to the police network.
OTHER_CAVEATS = ("uk eyes only", "hmg eyes only", "not for publication", "not for onward transmission",
                 "not for onward distribution", "not for public release")

# -- names: what the name check works from ------------------------------------------

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
    Article Part Chapter Paragraph Table Figure Version Chancellor Mayor Lieutenant Advocate General Secretary
    Minister Speaker President Building Buildings Ward Wing Block Suite Floor Room Lodge Law Laws Principles""".split()
)

# Place words that are also common surnames: a surname after a first name
# or a title ("Chloe Hall", "DS Green"), but not after a stop-listed one ("May Day").
SOFT_SURNAMES = frozenset("Hall Cross Day Green Hill Wood Church Bridge King Bank".split())

# "Ch Insp", "Det Sgt", "Chief Constable": the second word carries the title.
TITLES = frozenset(
    """PC DC PS DS DI DCI DSU DSupt Supt Insp Inspector Sgt Sergeant Constable PCSO ACC DCC Mr Mrs Ms Miss Mx
    Dr Prof Professor Superintendent Commander Cmdr Sir Dame Lord Lady Cllr Councillor Rev""".split()
)

DEAR = frozenset(greeting.split()[-1].capitalize() for greeting in GREETINGS)
DEAR_NOT_NAMES = frozenset({"Sir", "Madam", "Sirs", "All", "Colleague", "Colleagues", "Team", "Everyone", "Requester",
                            "Requestor", "Applicant", "FOI", "CRU", "Both", "There", "Folks"})

ROLE_WORDS = frozenset(
    """Mailbox Unit Team Office Department FOI CRU NPCC Police Constabulary Service Disclosure Information Enquiries
    Admin Support Central Referral Helpdesk Desk Inbox Reception Records Management Compliance Data Protection
    Services Headquarters HQ Force Secretariat Noreply Group Centre Casework Correspondence Request Requests Legal
    Communications Press Media Complaints Professional Standards Vetting Intelligence Operations Governance
    Council Commissioner Authority Agency Ministry Tribunal Court Courts ICO IOPC HMICFRS""".split()
)
ROLE_LOCAL_PARTS = frozenset(
    "foi cru info enquiries enquiry admin noreply no-reply donotreply mailbox office contact help helpdesk support "
    "records disclosure dpo data.protection postmaster team unit secretariat".split()
)


@lru_cache(maxsize=1)
def first_names() -> frozenset[str]:
    """Faker's first names (MIT) and crumail's supplement, less the stop lists (see ``forenames``)."""
    from crumail.forenames import NOT_FORENAMES, SUPPLEMENT, extra_first_names

    names = {n for p in _faker_person_providers() for n in p.first_names} | extra_first_names() | SUPPLEMENT
    return frozenset(n for n in names if n not in STOP_FIRST_NAMES and n not in NOT_FORENAMES and len(n) > 2)


@lru_cache(maxsize=1)
def surnames() -> frozenset[str]:
    """Faker's en_GB and en_IE last names, for a stop-listed first name's surname."""
    return frozenset(n for p in _faker_person_providers() for n in p.last_names)


@lru_cache(maxsize=1)
def _faker_person_providers() -> tuple:
    """Faker's en_GB and en_IE person providers, or none (logged) when Faker is missing."""
    try:
        from faker.providers.person import en_GB, en_IE
    except ImportError:
        log.warning("faker is not installed: names are found only from context and the gazetteer")
        return ()
    return (en_GB.Provider, en_IE.Provider)


def looks_like_person(value: str, allow_single: bool = False) -> bool:
    """True for 1-4 capitalised words with no digits and no role word."""
    words = [w for w in re.split(r"[\s,]+", value.strip()) if w]
    if not words or len(words) > 4 or (len(words) == 1 and not allow_single):
        return False
    if any(not w[0].isupper() or any(c.isdigit() for c in w) for w in words):
        return False
    if any(w in ROLE_WORDS or w in NOT_SURNAMES or w in TITLES for w in words):
        return False
    return not all(w.isupper() for w in words) or len(words) > 1 and all(len(w) > 3 for w in words)
