"""Drafting: due dates, log numbers, rules, templates, and a referral arriving end to end."""

from __future__ import annotations

import json
import multiprocessing
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from crumail.drafts import allocate, deadlines
from crumail.drafts.compose import marked_subject
from crumail.drafts.render import TemplateError, environment, render
from crumail.drafts.rules import from_config as rules_from_config
from crumail.drafts.stage import draft_pending
from crumail.errors import ConfigError
from crumail.model import DraftText, Force
from crumail.register.match import force_for
from crumail.store import forces as forces_store
from crumail.settings.tables import NATIONS, nation
from crumail.intake.pipeline import run_source
from crumail.sources.directory import FileSource
from crumail.store import open_database
from crumail.store import drafts as store
from crumail.store.db import transaction
from support.mail import SCOTLAND_FOI, referral, utc
from support.config import outbound as config
from support.drafts import advice_values

# (received, nation, due): 20 working days from the first working day after receipt.
DUE_DATES = [
    (date(2023, 1, 23), "england-and-wales", date(2023, 2, 20)),   # an ordinary month
    (date(2023, 1, 21), "england-and-wales", date(2023, 2, 17)),   # a Saturday: day one is Monday
    (date(2023, 12, 11), "england-and-wales", date(2024, 1, 11)),  # over Christmas and New Year
    (date(2023, 12, 11), "scotland", date(2024, 1, 12)),           # ... and 2 January in Scotland
    (date(2023, 11, 20), "england-and-wales", date(2023, 12, 18)),
    (date(2023, 11, 20), "scotland", date(2023, 12, 19)),          # St Andrew's Day, 30 November
    (date(2023, 7, 3), "england-and-wales", date(2023, 7, 31)),
    (date(2023, 7, 3), "northern-ireland", date(2023, 8, 1)),      # the Twelfth
    (date(2024, 3, 25), "england-and-wales", date(2024, 4, 24)),   # Good Friday and Easter Monday
]


@pytest.mark.parametrize("received,nation,due", DUE_DATES)
def test_due_date(received, nation, due):
    assert deadlines.due_date(received, nation) == due


def test_nations_from_config_words(tmp_path):
    assert nation("Scotland") == "scotland"
    assert nation("NI") == "northern-ireland"
    assert nation("wales") == "england-and-wales"
    assert config(tmp_path).settings.drafts.nation == "england-and-wales"
    with pytest.raises(ConfigError):
        nation("atlantis")
    assert set(deadlines.NATIONS) == set(deadlines.NATION_NAMES) == set(NATIONS)


def test_received_date_is_the_uk_calendar_day():
    # 23:30 UTC on 30 June is already 1 July in London (BST).
    assert deadlines.received_on(utc(2023, 6, 30, 23, 30)) == date(2023, 7, 1)


def test_next_log_number_follows_the_highest_seen(db):
    with transaction(db):
        allocate.observe(db, ["43/23", "1355/22"])
    assert allocate.allocate(db, 2023) == "44/23"
    assert allocate.allocate(db, 2023) == "45/23"
    assert allocate.allocate(db, 2022) == "1356/22"
    assert allocate.allocate(db, 2024) == "1/24"


def _allocate_many(path: str, count: int, queue) -> None:
    db = open_database(path)
    queue.put([allocate.allocate(db, 2023) for _ in range(count)])
    db.close()


def test_two_processes_allocating_at_once_never_collide(tmp_path):
    path = str(tmp_path / "crumail.db")
    open_database(path).close()
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    workers = [context.Process(target=_allocate_many, args=(path, 40, queue)) for _ in range(2)]
    for worker in workers:
        worker.start()
    results = [queue.get(timeout=60) for _ in workers]
    for worker in workers:
        worker.join(timeout=60)
    numbers = [int(log.split("/")[0]) for batch in results for log in batch]
    assert sorted(numbers) == list(range(1, 81))


def test_rules_default_and_configured(tmp_path):
    rules = rules_from_config(config(tmp_path))
    assert rules.templates_for("referral") == ("acknowledgement", "advice")
    for kind in ("circulation", "acknowledgement", "out_of_office", "other"):
        assert rules.templates_for(kind) == ()
    custom = rules_from_config(config(tmp_path, drafts={"rules": {"referral": ["acknowledgement"],
                                                                  "force_query": ["holding"]}}))
    assert custom.templates_for("referral") == ("acknowledgement",)
    assert custom.templates_for("force_query") == ("holding",)


