"""Draft templates written by a hostile administrator, or planted on disk.

A template is code: rendered without a sandbox, a desk administrator could
run commands on the server and read its environment (the SMTP password)
into a draft.  Every payload here must render nothing at draft time and be
refused, with a reason a person can act on, when saved on the desk.
"""

from __future__ import annotations

import os

import pytest
from werkzeug.test import Client

from crumail.config import from_dict
from crumail.drafts import render as render_mod
from crumail.drafts.render import TemplateError, environment, render
from crumail.drafts.stage import draft_pending
from crumail.intake.pipeline import run_source
from crumail.sources.directory import FileSource
from crumail.store import drafts as store
from crumail.store import open_database, users
from crumail.store.db import transaction
from crumail.web.app import Desk
from support.config import outbound as drafts_config
from support.mail import referral, utc
from support.desk import PASSWORD, csrf_of, hashed, login# noqa: F401 (hashed is a fixture)

SECRET = "smtp-password-7f3a9c"  # put in the environment, as the daemon's SMTP password is

# (payload, words the refusal on save must contain)
PAYLOADS = [
    ("{{ cycler.__init__.__globals__.os.popen('id').read() }}", "underscore"),
    ("{{ cycler.__init__.__globals__.os.environ.CRUMAIL_TEST_SMTP_PASSWORD }}", "underscore"),
    ("{{ self.__init__.__globals__.__builtins__.open('/etc/passwd').read() }}", "underscore"),
    ("{{ ''.__class__.__mro__[1].__subclasses__() }}", "underscore"),
    ("{{ lipsum.__globals__['os'].popen('id').read() }}", "underscore"),
    ("{{ joiner.__init__.__globals__['os'].environ }}", "underscore"),
    ("{{ unit['__class__'] }}", "underscore"),
    ("{{ request.application.__globals__ }}", "underscore"),
    ("{{ request }}", "request"),
    ("{{ config.items() }}", "config"),
    ("{{ self }}", "self"),
    ("{{ unit|attr('__class__')|attr('__mro__') }}", "attr"),
    ("{{ (unit|attr('\\x5f\\x5fclass\\x5f\\x5f')) }}", "attr"),
    ("{{ lipsum(1000000) }}", "lipsum"),
]


def _plant(folder, body: str) -> None:
    folder.mkdir(exist_ok=True)
    (folder / "acknowledgement.txt.j2").write_text(f"Subject: Log No. {{{{ log_number }}}}\n\n{body}\n")


@pytest.fixture
def smtp_secret(monkeypatch):
    monkeypatch.setenv("CRUMAIL_TEST_SMTP_PASSWORD", SECRET)
    return SECRET


@pytest.mark.parametrize("payload", [p for p, _ in PAYLOADS if p != "{{ self }}"])  # harmless text
def test_a_planted_payload_renders_nothing(tmp_path, payload, smtp_secret):
    folder = tmp_path / "templates"
    _plant(folder, payload)
    with pytest.raises(TemplateError) as refused:
        render(environment([folder]), "acknowledgement", {"log_number": "44/23", "unit": "CRU"})
    assert "uid=" not in str(refused.value) and SECRET not in str(refused.value)


def test_a_planted_payload_never_reaches_a_draft(tmp_path, db, smtp_secret):
    """The daemon's drafting stage over a template file planted in the folder."""
    folder = tmp_path / "templates"
    _plant(folder, PAYLOADS[0][0] + "\n" + PAYLOADS[1][0])
    inbox = tmp_path / "in"
    inbox.mkdir()
    (inbox / "referral.eml").write_bytes(referral(utc(2023, 12, 11, 10, 0)))
    run_source(db, FileSource([inbox], name="test"))
    report = draft_pending(drafts_config(tmp_path, drafts={"templates": str(folder)}), db)
    assert len(report.failed) == 1
    assert "unsafe" in report.failed[0][1] and "__init__" in report.failed[0][1]
    assert store.select(db) == []   # no draft at all, so nothing of the payload can be sent
    assert [m for m, _kind in store.queued(db, 5)] == [report.failed[0][0]]


def test_the_built_in_templates_still_render(tmp_path):
    from support.drafts import advice_values as _advice_values

    rendered = render(environment(), "advice", _advice_values())
    assert rendered.subject.startswith("Log No. 44/23 - CRU Advice")


def test_ordinary_template_code_still_works(tmp_path):
    folder = tmp_path / "templates"
    _plant(folder, "{% set n = namespace(total=0) %}{% for q in questions %}{% set n.total = n.total + 1 %}"
                   "{{ loop.index }}. {{ q.text|upper }}{{ ', ' if not loop.last }}{% endfor %}\n"
                   "{{ n.total }} question(s); {{ '%s/%s'|format(1, 2) }}; {{ received|longdate }}; "
                   "{{ sender.address }}; {{ range(3)|list|length }}")
    values = {"log_number": "44/23", "questions": [{"text": "a"}, {"text": "b"}],
              "received": "2023-12-11", "sender": {"address": "foi@eastmoor.example.police.uk"}}
    body = render(environment([folder]), "acknowledgement", values).body
    assert body == ("1. A, 2. B2 question(s); 1/2; 11 December 2023; "
                    "foi@eastmoor.example.police.uk; 3\n")


@pytest.mark.parametrize("payload", ["{{ 'x' * 1000000000 }}", "{{ 9 ** 999999999 }}",
                                     "{% for i in range(1000000000) %}x{% endfor %}",
                                     "{% for i in range(9000) %}{% for j in range(9000) %}x{% endfor %}{% endfor %}"])
