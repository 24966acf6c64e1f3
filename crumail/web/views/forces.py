"""The Forces page: every operator sees the register; administrators edit a
force, import a CSV and export it.  Every change is in the register's audit
(crumail.store.forces), checked by the same rules as ``crumail forces
import`` (crumail.register.csvfile)."""

from __future__ import annotations

from dataclasses import replace

from werkzeug.wrappers import Response

from crumail.drafts.deadlines import NATION_NAMES
from crumail.errors import RegisterError
from crumail.model import Force
from crumail.register import apply, csvfile
from crumail.settings.tables import NATIONS
from crumail.store import forces as store
from crumail.store.db import transaction
from crumail.web import params
from crumail.web.context import Ctx, not_found
from crumail.web.routes import route

STATES = ("active", "inactive", "all")
SHOWN_PROBLEMS = 20


@route("/forces")
def forces_list(ctx: Ctx) -> Response:
    args = ctx.request.args
    nation = params.choice(args, "nation", NATIONS, "") or ""
    region = args.get("region", "").strip()[:100]
    state = params.choice(args, "state", STATES, "active") or "active"
    active = {"active": True, "inactive": False, "all": None}[state]
    said = ctx.said()
    return ctx.render("forces.html", forces=store.list_forces(ctx.db, nation=nation or None,
                                                              region=region or None, active=active),
                      nations=NATIONS, nation_names=NATION_NAMES, regions=store.regions(ctx.db), nation=nation, region=region,
                      state=state, states=STATES, total=store.count(ctx.db),
                      history=store.history(ctx.db, limit=20) if ctx.is_admin else [],
                      notice=said.get("notice"), error=said.get("error"), problems=said.get("problems", []))


@route("/forces/export.csv")
def forces_export(ctx: Ctx) -> Response:
    return Response(apply.export_text(ctx.db), content_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="forces.csv"'})


@route("/forces/import", ("POST",), admin=True)
def forces_import(ctx: Ctx) -> Response:
    upload = ctx.request.files.get("file")
    if upload is None or not upload.filename:
        return ctx.redirect_saying("forces_list", {"error": "Choose a CSV file to import."})
    dry_run = ctx.request.form.get("dry_run") == "1"
    try:
        text = apply.decode(upload.stream.read(csvfile.MAX_FILE_BYTES + 1))
        result = apply.import_text(ctx.db, text, actor=ctx.user["name"], dry_run=dry_run,
                                   comment=f"imported on the desk from {upload.filename[:100]}")
    except RegisterError as exc:
        return ctx.redirect_saying("forces_list", {"error": "The file was not imported; nothing changed.",
                                                   "problems": exc.problems[:SHOWN_PROBLEMS]})
    counts = result.summary()
    verb = "Checked: would add" if dry_run else "Imported: added"
    return ctx.redirect_saying("forces_list", {"notice": (
        f"{verb} {counts['added']}, {'would change' if dry_run else 'changed'} {counts['changed']}, "
        f"unchanged {counts['unchanged']}; {counts['kept']} not in the file kept as they were.")})


@route("/forces/new", ("GET", "POST"), admin=True)
def force_new(ctx: Ctx) -> Response:
    return _edit(ctx, None)


@route("/forces/<int:force>", ("GET", "POST"), admin=True)
def force_edit(ctx: Ctx, force: int) -> Response:
    found = store.get(ctx.db, force)
    if found is None:
        raise not_found(f"force {force}")
    return _edit(ctx, found)


def _edit(ctx: Ctx, force: Force | None) -> Response:
    values, problems = _form_values(force), []
    if ctx.request.method == "POST":
        values = {c: ctx.request.form.get(c, "")[:csvfile.MAX_FIELD_CHARS * csvfile.MAX_VALUES]
                  for c in csvfile.COLUMNS}
        values["active"] = "true" if ctx.request.form.get("active") == "1" else "false"
        comment = ctx.request.form.get("comment", "").strip()[:500] or None
        try:
            saved = _save(ctx, force, values, comment)
        except RegisterError as exc:
            problems = [p.removeprefix("form: ") for p in exc.problems]
        else:
            return ctx.redirect_saying("forces_list", {"notice": f"{saved.name} saved."})
    history = store.history(ctx.db, force.id) if force else []
    return ctx.render("force.html", status=400 if problems else 200, force=force, values=values,
                      problems=problems, nations=NATIONS, nation_names=NATION_NAMES, kinds=csvfile.KINDS, history=history)


def _save(ctx: Ctx, before: Force | None, values: dict[str, str], comment: str | None) -> Force:
    checked = csvfile.check_force(values)
    with transaction(ctx.db):
        others = [f for f in store.list_forces(ctx.db) if before is None or f.id != before.id]
        csvfile.check_register([*others, checked])
        if before is not None:
            checked = replace(checked, id=before.id)
        store.upsert(ctx.db, checked, actor=ctx.user["name"], comment=comment or "edited on the desk")
    return checked


def _form_values(force: Force | None) -> dict[str, str]:
    if force is None:
        return {c: "" for c in csvfile.COLUMNS} | {"active": "true", "kind": "territorial",
                                                    "nation": NATIONS[0]}
    return {"name": force.name, "short_name": force.short_name, "nation": force.nation, "region": force.region,
            "kind": force.kind, "foi_mailboxes": "; ".join(force.foi_mailboxes),
            "domains": "; ".join(force.domains), "active": "true" if force.active else "false"}