def test_force_nation_by_name_or_domain(tmp_path):
    rules = rules_from_config(config(tmp_path))
    forces = [Force("Police Scotland", "Police Scotland", "scotland", domains=("scotland.example.police.uk",))]
    assert rules.nation_for(force_for(forces, "police scotland", None)) == "scotland"
    assert rules.nation_for(force_for(forces, None, SCOTLAND_FOI)) == "scotland"
    assert rules.nation_for(force_for(forces, None, "foi@notscotland.example.police.uk.example.net")) == "england-and-wales"


def test_operators_override_and_add_templates(tmp_path):
    folder = tmp_path / "local-templates"
    folder.mkdir()
    (folder / "acknowledgement.txt.j2").write_text("Subject: Received {{ log_number }}\n\nOur own words.\n")
    env = environment([folder])
    assert render(env, "acknowledgement", {"log_number": "44/23"}).body == "Our own words.\n"
    builtin = render(environment(), "advice", advice_values())
    assert builtin.subject.startswith("Log No. 44/23 - CRU Advice")


def test_a_value_the_template_names_but_the_draft_lacks_is_an_error(tmp_path):
    folder = tmp_path / "t"
    folder.mkdir()
    (folder / "holding.txt.j2").write_text("Subject: {{ log_number }}\n\nDear {{ applicant_name }}\n")
    with pytest.raises(TemplateError, match="applicant_name"):
        render(environment([folder]), "holding", {"log_number": "44/23"})
    (folder / "headless.txt.j2").write_text("No subject here\n")
    with pytest.raises(TemplateError, match="Name: value"):
        render(environment([folder]), "headless", {})


def test_marking_goes_first_in_the_subject_once():
    assert marked_subject("Log No. 44/23", "OFFICIAL-SENSITIVE", ("POLICE EYES ONLY",)) == \
        "OFFICIAL-SENSITIVE POLICE EYES ONLY - Log No. 44/23"
    assert marked_subject("OFFICIAL-SENSITIVE POLICE EYES ONLY - x", "OFFICIAL-SENSITIVE",
                          ("POLICE EYES ONLY",)) == "OFFICIAL-SENSITIVE POLICE EYES ONLY - x"
    assert marked_subject("Log No. 44/23", None, ()) == "Log No. 44/23"


def test_a_stored_draft_reads_back_the_text_it_was_given(tmp_path):
    """A Draft holds its DraftText (not a copy of its fields), and reads each off it."""
    text = DraftText(template="advice", log="44/23", from_address="cru@example.police.uk",
                     to=("jo.bloggs@example.org",), cc=("desk@example.police.uk",), subject="Log No. 44/23",
                     body="Dear Jo,\n", in_reply_to="<a@example.org>", references=("<a@example.org>",),
                     marking="OFFICIAL-SENSITIVE", caveats=("POLICE EYES ONLY",), force="Eastmoor Police",
                     nation="england", received_date="2023-03-01", due_date="2023-03-29")
    db = open_database(tmp_path / "crumail.db")
    with transaction(db):
        draft_id = store.insert(db, None, text)
    draft = store.get(db, draft_id)
    assert draft.text == text
    assert {name: getattr(draft, name) for name in DraftText.__dataclass_fields__} == text.__dict__
    assert draft.recipients == ("jo.bloggs@example.org", "desk@example.police.uk")


# -- a referral arrives ----------------------------------------------------------


def _ingest(db, folder: Path, *mails: tuple[str, bytes]) -> None:
    folder.mkdir(exist_ok=True)
    paths = []
    for name, data in mails:
        (folder / name).write_bytes(data)
        paths.append(folder / name)
    run_source(db, FileSource(paths, name="test"))


