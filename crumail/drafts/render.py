"""Jinja2 rendering of draft templates (plain text, ``StrictUndefined``).

A template is written like a mail: header lines (``Subject:`` is required),
a blank line, then the body.  Operators' own folder (``[drafts] templates``)
is searched before the built-in ``crumail/drafts/templates/``, so a file of
the same name overrides a built-in one and a new file adds a new kind of
draft, all without touching the package.  A variable the template names but the draft
does not have is an error, never a silent blank.  Templates render in a
sandbox and are read without following links (crumail/drafts/sandbox.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

import jinja2

from crumail.drafts.sandbox import MAX_TEMPLATE_BYTES, DraftSandbox, SafeLoader, render_capped
from crumail.errors import TemplateError

BUILTIN_TEMPLATES = Path(__file__).resolve().parent / "templates"   # installed with the package
SUFFIX = ".txt.j2"
__all__ = ["BUILTIN_TEMPLATES", "MAX_TEMPLATE_BYTES", "SUFFIX", "Rendered", "TemplateError",
           "environment", "render"]


@dataclass(frozen=True)
class Rendered:
    subject: str
    body: str
    headers: dict[str, str]


def environment(folders: Iterable[Path] = ()) -> jinja2.Environment:
    search = [str(f) for f in folders] + [str(BUILTIN_TEMPLATES)]
    env = DraftSandbox(
        loader=SafeLoader(search),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["longdate"] = long_date
    env.filters["quote"] = quote
    return env


def render(env: jinja2.Environment, name: str, values: dict[str, Any]) -> Rendered:
    """Render template ``name`` (without its suffix) into a subject and a body."""
    try:
        text = render_capped(env.get_template(name + SUFFIX), values)
    except jinja2.TemplateNotFound:
        raise TemplateError(f"no template {name}{SUFFIX} in {', '.join(env.loader.searchpath)}") from None
    except jinja2.UndefinedError as exc:
        raise TemplateError(f"template {name}{SUFFIX}: {exc.message}") from None
    except jinja2.TemplateError as exc:
        raise TemplateError(f"template {name}{SUFFIX}: {exc}") from None
    return split_headers(name, text)


def split_headers(name: str, text: str) -> Rendered:
    head, sep, body = text.lstrip("\n").partition("\n\n")
    headers: dict[str, str] = {}
    for line in head.splitlines():
        key, colon, value = line.partition(":")
        if not colon or not key.strip() or " " in key.strip():
            raise TemplateError(f"template {name}{SUFFIX}: header line {line!r} is not 'Name: value'")
        headers[key.strip().lower()] = value.strip()
    if not sep or not headers.get("subject"):
        raise TemplateError(f"template {name}{SUFFIX} must start with a 'Subject:' line and a blank line")
    return Rendered(headers["subject"], body.rstrip() + "\n", headers)


def long_date(value: Any) -> str:
    """``2023-01-25`` (or a date) as ``25 January 2023``."""
    from datetime import date

    day = value if isinstance(value, date) else date.fromisoformat(str(value))
    return f"{day.day} {day:%B %Y}"


def quote(text: str, prefix: str = "> ") -> str:
    """Each line of ``text`` behind a quoting prefix, for precedents the operator trims."""
    return "\n".join(prefix + line if line.strip() else prefix.rstrip() for line in str(text).splitlines())