def test_a_template_cannot_make_a_huge_draft(tmp_path, payload):
    folder = tmp_path / "templates"
    _plant(folder, payload)
    with pytest.raises(TemplateError, match="too"):
        render(environment([folder]), "acknowledgement", {"log_number": "44/23"})


def test_a_template_that_is_a_link_or_too_big_is_not_read(tmp_path):
    folder = tmp_path / "templates"
    folder.mkdir()
    secret = tmp_path / "secret.txt"
    secret.write_text(f"Subject: {SECRET}\n\n{SECRET}\n")
    (folder / "acknowledgement.txt.j2").symlink_to(secret)
    with pytest.raises(TemplateError, match="symbolic link"):
        render(environment([folder]), "acknowledgement", {})
    (folder / "advice.txt.j2").write_text("Subject: x\n\n" + "y" * (render_mod.MAX_TEMPLATE_BYTES + 1))
    with pytest.raises(TemplateError, match="bytes"):
        render(environment([folder]), "advice", {})


def test_the_names_a_template_may_use_are_the_values_drafting_gives(tmp_path):
    from datetime import date

    from crumail.drafts import compose
    from crumail.drafts.rules import from_config
    from crumail.extract import extract
    from crumail.parse import parse_bytes

    rules = from_config(drafts_config(tmp_path, drafts={"values": {"team": "FOI team"}}))
    parsed = parse_bytes(referral(utc(2023, 12, 11, 10, 0)))
    values = compose._values(rules, compose.Referral(parsed, extract(parsed), "1/23", date(2023, 12, 11), None),
                             "england-and-wales", date(2024, 1, 11), None, (), {})
    assert set(values) == compose.value_names(rules)


# -- on the desk ---------------------------------------------------------------

@pytest.fixture
def admin(tmp_path, hashed):
    cfg = from_dict({"database": {"path": str(tmp_path / "crumail.db")},
                     "drafts": {"templates": "my-templates", "values": {"team": "FOI team"}}}, tmp_path)
    db = open_database(cfg.database)
    with transaction(db):
        users.add(db, "ada", "admin", hashed)
    db.close()
    c = Client(Desk(cfg))
    login(c, "ada")
    return c


def _save(c: Client, source: str, name: str = "acknowledgement"):
    token = csrf_of(c.get("/templates/acknowledgement"))
    return c.post(f"/templates/{name}", data={"csrf": token, "source": source})


@pytest.mark.parametrize("payload,why", PAYLOADS)
def test_the_desk_refuses_to_save_a_payload(admin, tmp_path, payload, why):
    saved = _save(admin, f"Subject: Log No. {{{{ log_number }}}}\n\n{payload}\n")
    page = saved.get_data(as_text=True)
    assert saved.status_code == 400, page
    assert why in page
    assert not (tmp_path / "my-templates" / "acknowledgement.txt.j2").exists()


def test_the_desk_names_an_unknown_value_and_keeps_known_ones(admin, tmp_path):
    refused = _save(admin, "Subject: Log No. {{ log_number }}\n\nDear {{ applicant_name }}\n")
    assert refused.status_code == 400
    assert "applicant_name" in refused.get_data(as_text=True)
    assert "original_subject" in refused.get_data(as_text=True)  # the values it can use are listed
    saved = _save(admin, "Subject: Log No. {{ log_number }} - {{ original_subject }}\n\n"
                         "{% for q in questions %}{{ q.label }} {{ q.text }}\n{% endfor %}{{ team }}\n")
    assert saved.status_code == 303, saved.get_data(as_text=True)
    assert (tmp_path / "my-templates" / "acknowledgement.txt.j2").is_file()


def test_the_desk_does_not_show_a_linked_template(admin, tmp_path):
    own = tmp_path / "my-templates"
    own.mkdir()
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET)
    (own / "holding.txt.j2").symlink_to(secret)
    page = admin.get("/templates/holding")
    assert SECRET not in page.get_data(as_text=True)
    assert page.status_code in (404, 400)
    assert os.path.islink(own / "holding.txt.j2")


# -- in the browser --------------------------------------------------------------

@pytest.fixture
def desk(tmp_path):
    """The browser plugin's desk, with a folder for the administrators' own templates."""
    from support.servers.browser import start_desk

    running = start_desk(tmp_path, tables={"drafts": {"templates": "my-templates"}})
    yield running
    running.server.close()


@pytest.mark.browser
def test_the_template_editor_refuses_a_payload_in_the_browser(page, desk, tmp_path):
    from support.servers.browser import ADMIN, log_in

    log_in(page, *ADMIN)
    page.goto("/templates/acknowledgement")
    original = page.input_value("#source")
    page.fill("#source", "Subject: Log No. {{ log_number }}\n\n" + PAYLOADS[0][0] + "\n")
    with page.expect_navigation():
        page.click("form[action='/templates/acknowledgement'] button[type=submit]")
    alert = page.locator("[role=alert]").inner_text()
    assert "underscore" in alert and "__init__" in alert
    assert "uid=" not in page.content()
    assert not (tmp_path / "my-templates" / "acknowledgement.txt.j2").exists()
    assert "{{ log_number }}" in original
    assert [e for e in page.console_errors if "400 (BAD REQUEST)" not in e] == []  # the refusal is a 400