def test_a_referral_gets_both_drafts_with_log_number_and_due_date(tmp_path, db, seed_bytes):
    cfg = config(tmp_path)
    _ingest(db, tmp_path / "in", ("seed.eml", seed_bytes))  # the unit's circulation of 43/23
    _ingest(db, tmp_path / "in", ("referral.eml", referral(utc(2023, 12, 11, 10, 0))))
    report = draft_pending(cfg, db)
    assert report.failed == []
    made = store.select(db)
    assert [d.template for d in made] == ["acknowledgement", "advice"]
    ack, advice = made
    assert ack.log == advice.log == "44/23"
    assert ack.received_date == "2023-12-11" and ack.due_date == "2024-01-11"
    assert "44/23" in ack.body and "11 December 2023" in ack.body and "11 January 2024" in ack.body
    assert ack.to == ("foi@eastmoor.example.police.uk",)
    assert ack.in_reply_to == "<referral-1@eastmoor.example.police.uk>"
    assert advice.references[-1] == "<referral-1@eastmoor.example.police.uk>"
    assert advice.body.startswith("OFFICIAL - SENSITIVE\nPOLICE EYES ONLY")
    assert advice.subject.startswith("OFFICIAL-SENSITIVE POLICE EYES ONLY - Log No. 44/23")
    assert "How many speed cameras" in advice.body and "[insert advice for Q2]" in advice.body
    # Precedents from the seed circulation (43/23, and 1355/22 attached to it), quoted and cited.
    assert "Earlier advice on similar questions" in advice.body
    assert "> Log 1355/22 Q9:" in advice.body or "> Log 43/23 Q" in advice.body
    # Drafting again changes nothing: the queue is done.
    assert draft_pending(cfg, db).drafts == []


def test_a_scottish_referral_skips_st_andrews_day(tmp_path, db):
    cfg = config(tmp_path)
    with transaction(db):
        forces_store.upsert(db, Force("Police Scotland", "Police Scotland", "scotland",
                                      foi_mailboxes=(SCOTLAND_FOI,), domains=("scotland.example.police.uk",)),
                            actor="test")
    _ingest(db, tmp_path / "in", ("referral.eml", referral(utc(2023, 11, 20, 9, 0), sender=SCOTLAND_FOI,
                                                           logged_with="Police Scotland")))
    draft_pending(cfg, db)
    ack = store.select(db)[0]
    assert ack.due_date == "2023-12-19" and ack.nation == "scotland"
    assert "Freedom of Information (Scotland) Act 2002" in ack.body and "Scotland" in ack.body


def test_a_referral_arrives_through_the_cli(tmp_path):
    cfg_file = tmp_path / "crumail.toml"
    cfg_file.write_text(f'[database]\npath = "{tmp_path / "crumail.db"}"\n'
                        '[redaction]\ninternal_domains = ["police.uk"]\n[drafts]\nmax_age_days = 0\n')
    (tmp_path / "referral.eml").write_bytes(referral(utc(2023, 12, 11, 10, 0)))
    runner = CliRunner()
    result = runner.invoke(_main(), ["--config", str(cfg_file), "ingest", str(tmp_path / "referral.eml")])
    assert result.exit_code == 0, result.output
    result = runner.invoke(_main(), ["--config", str(cfg_file), "drafts", "list", "--json"])
    assert result.exit_code == 0, result.output
    listed = json.loads(result.stdout)
    assert [(d["template"], d["log"], d["due_date"]) for d in listed] == [
        ("acknowledgement", "1/23", "2024-01-11"), ("advice", "1/23", "2024-01-11")]


def test_a_template_error_keeps_the_message_queued_with_its_reason(tmp_path, db):
    folder = tmp_path / "t"
    folder.mkdir()
    (folder / "acknowledgement.txt.j2").write_text("Subject: x\n\n{{ no_such_value }}\n")
    cfg = config(tmp_path, drafts={"templates": str(folder)})
    _ingest(db, tmp_path / "in", ("referral.eml", referral(utc(2023, 12, 11, 10, 0))))
    report = draft_pending(cfg, db)
    assert len(report.failed) == 1 and "no_such_value" in report.failed[0][1]
    assert store.select(db) == []  # nothing half-drafted: the message's transaction rolled back
    assert [message for message, _kind in store.queued(db, 5)] == [report.failed[0][0]]


def _main():
    from crumail.cli import main

    return main


def test_a_reprocessed_referral_keeps_its_allocated_log_in_the_casebook(tmp_path, db, seed_bytes):
    from crumail.drafts.stage import keep_allocated_log
    from crumail.extract import extract
    from crumail.parse import parse_bytes
    from crumail.store import casebook, messages

    _ingest(db, tmp_path / "in", ("seed.eml", seed_bytes))
    _ingest(db, tmp_path / "in", ("referral.eml", referral(utc(2023, 12, 11, 10, 0))))
    draft_pending(config(tmp_path), db)
    message = store.select(db)[0].message
    parsed = parse_bytes(messages.raw_bytes(db, message))
    with transaction(db):
        casebook.forget(db, message)
        casebook.record(db, message, parsed, extract(parsed))  # what reprocess does
        keep_allocated_log(db, message, parsed, extract(parsed))
    assert db.execute("SELECT count(*) FROM questions WHERE log = '44/23'").fetchone()[0] == 2
