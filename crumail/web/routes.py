"""The route table: each view registers itself with :func:`route`.

A view is ``view(ctx, **url_values) -> Response``.  By default a route needs
a session; ``public=True`` opens it to anyone (login, static files,
/healthz) and ``admin=True`` closes it to everyone but administrators.
``token=True`` lets a bearer token stand in for a session (/metrics).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from werkzeug.routing import Map, Rule

from crumail.web.params import IdConverter


@dataclass(frozen=True)
class Route:
    rule: str
    endpoint: str
    view: Callable
    methods: tuple[str, ...]
    public: bool = False
    admin: bool = False
    token: bool = False


ROUTES: dict[str, Route] = {}


def route(rule: str, methods: tuple[str, ...] = ("GET",), *, public: bool = False,
          admin: bool = False, token: bool = False, endpoint: str | None = None) -> Callable:
    def register(view: Callable) -> Callable:
        name = endpoint or view.__name__
        if name in ROUTES:
            raise ValueError(f"two views claim the endpoint {name!r}")
        ROUTES[name] = Route(rule, name, view, methods, public, admin, token)
        return view

    return register


def url_map() -> Map:
    return Map(
        [Rule(r.rule, endpoint=r.endpoint, methods=list(r.methods)) for r in ROUTES.values()],
        strict_slashes=True, converters={"int": IdConverter},
    )
