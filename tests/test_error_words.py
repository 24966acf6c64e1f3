"""Review errors carry facts; each interface says them in its own words.

The command line turns an error's facts into a hint with its flags
(``--override``, ``--comment``, ``--by``); the desk into words about its own
buttons and boxes, and never shows a command line flag on any page.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from click.testing import CliRunner

from crumail import review
from crumail.model import RawMessage
from crumail.store import quarantine
from crumail.store.db import transaction
from crumail.web.routes import ROUTES
from support.casebook import seed_logs
from support.config import outbound as drafts_config
from support.desk import client, config, csrf_of, hashed, login, store  # noqa: F401  (fixtures)
from support.drafts import CLEAN_BODY, LEAKY_BODY, POLICE_ONLY_BODY, make_draft, seed_draft
from support.mail import EXTERNAL

FLAG = re.compile(r"(?<![\w-])--[a-z][a-z0-9-]*")
SAMPLES = {"draft": "1", "entry": "1", "user": "1", "message": "1", "number": "1", "year": "24",
           "name": "acknowledgement", "what": "logs", "fmt": "csv", "force": "1", "table": "logs-by-week"}
LEAKY = ("Dear colleague,\n\nThe applicant can be reached on 07700 900123 if you need to clarify "
         "the request.\n\nKind regards\nCRU\n")


class _Visible(HTMLParser):
    """The text a person sees: text outside <script> and <style>, and the
    attributes a browser shows (title, placeholder, a button's value)."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._hidden += 1
        shown = dict(attrs)
        self.parts += [shown[a] or "" for a in ("title", "placeholder", "aria-label") if a in shown]
        if tag == "input" and shown.get("type") in ("submit", "button"):
            self.parts.append(shown.get("value") or "")

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden:
            self.parts.append(data)


def visible(response) -> str:
    parser = _Visible()
    parser.feed(response.get_data(as_text=True))
    return " ".join(parser.parts)


def flags_on(response) -> list[str]:
    if not response.content_type.startswith("text/html"):
        return []
    return FLAG.findall(visible(response))


@pytest.fixture
def desk(config, store):  # noqa: F811  (the fixture of test_web)
    seed_draft(store)                                                        # draft 1: clean
    seed_draft(store, body=LEAKY, n=1)                                       # draft 2: a phone number
    seed_logs(store, 2)
    with transaction(store):
        quarantine.add(store, RawMessage(b"not mail", "drop", "junk.eml", filename="junk.eml"),
                       "parse", "not a message")
    c = client(config, store)
    return c


def _path(rule: str) -> str:
    return re.sub(r"<(?:[^:>]+:)?([^>(]+)(?:\([^)]*\))?>", lambda m: SAMPLES[m.group(1)], rule)


def test_no_desk_page_shows_a_command_line_flag(desk):
    c = desk
    pages = {"/login, logged out": c.get("/login")}
    login(c, "ada")
    token = csrf_of(c.get("/queue"))
    for route in ROUTES.values():
        if "GET" in route.methods and route.endpoint != "static":
            pages[_path(route.rule)] = c.get(_path(route.rule))
    # Review actions the desk refuses, each shown on the draft's page.
    refused = {
        "approve, blocked": c.post("/drafts/2/approve", data={"csrf": token}),
        "approve, a short justification": c.post("/drafts/2/approve", data={"csrf": token, "override": "ok"}),
        "reject, no comment": c.post("/drafts/1/reject", data={"csrf": token, "comment": " "}),
        "settle, not unconfirmed": c.post("/drafts/1/unconfirmed", data={"csrf": token, "decision": "sent",
                                                                        "comment": ""}),
        "edit, changed meanwhile": c.post("/drafts/1/edit", data={"csrf": token, "body": "x",
                                                                 "body_sha256": "0" * 64}),
    }
    for what, response in refused.items():
        assert response.status_code == 409, (what, response.status_code)
    pages.update(refused)
    assert len(pages) > 20
    shown = {where: flags_on(response) for where, response in pages.items()}
    assert {where: found for where, found in shown.items() if found} == {}


def test_the_desk_says_what_to_do_in_its_own_words(desk):
    c = desk
    login(c, "ada")
    token = csrf_of(c.get("/queue"))
    blocked = visible(c.post("/drafts/2/approve", data={"csrf": token}))
    assert "Write it in the justification box" in blocked and "07700 900123" in blocked
    no_comment = visible(c.post("/drafts/1/reject", data={"csrf": token, "comment": ""}))
    assert "Write why it is rejected in the box for it" in no_comment


def test_review_errors_carry_facts_not_flags(tmp_path, db):
    cfg = drafts_config(tmp_path)
    leaky, marked = make_draft(db, LEAKY_BODY), make_draft(db, POLICE_ONLY_BODY, to=(EXTERNAL,))
    caught = []
    with pytest.raises(review.ApprovalBlocked) as blocked:
        review.approve(cfg, db, leaky, by="otto")
    assert blocked.value.overridable and blocked.value.min_justification == review.MIN_JUSTIFICATION
    caught.append(blocked.value)
    with pytest.raises(review.ApprovalBlocked) as hard:
        review.approve(cfg, db, marked, by="otto")
    assert not hard.value.overridable
    caught.append(hard.value)
    with pytest.raises(review.MissingInput) as missing:
        review.reject(db, leaky, by="otto", comment="  ")
    assert (missing.value.field, missing.value.what) == ("comment", "why it is rejected")
    caught.append(missing.value)
    with pytest.raises(review.MissingInput) as nobody:
        review.approve(cfg, db, leaky, by="")
    assert nobody.value.field == "by"
    caught.append(nobody.value)
    with pytest.raises(review.DraftNotFound) as absent:
        review.get_draft(db, 999)
    assert absent.value.draft == 999
    caught.append(absent.value)
    with pytest.raises(review.UnknownActor) as unknown:
        review.actor(db, "Someone Else", "login-name")
    assert (unknown.value.given, unknown.value.login, unknown.value.accounts) == ("Someone Else", "login-name", False)
    caught.append(unknown.value)
    assert [str(e) for e in caught if FLAG.search(str(e)) or "crumail " in str(e)] == []


def test_the_command_line_turns_the_facts_into_its_flags(tmp_path, db):
    cfg_file = tmp_path / "crumail.toml"
    cfg_file.write_text(f'[database]\npath = "{tmp_path / "crumail.db"}"\n'
                        '[redaction]\ninternal_domains = ["police.uk"]\n')
    leaky, clean = make_draft(db, LEAKY_BODY), make_draft(db, CLEAN_BODY, template="acknowledgement")

    def run(*args):
        from crumail.cli import main

        return CliRunner().invoke(main, ["--config", str(cfg_file), *args])

    blocked = run("drafts", "approve", str(leaky))
    assert blocked.exit_code == 3 and '--override "a written justification"' in blocked.stderr
    no_comment = run("drafts", "reject", str(clean), "--comment", " ")
    assert no_comment.exit_code == 1 and "why it is rejected" in no_comment.stderr
    assert "--comment" in no_comment.stderr
    absent = run("drafts", "show", "999")
    assert absent.exit_code == 1 and "there is no draft 999" in absent.stderr
    assert "crumail drafts list" in absent.stderr
    stranger = run("drafts", "reject", str(clean), "--by", "Someone Else", "--comment", "a duplicate")
    assert stranger.exit_code == 1 and "--by" in stranger.stderr and "crumail user add" in stranger.stderr
