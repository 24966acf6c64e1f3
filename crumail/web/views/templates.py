"""Draft templates, for administrators: see every template, and edit the
operators' own copies in the ``[drafts] templates`` folder (searched before
the built-in ones, so a saved copy overrides a built-in template of the same
name).  Built-in templates are never written to.  A template is refused on
save when the sandbox would refuse it at draft time (crumail/drafts/sandbox.py).
"""

from __future__ import annotations

import logging
import os
import re
import tempfile
from pathlib import Path

from werkzeug.wrappers import Response

from crumail.drafts import render, rules, sandbox
from crumail.drafts.compose import value_names
from crumail.errors import UnsafeFileError
from crumail.files.untrusted import read_regular
from crumail.store import drafts
from crumail.store.db import transaction
from crumail.web.context import Ctx, not_found
from crumail.web.routes import route

log = logging.getLogger("crumail.web")
NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")


@route("/templates", admin=True)
def templates_list(ctx: Ctx) -> Response:
    drafting = rules.from_config(ctx.config)
    own = _own_folder(drafting)
    return ctx.render("templates.html", templates=_catalogue(own), own=own,
                      used={name: [k for k, names in drafting.rules.items() if name in names]
                            for name in _names(own)},
                      notice=ctx.said().get("notice"))


@route("/templates/<name>", ("GET", "POST"), admin=True)
def template_edit(ctx: Ctx, name: str) -> Response:
    if not NAME.match(name):
        raise not_found(f"template {name}")
    drafting = rules.from_config(ctx.config)
    own = _own_folder(drafting)
    found = _source(own, name)
    if ctx.request.method == "GET":
        if found is None:
            raise not_found(f"template {name}")
        return ctx.render("template.html", name=name, source=found[1], where=found[0], own=own, error=None)
    source = (ctx.request.form.get("source") or "").replace("\r\n", "\n")
    error = _problem(own, source, value_names(drafting))
    if error:
        return ctx.render("template.html", status=400, name=name, source=source,
                          where=found[0] if found else "new", own=own, error=error)
    _write(own / f"{name}{render.SUFFIX}", source)
    with transaction(ctx.db):
        drafts.retry_drafting(ctx.db)     # a template may be what drafting failed on
    log.info("template %s saved by %s", name, ctx.user["name"],
             extra={"event": "template_saved", "key": name})
    return ctx.redirect_saying("templates_list", {"notice": f"Template {name} saved in {own}."})


@route("/templates", ("POST",), admin=True, endpoint="template_new")
def template_new(ctx: Ctx) -> Response:
    name = (ctx.request.form.get("name") or "").strip().lower()
    if not NAME.match(name):
        return ctx.redirect_saying("templates_list", {"notice": "A template name is lower-case letters, "
                                               "digits, '-' and '_'."})
    return template_edit(ctx, name)


def _own_folder(drafting) -> Path | None:
    return drafting.template_folders[0] if drafting.template_folders else None


def _names(own: Path | None) -> list[str]:
    return sorted({n for _, n in _catalogue(own)})


def _catalogue(own: Path | None) -> list[tuple[str, str]]:
    """(where, name) of every template: "own", "built-in" or "own, overrides built-in"."""
    builtin = {p.name[: -len(render.SUFFIX)] for p in render.BUILTIN_TEMPLATES.glob(f"*{render.SUFFIX}")}
    mine = {p.name[: -len(render.SUFFIX)] for p in own.glob(f"*{render.SUFFIX}")} if own and own.is_dir() else set()
    where = {n: "built-in" for n in builtin}
    where.update({n: "own, overrides built-in" if n in builtin else "own" for n in mine})
    return sorted(((w, n) for n, w in where.items()), key=lambda item: item[1])


def _source(own: Path | None, name: str) -> tuple[str, str] | None:
    """(where, text) of the template the drafting stage would use; a link is never read."""
    for where, folder in (("own", own), ("built-in", render.BUILTIN_TEMPLATES)):
        if folder is None:
            continue
        try:
            data = read_regular(folder / f"{name}{render.SUFFIX}", render.MAX_TEMPLATE_BYTES)
        except (OSError, UnsafeFileError) as exc:
            if not isinstance(exc, FileNotFoundError):
                log.warning("template %s not shown: %s", name, exc,
                            extra={"event": "template_refused", "key": name})
            continue
        return where, data.decode("utf-8", "replace")
    return None


def _problem(own: Path | None, source: str, known: frozenset[str]) -> str | None:
    """Why ``source`` cannot be saved, or None."""
    if own is None:
        return "Set [drafts] templates = \"FOLDER\" in the config to keep your own templates."
    if len(source.encode("utf-8")) > render.MAX_TEMPLATE_BYTES:
        return f"This template is too long (at most {render.MAX_TEMPLATE_BYTES:,} bytes)."
    if not source.lstrip("\n").lower().startswith("subject:"):
        return "A template starts with a 'Subject:' line, then a blank line, then the body."
    found = sandbox.problems(render.environment([own]), source, known)
    return " ".join(found) if found else None


def _write(path: Path, source: str) -> None:
    """Replace the file whole, so the drafting stage never reads half of it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".template-")
    with os.fdopen(fd, "w", encoding="utf-8") as stream:
        stream.write(source)
    os.replace(temporary, path)
