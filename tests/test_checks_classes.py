"""Personal-data classes a held-out set of outbound texts found missed (issue 10).

Each class has several cases of its own, written for crumail (none from
the held-out set), and look-alikes that must not be flagged.
"""

from __future__ import annotations

import pytest

from crumail.checks import CheckContext, run_checks

POLICE = CheckContext.build(internal_domains=["police.uk"])


def found(text: str) -> set[tuple[str, str]]:
    return {(f.check, f.text) for f in run_checks(text, POLICE).findings if f.severity == "block"}


def hard(text: str) -> set[tuple[str, str, bool]]:
    return {(f.check, f.text, f.overridable) for f in run_checks(text, POLICE).findings}


@pytest.mark.parametrize("text, item", [
    ("She moved to pr1 4ab last year.", "pr1 4ab"),
    ("postcode: se1 9gf", "se1 9gf"),
    ("Send it to m14 5rt please.", "m14 5rt"),
    ("near ec1a 1bb, the office", "ec1a 1bb"),
    ("at b33 8th", "b33 8th"),
    ("address ends cf10 3nq.", "cf10 3nq"),
])
def test_postcodes_in_lower_case(text, item):
    assert ("postcode", item) in found(text)


@pytest.mark.parametrize("text, item", [
    ("His NI number is qq 12 34 56 c.", "qq 12 34 56 c"),
    ("ni: ab123456d", "ab123456d"),
    ("national insurance jk 65 43 21 a", "jk 65 43 21 a"),
    ("NINO ce 11 22 33 b on file", "ce 11 22 33 b"),
])
def test_ni_numbers_in_lower_case(text, item):
    assert ("ni_number", item) in found(text)


@pytest.mark.parametrize("text", [
    "Take the a1 1st exit.", "We met at 3pm on 2nd May.", "h2o and co2 levels", "Form x1 2ab refers.",
    "dv 12 34 56 a was a test", "the ratio was 12 34 56 to 1",
])
def test_lower_case_look_alikes_are_not_codes(text):
    assert not {c for c, _ in found(text)} & {"postcode", "ni_number"}


@pytest.mark.parametrize("text, item", [
    ("Nominal: John SMITH, arrested 03/04.", "John SMITH"),
    ("Victim Sarah O'NEILL gave a statement.", "Sarah O'NEILL"),
    ("Witness Mary-Jane KHAN-PATEL was present.", "Mary-Jane KHAN-PATEL"),
    ("Suspect Imogen TARRANT was bailed.", "Imogen TARRANT"),
    ("Interviewed Sarah LEE at the station.", "Sarah LEE"),
    ("Report by Grace FLEMING on file.", "Grace FLEMING"),
    ("Checked Oliver MCDONALD-BROWN on PNC.", "Oliver MCDONALD-BROWN"),
])
def test_surnames_in_capitals_after_a_forename(text, item):
    assert ("name", item) in found(text)


@pytest.mark.parametrize("text", [
    "Police SCOTLAND replied to the FOI.", "The CRU and NPCC met.", "Marked OFFICIAL SENSITIVE.",
    "Please ask Daniel ASAP.", "Thanks Emma FOI team.", "May NOT be shared.", "Peter NPCC lead",
    "Oliver OFFICIAL", "Jack CCTV footage", "Chloe ANPR cameras",
])
def test_capitals_that_are_not_surnames(text):
    assert not [t for c, t in found(text) if c == "name"]


@pytest.mark.parametrize("text, item", [
    ("The stop was made by PC 1234.", "PC 1234"),
    ("Statement of DS 2201 Jones attached.", "DS 2201"),
    ("Sergeant 4412 was the custody officer.", "Sergeant 4412"),
    ("PCSO 7731 completed the report.", "PCSO 7731"),
    ("Detective Constable 5521 took the call.", "Detective Constable 5521"),
    ("Insp. 301 authorised it.", "Insp. 301"),
    ("DC4521 Harrow", "DC4521"),
    ("Police Constable 8812 Quarmby attended.", "Police Constable 8812"),
])
def test_a_rank_and_collar_number_are_one_item(text, item):
    assert ("police_id", item) in found(text)


