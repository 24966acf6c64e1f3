"""Every route of the desk, walked with a table of bad values for each of its
parameters (in the path, in the query string, and the ids a form posts):
each answer is a 400 or a 404, never a 500."""

from __future__ import annotations

import inspect
import re
from urllib.parse import quote

import pytest

from crumail.model import Force
from crumail.store import forces
from crumail.model import RawMessage
from crumail.store import quarantine
from crumail.store.db import transaction
from crumail.web.routes import ROUTES
from support.drafts import seed_draft
from support.casebook import seed_logs
from support.desk import client, config, csrf_of, hashed, login, store# noqa: F401  (fixtures)

# Already percent-encoded where they must be.
BAD_NUMBERS = ["%C2%B2", "%D9%A3", "-1", "0x1", "1.5", "1e3", "%2B1", "NaN", "abc", "%00",
               "99999999999999999999", "9223372036854775808", "%ff", "%E2%80%8B1"]
BAD_TEXT = ["%ff", "%ff%fe", "%C0%AF", "%ED%A0%80"]           # not UTF-8: 400 wherever they are
BAD_DATES = ["2024-13-45", "%C2%B2%C2%B2%C2%B2%C2%B2-%C2%B2%C2%B2-%C2%B2%C2%B2", "2024-1-1", "yesterday",
             "99999-01-01", "0000-00-00"]
BAD_CHOICES = ["bogus", "%C2%B2", "REVIEW", "review%00"]
ODD_TEXT = ["%00", "%0d%0a", "%22%3E%3Cscript%3E", "'", "x" * 3000, "%E2%80%AE", "NEAR(", '"']

# The query parameters each page reads, by kind; the test below checks that
# no view reads one that is missing here.
QUERY = {
    "queue": {"state": "choice", "due": "choice", "q": "text", "page": "number"},
    "audit": {"actor": "text", "action": "text", "draft": "number", "since": "date", "until": "date",
              "page": "number"},
    "search_page": {"q": "text", "year": "number", "force": "text", "kind": "choice"},
    "export_file": {"year": "number", "force": "text", "kind": "choice"},
    "log_page": {"similar": "text"},
    "quarantine_list": {"all": "text"},
    "draft_page": {"done": "text"},
    "login": {"next": "text"},
    "forces_list": {"nation": "choice", "region": "text", "state": "choice"},
    "access_page": {"actor": "text", "action": "text", "via": "choice", "since": "date", "until": "date",
                    "page": "number"},
    "access_export": {"actor": "text", "action": "text", "via": "choice", "since": "date", "until": "date"},
    "figures_page": {"period": "period"},
    "figures_download": {"period": "period"},
}
SAID = {"said": "text", "sig": "text"}            # every page may carry a signed notice
BAD_PERIODS = ["2025Q5", "2025-13", "Q1", "%C2%B2%C2%B2%C2%B2%C2%B2", "2025%00", "x" * 3000]
BAD = {"number": BAD_NUMBERS, "date": BAD_DATES, "choice": BAD_CHOICES, "text": ODD_TEXT,
       "period": BAD_PERIODS}
SAMPLE = {"draft": "1", "entry": "1", "user": "1", "message": "1", "number": "1", "year": "24",
          "name": "acknowledgement", "what": "logs", "fmt": "csv", "force": "1", "table": "logs-by-week"}
STATIC_SAMPLE = {"name": "desk.css"}
# Form fields that carry ids.
FORM_IDS = {"quarantine_retry": "entry", "drafting_retry": "message"}


@pytest.fixture
def desk(config, store):
    seed_draft(store)
    seed_logs(store, 2)
    with transaction(store):
        quarantine.add(store, RawMessage(b"not mail", "drop", "junk.eml", filename="junk.eml"),
                       "parse", "not a message")
        forces.upsert(store, Force("Eastmoor Police", "Eastmoor", "england-and-wales",
                                   foi_mailboxes=("foi@eastmoor.police.example",)), actor="test")
    c = client(config, store)
    login(c, "ada")
    return c, csrf_of(c.get("/queue"))


def _path(route, **override) -> str:
    samples = {**SAMPLE, **(STATIC_SAMPLE if route.endpoint == "static" else {}), **override}
    return re.sub(r"<(?:[^:>]+:)?([^>(]+)(?:\([^)]*\))?>", lambda m: samples[m.group(1)], route.rule)


def _parameters(route) -> list[str]:
    return re.findall(r"<(?:[^:>]+:)?([^>(]+)(?:\([^)]*\))?>", route.rule)


def _send(c, token, route, path):
    method = route.methods[0]
    if method == "POST":
        return c.post(path, data={"csrf": token})
    return c.open(path, method=method)


def test_the_table_names_every_parameter_a_view_reads():
    for route in ROUTES.values():
        source = inspect.getsource(route.view)
        read = set(re.findall(r"(?:args|values)(?:\.get\(|\[)\"([a-z_]+)\"", source))
        assert read <= set(QUERY.get(route.endpoint, {})), (route.endpoint, read)


def test_bad_path_values_are_404(desk):
    c, token = desk
    checked = 0
    for route in ROUTES.values():
        for name in _parameters(route):
            for bad in BAD_NUMBERS + BAD_TEXT:
                response = _send(c, token, route, _path(route, **{name: bad}))
                assert response.status_code in (400, 404), (route.rule, name, bad, response.status_code)
                checked += 1
    assert checked > 300
    assert c.get("/drafts/9223372036854775807").status_code == 404        # the largest id: no such draft
    assert c.get("/drafts/99999999999999999999").status_code == 404
    assert c.get("/messages/%D9%A3").status_code == 404                  # an Arabic-Indic three is no id


def test_bad_query_values_are_400(desk):
    c, token = desk
    checked = 0
    for route in ROUTES.values():
        if "GET" not in route.methods:
            continue
        for name, kind in {**QUERY.get(route.endpoint, {}), **SAID}.items():
            for bad in BAD[kind] + BAD_TEXT:
                response = c.get(f"{_path(route)}?{name}={bad}")
                wanted = (400,) if kind != "text" or bad in BAD_TEXT else (200, 303)
                assert response.status_code in wanted, (route.rule, name, bad, response.status_code)
                checked += 1
    assert checked > 250


def test_empty_and_good_query_values_still_work(desk):
    c, _ = desk
    for path in ("/queue?page=", "/queue?page=2&state=all&due=7", "/search?year=&kind=&force=",
                 "/search?year=2024", "/search?year=24", "/audit?draft=1&since=2024-01-01&page=1",
                 "/exports/logs.csv?year=24", "/queue?page=100000"):
        assert c.get(path).status_code == 200, path


def test_bad_ids_in_forms_are_400(desk):
    c, token = desk
    for endpoint, field in FORM_IDS.items():
        route = ROUTES[endpoint]
        for bad in BAD_NUMBERS:
            response = c.post(route.rule, data={"csrf": token, field: bad.replace("%C2%B2", "²")})
            assert response.status_code == 400, (route.rule, bad, response.status_code)


def test_raw_non_utf8_and_overlong_urls(desk):
    c, _ = desk
    assert c.get("/search?q=" + quote(b"\xff\xfe".decode("latin-1"), encoding="latin-1")).status_code == 400
    assert c.get("/templates/" + "%ff").status_code in (400, 404)
    assert c.get("/logs/1/99999999999999999999").status_code == 404
