"""Fictitious people for the attachment corpus, drawn from a seeded generator.

Invented first-name/surname pairings, Ofcom drama-range phone numbers
(07700 900xxx, 01632 960xxx), example.* domains and NR postcodes in the
unused ``9ZZ`` unit.  ``random.Random(seed)`` with ``randrange``/``choice``
gives the same sequence on every Python 3, so the files are stable.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

FIRST = ["Imogen", "Declan", "Rhiannon", "Tobias", "Aoife", "Gareth", "Siobhan", "Callum", "Niamh", "Ewan",
         "Harriet", "Osian", "Bethan", "Fergus", "Maisie", "Rory", "Ffion", "Lachlan", "Orla", "Dafydd"]
LAST = ["Tarrant", "Venn", "Ashdown", "Quirke", "Pryce", "Hollis", "Carragher", "Thistlewood", "Marchbank",
        "Ormerod", "Lusk", "Fenwick", "Blackmore", "Coldwell", "Ravensworth", "Upjohn", "Mallender", "Pennock",
        "Scarisbrick", "Dunmore", "Haverford", "Kettleby", "Winterbourne", "Oakhampton", "Bellerby"]
RANKS = ["Constable", "Constable", "Constable", "Sergeant", "Inspector", "Chief Inspector", "Police Staff"]
ROLES = ["Response", "Neighbourhood", "CID", "Custody", "Roads Policing", "Public Protection", "Intelligence",
         "Contact Management", "Training", "Professional Standards"]
STREETS = ["Acacia Avenue", "Mill Lane", "Orchard Close", "Station Road", "Kestrel Drive", "Hawthorn Street"]
OFFENCES = ["Assault", "Burglary", "Criminal damage", "Harassment", "Theft", "Robbery", "Public order"]
TOWNS = ["Exampleton", "Norwich", "Ipswich", "King's Lynn", "Lowestoft"]

# The people the small cases name, each once, so a finding's text is exact.
HARRIET = "Harriet Tarrant"
DECLAN = "Declan Venn"
RHIANNON = "Rhiannon Ashdown"
TOBIAS = "Tobias Quirke"
MOBILE = "07700 900417"
MOBILE_2 = "07700 900238"
OFFICE = "01632 960100"  # on the corpus allow list: the unit's switchboard
ROLE_MAILBOX = "foi@example.police.uk"


@dataclass(frozen=True)
class Officer:
    surname: str
    initials: str
    rank: str
    role: str
    staff_number: int


@dataclass(frozen=True)
class Victim:
    crime_ref: str
    name: str
    address: str
    postcode: str
    date_of_birth: str
    offence: str
    role: str


def officers(count: int, seed: int = 9483) -> list[Officer]:
    """A fictitious force's nominal roll, as on the PSNI spreadsheet's hidden sheet."""
    rng = random.Random(seed)
    numbers = rng.sample(range(10000, 99999), count)
    return [
        Officer(rng.choice(LAST).upper(), f"{rng.choice(FIRST)[0]}{rng.choice(FIRST)[0]}",
                rng.choice(RANKS), rng.choice(ROLES), numbers[i])
        for i in range(count)
    ]


def victims(count: int, seed: int = 1230) -> list[Victim]:
    """Raw crime-report rows, as in the Norfolk and Suffolk pivot cache."""
    rng = random.Random(seed)
    out = []
    for i in range(count):
        out.append(Victim(
            crime_ref=f"36/{10000 + i}/23",
            name=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
            address=f"{rng.randrange(1, 200)} {rng.choice(STREETS)}, {rng.choice(TOWNS)}",
            postcode=f"NR{rng.randrange(1, 35)} 9ZZ",
            date_of_birth=f"{rng.randrange(1, 29):02d}/{rng.randrange(1, 13):02d}/{rng.randrange(1940, 2010)}",
            offence=rng.choice(OFFENCES),
            role=rng.choice(["Victim", "Victim", "Witness", "Suspect"]),
        ))
    return out
