"""Values read from a request's URL and forms, checked: a bad one is a 400.

Anyone can type a URL, so a page number of ``²`` (a digit to
``str.isdigit`` but not to ``int``), twenty nines (more than SQLite's
integer holds), a date of ``2024-13-45`` or bytes that are not UTF-8 must
answer "bad request", never a 500.  Ids in the path go through
:class:`IdConverter` instead: a malformed or overflowing id is simply no such
page (404).  An empty value is an absent one (a form's blank field).
"""

from __future__ import annotations

import re
from datetime import date
from typing import Iterable, Mapping
from urllib.parse import unquote_to_bytes

from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import BadRequest, NotFound
from werkzeug.routing import IntegerConverter

SQLITE_MAX = 2**63 - 1            # the largest id SQLite's INTEGER holds
MAX_PAGE = 100_000                # pages of a listing (far past any real one)
_WHOLE = re.compile(r"[0-9]{1,19}")
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


class IdConverter(IntegerConverter):
    """``<int:...>`` in a route: ASCII digits only (``\\d`` takes any script's
    digits) and no larger than SQLite's integer; anything else does not match."""

    regex = r"[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > SQLITE_MAX:
            # Not a ValidationError: that would send the matcher on to the
            # same path's other methods, and answer 405 instead of 404.
            raise NotFound("There is no such page: that id is larger than any id can be.")
        return number


def whole(values: Mapping[str, str], name: str, *, low: int = 1, high: int = SQLITE_MAX) -> int | None:
    """The whole number ``name`` holds (None when absent or blank)."""
    raw = values.get(name) or ""
    text = raw.strip()
    if not text:
        return None
    if not _WHOLE.fullmatch(text) or not low <= int(text) <= high:
        raise BadRequest(f"{name} must be a whole number from {low} to {high}, not {_shown(raw)}.")
    return int(text)


def page(values: Mapping[str, str]) -> int:
    """The page of a listing (1 when not given)."""
    return whole(values, "page", high=MAX_PAGE) or 1


def choice(values: Mapping[str, str], name: str, choices: Iterable[str], default: str | None) -> str | None:
    """One of ``choices`` (``default`` when absent or blank)."""
    raw = values.get(name) or ""
    if not raw:
        return default
    allowed = list(choices)
    if raw not in allowed:
        raise BadRequest(f"{name} must be one of {', '.join(c for c in allowed if c)}, not {_shown(raw)}.")
    return raw


def day(values: Mapping[str, str], name: str) -> str | None:
    """An ISO date ``YYYY-MM-DD`` (None when absent or blank)."""
    raw = values.get(name) or ""
    text = raw.strip()
    if not text:
        return None
    try:
        if not _DAY.fullmatch(text):
            raise ValueError(text)
        return date.fromisoformat(text).isoformat()
    except ValueError:
        raise BadRequest(f"{name} must be a date written YYYY-MM-DD, not {_shown(raw)}.") from None


def ids(values: MultiDict, name: str) -> list[int]:
    """Every id a form posts under ``name`` (a MultiDict's list)."""
    found = []
    for raw in values.getlist(name):
        if not _WHOLE.fullmatch(raw) or not 1 <= int(raw) <= SQLITE_MAX:
            raise BadRequest(f"{name} must be ids (whole numbers), not {_shown(raw)}.")
        found.append(int(raw))
    return found


def utf8_address(environ: Mapping[str, str]) -> bool:
    """Whether the path and query string are UTF-8 once percent-decoded (the
    WSGI server hands the path over as Latin-1 text of the raw bytes)."""
    try:
        unquote_to_bytes(environ.get("QUERY_STRING", "").replace("+", " ")).decode("utf-8")
        environ.get("PATH_INFO", "").encode("latin-1").decode("utf-8")
    except UnicodeEncodeError:
        return True        # the server handed over real text, not Latin-1 bytes
    except UnicodeDecodeError:
        return False
    return True


def _shown(raw: str) -> str:
    return repr(raw[:40] + ("..." if len(raw) > 40 else ""))
