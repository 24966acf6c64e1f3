"""One word-list module (crumail/wordlists.py): the extractor and the checks
read letters by the same words, and differ only where a list says why."""

from __future__ import annotations

import itertools

import pytest

from crumail import wordlists
from crumail.checks import CheckContext, run_checks
from crumail.checks.names import names_from_signature
from crumail.drafts.compose import _strip_reply, marking_lines
from crumail.extract.markings import handling_caveats, protective_marking
from crumail.extract.questions import GREETING
from crumail.extract.sections import is_sign_off

POLICE = CheckContext.build(internal_domains=["police.uk"])


def _sign_offs() -> list[str]:
    """Every sign-off the lists make, written as people write them."""
    words = [f"{lead} {word}".strip() for lead, word in
             itertools.product(("", "with", *wordlists.SIGN_OFF_LEADS), wordlists.SIGN_OFF_WORDS)]
    return [*words, *wordlists.SIGN_OFF_PHRASES, *(f"{w} {t}" for w in ("thanks", "thank you")
                                                   for t in wordlists.SIGN_OFF_TAILS)]


@pytest.mark.parametrize("sign_off", _sign_offs())
def test_the_extractor_and_the_name_check_know_the_same_sign_offs(sign_off):
    written = sign_off.title() + ","
    assert is_sign_off(written)
    assert names_from_signature(f"Some text.\n\n{written}\nJane Smith\nAnalyst") == {"Jane Smith"}


@pytest.mark.parametrize("bare", wordlists.BARE_SIGN_OFFS)
def test_a_bare_sign_off_ends_the_text_but_signs_no_name(bare):
    assert is_sign_off(bare.title())
    assert names_from_signature(f"{bare.title()} Value Review\nJane Smith") == set()


@pytest.mark.parametrize("greeting", wordlists.GREETINGS)
def test_the_extractor_and_the_name_check_know_the_same_greetings(greeting):
    assert GREETING.match(f"{greeting.title()} all,")
    assert greeting.split()[-1].title() in wordlists.DEAR


@pytest.mark.parametrize("subject, stripped", [
    ("RE: Log 43/23", "Log 43/23"), ("AW: WG: Log 43/23", "Log 43/23"), ("Fwd: RE[2]: Log 43/23", "Log 43/23"),
    ("SV: TR: Log 43/23", "Log 43/23"), ("Antw: Log 43/23", "Log 43/23"), ("Regarding: Log 43/23", "Regarding: Log 43/23"),
])
def test_drafting_strips_every_reply_and_forward_prefix_the_extractor_knows(subject, stripped):
    assert _strip_reply(subject) == stripped
    assert bool(wordlists.REPLY_PREFIX.match(subject) or wordlists.FORWARD_PREFIX.match(subject)) == (
        subject != stripped)


@pytest.mark.parametrize("caveat", [*wordlists.POLICE_ONLY_CAVEATS, *wordlists.OTHER_CAVEATS,
                                    "not to be circulated outside of the police service"])
def test_the_extractor_records_every_caveat(caveat):
    assert handling_caveats(f"OFFICIAL-SENSITIVE\n{caveat.upper()}\n\nDear All,") == [caveat.upper()]


@pytest.mark.parametrize("caveat", [*wordlists.POLICE_ONLY_CAVEATS, "not to be circulated outside of the police service"])
def test_the_check_blocks_every_police_only_caveat_addressed_outside(caveat):
    context = CheckContext.build(internal_domains=["police.uk"], recipients=["applicant@example.org"])
    report = run_checks(f"{caveat.upper()}\n\nDear applicant, the figures are attached.", context)
    assert [(f.check, f.severity) for f in report.findings if f.check == "marking"] == [("marking", "block")]


@pytest.mark.parametrize("caveat", wordlists.OTHER_CAVEATS)
def test_a_caveat_that_does_not_confine_mail_to_the_police_is_not_blocked(caveat):
    context = CheckContext.build(internal_domains=["police.uk"], recipients=["applicant@example.org"])
    report = run_checks(f"{caveat.upper()}\n\nThe figures are attached.", context)
    assert not [f for f in report.findings if f.check == "marking"]


@pytest.mark.parametrize("caveat", [c.upper() for c in wordlists.POLICE_ONLY_CAVEATS])
def test_a_draft_under_a_police_only_caveat_says_it_stays_in_the_network(caveat):
    assert any("outside of the Police network" in line for line in marking_lines("OFFICIAL-SENSITIVE", [caveat]))


@pytest.mark.parametrize("marking", sorted(wordlists.MARKING_RANK))
def test_the_extractor_reads_every_ranked_marking_and_the_check_blocks_the_police_ones(marking):
    written = marking.replace("-", " ")
    assert protective_marking("", f"{written}\n\nDear All,") == marking
    context = CheckContext.build(internal_domains=["police.uk"], recipients=["applicant@example.org"])
    report = run_checks(f"{written}\n\nThe figures are attached.", context)
    blocked = any(f.check == "marking" and f.severity == "block" for f in report.findings)
    assert blocked == (marking in wordlists.POLICE_NETWORK_MARKINGS)
