"""Headers every response carries, and the CSRF comparison.

The desk shows mail written by strangers, so the browser is told to run no
script at all (the desk has none), to load nothing from elsewhere, never to
sniff a type and never to be framed.  Pages that show case material are not
cached.
"""

from __future__ import annotations

import hmac
import re
import secrets
import unicodedata
from urllib.parse import unquote

from werkzeug.wrappers import Response

CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'none'",
    "style-src 'self'",
    "img-src 'self'",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])

HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
}

CSRF_FIELD = "csrf"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
HOME = "/"
MAX_LOCAL_PATH = 2000          # characters of a ``next`` target; a longer one goes home
_STRAY_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
_DECODINGS = 4                 # "%252F" is "%2F" is "/": look through a few layers


def apply_headers(response: Response, secure: bool) -> Response:
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if secure:
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    if not response.headers.get("Cache-Control"):
        response.headers["Cache-Control"] = "no-store"
    return response


def new_token() -> str:
    return secrets.token_urlsafe(32)


def same_token(expected: str | None, given: str | None) -> bool:
    if not expected or not given:
        return False
    return hmac.compare_digest(expected.encode(), given.encode())


def local_path(target: str | None) -> str:
    """``target`` if it is a path on this desk, else ``HOME``: never another site.

    Browsers forgive a lot in a ``Location``: a backslash for a slash, a tab
    between two slashes and ``/%2F/host`` all lead off the site, and a line
    break splits the header.  So the target must start with one ``/`` and
    hold no backslash, no whitespace or control character in its path and no
    control character anywhere, as written and after each layer of
    percent-decoding (spaces are fine in the query: searches have them)."""
    if not target or len(target) > MAX_LOCAL_PATH or _STRAY_PERCENT.search(target):
        return HOME
    if any(c.isspace() for c in target):
        return HOME
    layer = target
    for _ in range(_DECODINGS):
        if not _plain_local(layer):
            return HOME
        try:
            decoded = unquote(layer, errors="strict")
        except UnicodeDecodeError:
            return HOME
        if decoded == layer:
            return target
        layer = decoded
    return HOME


def _plain_local(text: str) -> bool:
    path = re.split(r"[?#]", text, maxsplit=1)[0]
    if not path.startswith("/") or path.startswith("//") or "\\" in text:
        return False
    if any(_control(c) for c in text):
        return False
    return not any(c.isspace() or unicodedata.category(c).startswith("Z") for c in path)


def _control(char: str) -> bool:
    """Control, format (bidi overrides, zero-width), surrogate or unassigned."""
    return unicodedata.category(char)[0] == "C"
