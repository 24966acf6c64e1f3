"""The force register: its CSV form, the store and its audit, the import plan,
matching a sender to a force, and ``crumail forces``."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from crumail.errors import RegisterError
from crumail.model import Force
from crumail.register import apply, csvfile, match
from crumail.store import forces as store
from crumail.store import open_database, transaction
from support.cli import cli  # noqa: F401

EXAMPLE = Path(__file__).resolve().parents[1] / "data" / "forces.example.csv"
HEADER = ",".join(csvfile.COLUMNS)


def example() -> list[Force]:
    return csvfile.parse(EXAMPLE.read_text(encoding="utf-8"))


def row(name="Lancashire Constabulary", short="Lancashire", nation="england-and-wales", region="North West",
        kind="territorial", mailboxes="foi@lancashire.police.example", domains="lancashire.police.example",
        active="true") -> str:
    return ",".join([name, short, nation, region, kind, mailboxes, domains, active])


# -- the example and the CSV form ------------------------------------------------

def test_example_register_holds_the_real_forces_with_example_addresses():
    forces = example()
    territorial_ew = [f for f in forces if f.kind == "territorial" and f.nation == "england-and-wales"]
    assert len(territorial_ew) == 43
    by_short = {f.short_name: f for f in forces}
    assert by_short["Police Scotland"].nation == "scotland"
    assert by_short["PSNI"].nation == "northern-ireland"
    assert {"BTP", "CNC", "MDP", "NCA", "ACRO"} <= {f.short_name for f in forces if f.kind == "non-territorial"}
    for force in forces:  # fictitious mailboxes and domains only
        assert all(d.endswith(".example") for d in force.domains)
        assert all(m.endswith(".example") for m in force.foi_mailboxes)


def test_csv_round_trip_keeps_every_value():
    forces = example()
    again = csvfile.parse(csvfile.write(forces))
    assert again == forces
    met = next(f for f in again if f.short_name == "Met")
    assert len(met.foi_mailboxes) == 2  # the ';' form survives


def test_nation_aliases_read_as_the_deadline_codes():
    text = "\n".join([HEADER, row(nation="england-wales"), row("Police Scotland", "PS", "SCOT", "Scotland",
                      mailboxes="foi@scotland.police.example", domains="scotland.police.example"),
                      row("Police Service of Northern Ireland", "PSNI", "NI", "Northern Ireland",
                          mailboxes="foi@psni.police.example", domains="psni.police.example")])
    assert [f.nation for f in csvfile.parse(text)] == ["england-and-wales", "scotland", "northern-ireland"]


def test_every_problem_is_reported_with_its_line():
    text = "\n".join([
        HEADER,
        row(),                                                              # line 2: fine
        row("Bad Nation", "BN", nation="wessex", domains="bn.example", mailboxes="foi@bn.example"),
        row("", "Nameless", domains="nameless.example", mailboxes="foi@nameless.example"),
        row("Bad Box", "BB", mailboxes="not-an-address", domains="bb.example"),
        row("Clash", "Clash", mailboxes="foi@clash.example", domains="lancashire.police.example"),
        row("=HYPERLINK(1)", "Formula", mailboxes="foi@f.example", domains="f.example"),
        row("Odd", "Odd", active="maybe", kind="regional", mailboxes="foi@odd.example", domains="odd.example"),
        "Too,few,cells",
    ])
    with pytest.raises(RegisterError) as caught:
        csvfile.parse(text)
    problems = caught.value.problems
    joined = "\n".join(problems)
    assert "line 3: nation: 'wessex'" in joined
    assert "line 4: name: is empty" in joined
    assert "line 5: foi_mailboxes: not a valid address" in joined
    assert "line 6: domain 'lancashire.police.example' is also line 2's" in joined
    assert "line 7: name: '=HYPERLINK(1)' starts like a spreadsheet formula" in joined
    assert "line 8: kind:" in joined and "line 8: active:" in joined
    assert "line 9: 3 cells where the header has 8" in joined
    assert not any(p.startswith("line 2") for p in problems)


def test_header_must_name_every_column():
    with pytest.raises(RegisterError, match="line 1: missing column"):
        csvfile.parse("name,short_name,nation\nA,B,scotland\n")
    with pytest.raises(RegisterError, match="line 1: unknown column"):
        csvfile.parse(HEADER + ",phone\n")


def test_caps_refuse_a_huge_file_before_reading_it():
    with pytest.raises(RegisterError, match="over"):
        csvfile.parse("x" * (csvfile.MAX_FILE_BYTES + 1))
    rows = [row(f"F{i}", f"S{i}", mailboxes=f"foi@f{i}.example", domains=f"f{i}.example")
            for i in range(csvfile.MAX_FORCES + 1)]
    with pytest.raises(RegisterError, match="more than"):
        csvfile.parse("\n".join([HEADER, *rows]))


# -- matching a sender to a force -------------------------------------------------

FORCES = [
    Force("Lancashire Constabulary", "Lancashire", "england-and-wales", domains=("lancashire.police.example",),
          foi_mailboxes=("foi@lancashire.police.example",)),
    Force("Police Scotland", "Police Scotland", "scotland", domains=("scotland.police.example",),
          foi_mailboxes=("foi@scotland.police.example",)),
    Force("Scottish Unit", "SU", "scotland", domains=("unit.scotland.police.example",),
          foi_mailboxes=("foi@unit.scotland.police.example",)),
    Force("Shared Service", "Shared", "england-and-wales", domains=("shared.example",),
          foi_mailboxes=("lancs-foi@shared.example", "foi@scotland-relay.example")),
]


@pytest.mark.parametrize("logged_with, sender, expected", [
    (None, "foi@lancashire.police.example", "Lancashire"),
    (None, "Jo.Bloggs@LANCASHIRE.police.example", "Lancashire"),           # any case
    (None, "someone@mail.lancashire.police.example", "Lancashire"),        # a subdomain
    (None, "foi@notlancashire.police.example", None),                       # whole labels only
    (None, "foi@lancashire.police.example.evil.example", None),            # a suffix, not a prefix
    (None, "a@unit.scotland.police.example", "SU"),                         # the longest suffix wins
    (None, "a@x.unit.scotland.police.example", "SU"),
    (None, "a@scotland.police.example", "Police Scotland"),
    (None, "foi@scotland-relay.example", "Shared"),                         # a mailbox before domains
    (None, "<foi@lancashire.police.example>", "Lancashire"),
    (None, "not an address", None),
    (None, None, None),
    ("Police Scotland", "foi@lancashire.police.example", "Police Scotland"),  # Logged with first
    ("lancashire", None, "Lancashire"),                                       # by short name
    ("Unknown Force", "foi@scotland.police.example", "Police Scotland"),
])
def test_matching_table(logged_with, sender, expected):
    found = match.force_for(FORCES, logged_with, sender)
    assert (found.short_name if found else None) == expected


def test_a_very_long_sender_domain_costs_no_more_than_its_capped_labels():
    sender = "a@" + "x." * 5000 + "lancashire.police.example"
    assert match.force_for(FORCES, None, sender).short_name == "Lancashire"
    assert len(match._suffixes("x." * 5000 + "example")) == match.MAX_LABELS


# -- the store, the import and the audit ------------------------------------------

@pytest.fixture
def db(tmp_path):
    return open_database(tmp_path / "crumail.db")


def test_import_then_changed_file_reports_added_changed_unchanged_and_audits(db):
    text = EXAMPLE.read_text(encoding="utf-8")
    first = apply.import_text(db, text, actor="cli:tester")
    assert first.summary() == {"added": 50, "changed": 0, "unchanged": 0, "kept": 0}
    changed = text.replace("foi@lancashire.police.example", "disclosure@lancashire.police.example")
    lines = [line for line in changed.splitlines() if "Kent Police" not in line]
    second = apply.import_text(db, "\n".join(lines) + "\n", actor="cli:tester")
    assert second.summary() == {"added": 0, "changed": 1, "unchanged": 48, "kept": 1}
    lancashire = store.by_name(db, "Lancashire")
    assert lancashire.foi_mailboxes == ("disclosure@lancashire.police.example",)
    entry = store.history(db, lancashire.id)[0]
    assert (entry["actor"], entry["action"]) == ("cli:tester", "changed")
    assert entry["before"]["foi_mailboxes"] == ["foi@lancashire.police.example"]
    assert entry["after"]["foi_mailboxes"] == ["disclosure@lancashire.police.example"]
    assert store.by_name(db, "Kent").active  # not in the file: kept as it was


def test_a_bad_file_changes_nothing(db):
    apply.import_text(db, EXAMPLE.read_text(encoding="utf-8"), actor="t")
    before = store.list_forces(db)
    bad = "\n".join([HEADER, row(name="Lancashire Constabulary", mailboxes="new@lancashire.police.example"),
                     row("Thief", "Thief", mailboxes="foi@thief.example", domains="kent.police.example")])
    with pytest.raises(RegisterError, match="kent.police.example"):  # Kent, not in the file, holds it
        apply.import_text(db, bad, actor="t")
    assert store.list_forces(db) == before


def test_dry_run_changes_nothing(db):
    result = apply.import_text(db, EXAMPLE.read_text(encoding="utf-8"), actor="t", dry_run=True)
    assert result.summary()["added"] == 50
    assert store.count(db) == 0


def test_set_active_is_audited_and_the_audit_is_append_only(db):
    apply.import_text(db, EXAMPLE.read_text(encoding="utf-8"), actor="t")
    nca = store.by_name(db, "NCA")
    with transaction(db):
        store.set_active(db, nca.id, True, actor="admin")
    assert store.get(db, nca.id).active
    assert store.history(db, nca.id)[0]["action"] == "activated"
    assert [f.short_name for f in store.list_forces(db, nation="northern-ireland")] == ["PSNI"]
    assert "NCA" not in [f.short_name for f in store.list_forces(db, active=False)]
    with pytest.raises(Exception, match="append-only"):
        db.execute("DELETE FROM force_audit")


def test_example_loads_only_into_an_empty_register(db):
    assert apply.load_example_if_empty(db, actor="crumail") == 50
    assert apply.load_example_if_empty(db, actor="crumail") == 0


# -- the command line ------------------------------------------------------------------

def test_cli_import_export_list(cli, tmp_path):  # noqa: F811
    result = cli("forces", "import", str(EXAMPLE), "--dry-run")
    assert "would be added 50" in result.output
    assert "0 force(s)" in cli("forces", "list").output
    assert "added 50, changed 0, unchanged 0" in cli("forces", "import", str(EXAMPLE)).output
    out = tmp_path / "register.csv"
    cli("forces", "export", "--output", str(out))
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600
    assert csvfile.parse(out.read_text(encoding="utf-8")) == sorted(example(), key=lambda f: f.name.lower())
    listed = json.loads(cli("forces", "list", "--json", "--nation", "scotland").output)
    assert [f["short_name"] for f in listed] == ["Police Scotland"]
    assert "NCA" not in cli("forces", "list").output
    assert "NCA" in cli("forces", "list", "--inactive").output
    assert "unchanged 50" in cli("forces", "import", str(EXAMPLE)).output


def test_cli_import_refuses_a_link_and_names_bad_lines(cli, tmp_path):  # noqa: F811
    link = tmp_path / "link.csv"
    link.symlink_to(EXAMPLE)
    result = cli("forces", "import", str(link))
    assert result.exit_code == 1 and "link" in result.output
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "\n" + row(nation="atlantis") + "\n")
    result = cli("forces", "import", str(bad))
    assert result.exit_code == 1 and "line 2: nation: 'atlantis'" in result.output


def test_if_empty_loads_the_example_only_into_an_empty_register(cli):  # noqa: F811
    # `make run` runs this before the daemon on every start.
    assert "added 50" in cli("forces", "import", "--if-empty", str(EXAMPLE)).output
    again = cli("forces", "import", "--if-empty", str(EXAMPLE))
    assert again.exit_code == 0 and "already holds 50" in again.output


def test_make_run_loads_the_example_register_before_the_daemon():
    makefile = (Path(__file__).resolve().parents[1] / "Makefile").read_text()
    run = makefile.split("\nrun:", 1)[1].split("\n\n", 1)[0]
    assert "crumail forces import --if-empty data/forces.example.csv" in run
    assert run.index("forces import") < run.index("crumail run")


def test_a_file_not_in_utf8_or_over_the_cap_is_refused_by_name(tmp_path):
    with pytest.raises(RegisterError, match="not UTF-8"):
        apply.decode("name,Gwynedd\n".encode("utf-16"))
    big = tmp_path / "big.csv"
    big.write_bytes(b"x" * (csvfile.MAX_FILE_BYTES + 10))
    with pytest.raises(Exception, match="limit"):
        apply.read_file(big)
    assert apply.decode("\ufeffname\n".encode("utf-8")) == "name\n"  # Excel's "CSV UTF-8" BOM
