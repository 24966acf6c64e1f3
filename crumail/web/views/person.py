"""Subject access on the desk (admins only): find everything held on a
person, and erase it; with four eyes one admin proposes, another approves."""

from __future__ import annotations

from werkzeug.wrappers import Response

from crumail.errors import ErasureRefused
from crumail.privacy import erase as erase_mod
from crumail.privacy import person
from crumail.privacy.person import Person
from crumail.privacy.record import record_search
from crumail.review.machine import four_eyes
from crumail.store import retention as erasures
from crumail.web.context import Ctx
from crumail.web.routes import route

FIELD_LIMIT = 200
HITS_SHOWN = 500


def _person(form) -> Person:
    def one(name: str) -> tuple[str, ...]:
        value = form.get(name, "").strip()[:FIELD_LIMIT]
        return (value,) if value else ()
    return Person(form.get("name", "").strip()[:FIELD_LIMIT], one("email"), one("phone"), one("address"))


def _empty(who: Person) -> bool:
    return not (who.name or who.emails or who.phones or who.addresses)


@route("/person", admin=True)
def person_page(ctx: Ctx) -> Response:
    who = _person(ctx.request.args)
    found = None
    if not _empty(who):
        found = person.find(ctx.db, who)
        record_search(ctx.db, who, found, actor=ctx.user["name"])
    said = ctx.said()
    return ctx.render("person.html", who=who, found=found, hits=(found.hits[:HITS_SHOWN] if found else []),
                      proposals=erasures.open_proposals(ctx.db), four_eyes=four_eyes(ctx.config),
                      query=dict(ctx.request.args), notice=said.get("notice"), error=said.get("error"))


@route("/person/erase", ("POST",), admin=True)
def person_erase(ctx: Ctx) -> Response:
    form = ctx.request.form
    who, reason, actor = _person(form), form.get("reason", "").strip()[:FIELD_LIMIT], ctx.user["name"]
    if _empty(who) or not reason:
        return ctx.redirect_saying("person_page", {"error": "Give the person and the reason for the erasure."})
    if four_eyes(ctx.config):
        number = erase_mod.propose(ctx.db, who, reason, actor)
        return ctx.redirect_saying("person_page", {
            "notice": f"Erasure proposal {number} recorded: another administrator must approve it."})
    return _run(ctx, who, reason, actor)


@route("/person/approve/<int:entry>", ("POST",), admin=True)
def person_approve(ctx: Ctx, entry: int) -> Response:
    """Approve erasure proposal ``entry`` (four eyes) and run it."""
    proposal = entry
    actor = ctx.user["name"]
    try:
        who, reason, proposer = erase_mod.approvable(ctx.db, proposal, actor)
    except ErasureRefused as exc:
        return ctx.redirect_saying("person_page", {"error": str(exc)})
    response = _run(ctx, who, f"{reason} (proposed by {proposer}, approved by {actor})", actor)
    erase_mod.settle(ctx.db, proposal, actor)
    return response


def _run(ctx: Ctx, who: Person, reason: str, actor: str) -> Response:
    found = person.find(ctx.db, who)
    record_search(ctx.db, who, found, actor=actor)
    settings = ctx.config.settings
    done = erase_mod.erase(ctx.db, who, found, settings.redaction, reason, actor=actor,
                           batch=settings.retention.batch)
    counts = ", ".join(f"{n} {kind}" for kind, n in sorted(done.counts.items())) or "nothing"
    return ctx.redirect_saying("person_page", {"notice": f"Erased or masked: {counts}."})