def test_the_surname_after_rank_and_collar_is_a_name_too():
    assert found("Statement of DS 2201 Jones attached.") >= {("police_id", "DS 2201"), ("name", "Jones")}


@pytest.mark.parametrize("text, item", [
    ("Seen by S.40(2) (Jane Doe) on Monday.", "Jane Doe"),
    ("[REDACTED] Smith attended the scene.", "Smith"),
    ("Jane [REDACTED] attended.", "Jane"),
    ("The officer, [REDACTED] OKAFOR, attended.", "OKAFOR"),
    ("Contact S.40(2) Thornton-Blake for details.", "Thornton-Blake"),
    ("Interviewed [REDACTED] (Mr Quarmby) at home.", "Quarmby"),
    ("Signed S.40(2) (Featherstonehaugh)", "Featherstonehaugh"),
])
def test_names_left_beside_a_redaction_marker(text, item):
    assert ("name", item) in found(text)


@pytest.mark.parametrize("text", [
    "Exempt under S.40(2) Personal information applies.", "S.40(2) applies to names below Superintendent.",
    "As S.40(2) (personal information) applies, the names are withheld.", "Section 40(2) The Act says so.",
    "Applying S.40(2) to the names.", "Names: [REDACTED] and [REDACTED].",
])
def test_redaction_markers_used_as_citations_are_not_names(text):
    assert not [t for c, t in found(text) if c == "name"]


def test_text_inside_a_redaction_marker_is_exempt_only_while_short():
    short = "Seen by [REDACTED - witness name] on Monday."
    assert found(short) == set()
    long = "Seen by [REDACTED pending review of the file: Sarah Pryce, 07700 900417] on Monday."
    assert {("name", "Sarah Pryce"), ("phone", "07700 900417")} <= found(long)


@pytest.mark.parametrize("text, item", [
    ("The force is [REDACT] and the log is open.", "[REDACT]"),
    ("Dear [NAME],", "[NAME]"),
    ("Received on [DATE].", "[DATE]"),
    ("Dear [name],", "[name]"),
    ("The figure is XXXX for the year.", "XXXX"),
    ("The figure is xxx for the year.", "xxx"),
    ("Response due TBC.", "TBC"),
    ("Costs were ?? in total.", "??"),
    ("Drafting note: check Q3 with Legal.", "Drafting note: check Q3 with Legal."),
    ("Answer.\nNote to self: ask Dave about s12\nRegards", "Note to self: ask Dave about s12"),
    ("NB for reviewer: the total may be wrong", "NB for reviewer: the total may be wrong"),
    ("[insert force] holds the data.", "[insert force]"),
    ("[REDACT name of officer] attended.", "[REDACT name of officer]"),
])
def test_leftover_editing_markers_block_and_cannot_be_overridden(text, item):
    assert ("drafting_marker", item, False) in hard(text)


@pytest.mark.parametrize("text", [
    "Names: [REDACTED].", "The note to the file is attached.", "Is this right? Yes.", "Section 40(2) applies.",
    "See note 3: it explains the figures.", "The Max Factor exhibit.",
])
def test_finished_text_has_no_drafting_marker(text):
    assert not [f for f in run_checks(text, POLICE).findings if f.check == "drafting_marker"]


@pytest.mark.parametrize("name", ["Imogen", "Isla", "Poppy", "Archie", "Theo", "Priya", "Aisha", "Ffion",
                                  "Eilidh", "Kwame", "Zainab", "Esme", "Cerys", "Oscar", "Noah"])
def test_common_uk_forenames_are_known(name):
    assert ("name", f"{name} Tarrant") in found(f"I spoke to {name} Tarrant yesterday.")
