"""Subject access (issue 13): `crumail person find`, its bundle and `person erase`,
over the fictitious corpus of tests/data/person (a planted applicant written
every way a unit meets her, and look-alikes that are other people)."""

from __future__ import annotations

import json
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from support.config import write_toml
from support.paths import REPO
from support.process import cli_env, crumail

GENERATOR = REPO / "tests" / "data" / "person" / "make_person_corpus.py"
APPLICANT = ("Rosalind Okafor-Hale", "--email", "rosalind.okafor-hale@example.net", "--phone", "07700 900461")
ADDRESS = ("--address", "27 Quillon Terrace, Ashbridge, ZZ9 4QT")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """500 messages taken in once for the module: (config, expected.json)."""
    folder = tmp_path_factory.mktemp("person")
    subprocess.run([sys.executable, str(GENERATOR), str(folder / "mail")], check=True, capture_output=True)
    config = write_toml(folder / "crumail.toml")
    done = crumail("--config", str(config), "ingest", str(folder / "mail"), timeout=600)
    assert done.returncode == 0, done.stderr
    return config, json.loads((folder / "mail" / "expected.json").read_text())


def find(config: Path, *args: str) -> dict:
    done = crumail("--config", str(config), "person", "find", *args, "--json", timeout=600)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def places(found: dict) -> set[tuple[str, str]]:
    return {(h["source"], h["where"]) for h in found["hits"] if h["kind"] == "message"}


def expected_places(expected: dict, kinds: set[str]) -> set[tuple[str, str]]:
    return {(p["file"], p["part"] if p["path"] is None else f"{p['part']} {p['path']}")
            for p in expected["places"] if p["kind"] in kinds}


@pytest.mark.slow
def test_person_find_finds_every_place_she_is_and_no_look_alike(corpus):
    config, expected = corpus
    found = find(config, *APPLICANT, *ADDRESS)
    missed = expected_places(expected, {"name", "email", "phone", "address"}) - places(found)
    assert not missed, f"recall below 100%: {sorted(missed)}"
    files = {h["source"] for h in found["hits"] if h["kind"] == "message"}
    assert files == set(expected["files"])            # no look-alike-only file
    assert found["counts"]["messages"] == expected["counts"]["files"]


@pytest.mark.slow
def test_without_the_address_only_the_address_places_are_missed(corpus):
    config, expected = corpus
    found = find(config, *APPLICANT)
    assert expected_places(expected, {"name", "email", "phone"}) <= places(found)
    by_name_only = find(config, "Rosalind Okafor-Hale")
    assert expected_places(expected, {"name"}) <= places(by_name_only)
    lookalike = find(config, "Rosalind Okafor", "--phone", "07700 900146")   # another person
    assert {h["source"] for h in lookalike["hits"] if h["kind"] == "message"} <= {
        p["file"] for p in expected["lookalikes"]}


@pytest.mark.slow
def test_the_bundle_is_marked_private_and_recorded(corpus, tmp_path):
    config, expected = corpus
    bundle = tmp_path / "sar"
    found = find(config, *APPLICANT, *ADDRESS, "--export", str(bundle))
    marking = found["export"]["marking"]
    assert marking in ("OFFICIAL", "OFFICIAL-SENSITIVE")
    names = sorted(p.name for p in bundle.iterdir())
    assert all(n.startswith(marking + "_") for n in names)
    assert len([n for n in names if n.endswith(".eml")]) == expected["counts"]["files"]
    assert stat.S_IMODE(bundle.stat().st_mode) == 0o700
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in bundle.iterdir())
    index = (bundle / f"{marking}_index.csv").read_text().splitlines()
    assert index[0] == f"MARKING: {marking}" and len(index) == len(found["hits"]) + 2
    again = crumail("--config", str(config), "person", "find", *APPLICANT, "--export", str(bundle))
    assert again.returncode == 1 and "not an empty folder" in again.stderr
    import sqlite3
    from contextlib import closing
    with closing(sqlite3.connect(Path(str(config)).parent / "crumail.db")) as db:
        actions = [r[0] for r in db.execute("SELECT action FROM erasures ORDER BY id")]
    assert "person-find" in actions and "person-export" in actions


