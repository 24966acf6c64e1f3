"""Erasure on request (``crumail person erase``): every message that
mentions the person becomes a tombstone, as at the end of its retention
period, and every draft and casebook row that mentions them is masked with
the unit's markers, their own written forms included; one transaction per
batch, each in the erasure record with the reason given."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from sqlite_utils import Database

from crumail.errors import ErasureRefused
from crumail.privacy import retention
from crumail.privacy.masking import Masker
from crumail.privacy.person import Found, Person
from crumail.settings import RedactionSettings
from crumail.store import gazetteer, transaction, users
from crumail.store import retention as store


@dataclass
class Erased:
    counts: Counter = field(default_factory=Counter)
    batches: int = 0


def person_masker(redaction: RedactionSettings, names: set[str], person: Person) -> Masker:
    patterns = [p for p in [person.name_pattern(), *person.address_patterns()] if p is not None]
    patterns += [re.compile(re.escape(e), re.I) for e in person.emails]
    return Masker.build(redaction, names | ({person.name} if person.name else set()), patterns)


def erase(db: Database, person: Person, found: Found, redaction: RedactionSettings,
          reason: str, actor: str, batch: int = 100) -> Erased:
    masker = person_masker(redaction, gazetteer.names(db), person)
    done = Erased()
    work = [("mail", found.messages), ("draft", sorted({h.id for h in found.hits if h.kind == "draft"}))]
    for kind, ids in work:
        for start in range(0, len(ids), batch):
            with transaction(db):
                count = retention.erase(db, kind, ids[start:start + batch], masker)
                store.record(db, actor, "person-erase", {kind: count}, reason=reason)
            done.counts[kind] += count
            done.batches += 1
    casebook = sorted({h.where for h in found.hits if h.kind in ("question", "advice", "log")})
    if casebook:
        with transaction(db):
            done.counts["casebook logs"] += retention.mask_logs(db, casebook, masker)
            store.record(db, actor, "person-erase", {"casebook logs": len(casebook)}, reason=reason)
        done.batches += 1
    with transaction(db):   # the record of earlier searches, and the names learnt, forget them too
        done.counts["records masked"] += store.mask_records(db, masker.text)
        done.counts["gazetteer names"] += gazetteer.forget(db, [n for n in gazetteer.names(db)
                                                                 if masker.text(n) != n and _only_person(n, person)])
    store.reclaim(db)
    return done


def _only_person(name: str, person: Person) -> bool:
    pattern = person.name_pattern()
    return pattern is not None and pattern.search(name) is not None


# -- who may erase: admins; with four eyes, one proposes and another approves --

def check_admin(db: Database, name: str) -> None:
    """``name`` (already an active account, or the OS user when there are none)
    must be an admin once the desk has accounts."""
    account = users.get_by_name(db, name)
    if users.all_users(db) and (account is None or account["role"] != "admin"):
        raise ErasureRefused(f"{name!r} is not an admin: only an admin may erase what is held on a person")


def propose(db: Database, person: Person, reason: str, by: str) -> int:
    with transaction(db):
        return store.propose(db, by, person_dict(person), reason)


def approvable(db: Database, proposal_id: int, by: str) -> tuple[Person, str, str]:
    """The proposal's person, reason and proposer, once ``by`` may approve it."""
    found = store.proposal(db, proposal_id)
    if found is None or found["state"] != "proposed":
        raise ErasureRefused(f"there is no open erasure proposal {proposal_id}")
    if found["proposed_by"].casefold() == by.casefold():
        raise ErasureRefused(f"{by} proposed erasure {proposal_id}: four eyes ([web] second_approver) "
                             "needs another admin to approve it")
    p = found["person"]
    return (Person(p["name"], tuple(p["emails"]), tuple(p["phones"]), tuple(p["addresses"])),
            found["reason"], found["proposed_by"])


def settle(db: Database, proposal_id: int, by: str) -> None:
    with transaction(db):
        store.proposal_done(db, proposal_id, by, {"name": "S.40(2)", "emails": [], "phones": [], "addresses": []})


def person_dict(person: Person) -> dict:
    return {"name": person.name, "emails": list(person.emails), "phones": list(person.phones),
            "addresses": list(person.addresses)}
