"""Word lists the name check works from, and the test of a person-like phrase.

First and last names come from Faker's en_GB and en_IE person providers
(MIT licensed), read at run time; the rest are the unit's own lists.
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache

log = logging.getLogger(__name__)

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

DEAR = frozenset({"Dear", "Hi", "Hello", "Morning", "Afternoon"})
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
    from crumail.checks.forenames import NOT_FORENAMES, SUPPLEMENT, extra_first_names

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