@pytest.mark.slow
def test_person_erase_leaves_nothing_of_her_and_keeps_the_look_alikes(corpus, tmp_path):
    import shutil
    import sqlite3
    from contextlib import closing

    config, expected = corpus
    source = Path(str(config)).parent / "crumail.db"
    for suffix in ("", "-wal"):
        if Path(f"{source}{suffix}").exists():
            shutil.copy(f"{source}{suffix}", tmp_path / f"crumail.db{suffix}")
    copy = write_toml(tmp_path / "crumail.toml")
    done = crumail("--config", str(copy), "person", "erase", *APPLICANT, *ADDRESS,
                   "--reason", "SAR-2026-001: erasure requested", timeout=600)
    assert done.returncode == 1 and "Aborted" in done.stderr + done.stdout      # asked, not confirmed
    done = crumail("--config", str(copy), "person", "erase", *APPLICANT, *ADDRESS,
                   "--reason", "SAR-2026-001: erasure requested", "--yes", timeout=600)
    assert done.returncode == 0, done.stderr
    assert f"{expected['counts']['files']} mail" in done.stdout

    everything = (tmp_path / "crumail.db").read_bytes().lower()
    wal = tmp_path / "crumail.db-wal"
    everything += wal.read_bytes().lower() if wal.exists() else b""
    for gone in (b"okafor-hale", b"okafor hale", b"900461", b"quillon terrace"):
        assert gone not in everything, gone
    lookalike_only = {p["file"] for p in expected["lookalikes"]} - set(expected["files"])
    with closing(sqlite3.connect(tmp_path / "crumail.db")) as db:
        kept = {r[0] for r in db.execute("SELECT filename FROM messages WHERE length(raw) > 0")}
        reasons = [r[0] for r in db.execute("SELECT reason FROM erasures WHERE action = 'person-erase'")]
    assert lookalike_only <= kept
    assert reasons and all(r == "SAR-2026-001: erasure requested" for r in reasons)
    assert find(copy, *APPLICANT, *ADDRESS)["hits"] == []     # (this search is recorded, by its query)


@pytest.mark.slow
def test_person_find_json_prints_exactly_the_fields_the_contract_lists(corpus, tmp_path):
    from test_docs import _documented, _printed

    config, _ = corpus
    printed = _printed(find(config, *APPLICANT, "--export", str(tmp_path / "b")))
    printed = {name for name in printed if not name.startswith("counts.")}   # keyed by kind
    assert printed == _documented("person")


def test_four_eyes_one_admin_proposes_another_approves(tmp_path):
    from support.mail import referral, utc

    inbox = tmp_path / "mail"
    inbox.mkdir()
    mail = referral(utc(2025, 1, 4, 10), message_id="<ref-9@example.police.uk>").replace(
        b"Kind regards", b"Applicant: Ms Imogen Barraclough-Finch, 07700 900777\n\nKind regards")
    (inbox / "r.eml").write_bytes(mail)
    config = write_toml(tmp_path / "crumail.toml", web={"second_approver": True})
    assert crumail("--config", str(config), "ingest", str(inbox)).returncode == 0
    password = tmp_path / "pw"
    password.write_text("correct horse battery staple 42\n")
    for name, role in (("alice", "admin"), ("bob", "admin"), ("olly", "operator")):
        added = crumail("--config", str(config), "user", "add", name, "--role", role, "--password-file", str(password))
        assert added.returncode == 0, added.stderr
    who = ("Imogen Barraclough-Finch", "--phone", "07700 900777", "--reason", "SAR-9 erasure")

    refused = crumail("--config", str(config), "person", "erase", *who, "--by", "olly")
    assert refused.returncode == 1 and "not an admin" in refused.stderr
    proposed = crumail("--config", str(config), "person", "erase", *who, "--by", "alice")
    assert proposed.returncode == 0 and "erasure proposal 1" in proposed.stdout
    assert find(config, "Imogen Barraclough-Finch")["counts"]["messages"] == 1     # nothing erased yet
    own = crumail("--config", str(config), "person", "erase", "--approve", "1", "--by", "alice")
    assert own.returncode == 1 and "another admin" in own.stderr
    approved = crumail("--config", str(config), "person", "erase", "--approve", "1", "--by", "bob")
    assert approved.returncode == 0, approved.stderr
    assert "1 mail" in approved.stdout
    assert find(config, "Imogen Barraclough-Finch", "--phone", "07700 900777")["hits"] == []
    again = crumail("--config", str(config), "person", "erase", "--approve", "1", "--by", "bob")
    assert again.returncode == 1 and "no open erasure proposal" in again.stderr
    import sqlite3
    from contextlib import closing
    with closing(sqlite3.connect(tmp_path / "crumail.db")) as db:
        row = db.execute("SELECT state, proposed_by, approved_by, person_json FROM erasure_proposals").fetchone()
        reasons = [r[0] for r in db.execute("SELECT reason FROM erasures WHERE action = 'person-erase'")]
    assert row[:3] == ("done", "alice", "bob") and "Barraclough" not in row[3]
    assert reasons and all("proposed by alice, approved by bob" in r for r in reasons)
