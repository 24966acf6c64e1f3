"""Bad and hostile input: extraction never raises and its work stays linear.

No clock here (the machines are noisy).  The work is counted as Python line
events (tests/support/hostile.py's ``line_events``): the same input at four
times the size must cost well under sixteen times as many (what a quadratic
loop would need).  A pattern that backtracks runs inside the regex engine,
where no line is counted: the issue's full-size inputs (megabytes, where a
quadratic pattern runs for hours) must finish under a hang guard instead.
The timings, as ratios to one plain pass over the same text, are printed by
bench/hostile_text.py.
"""

from __future__ import annotations

import random

import pytest

from crumail.extract import Extraction, extract
from crumail.model import ParsedMail
from support.hostile import HOSTILE_TEXT as HOSTILE, digits_and_slashes, line_events
from support.mail import parsed
from support.paths import corpus_msg


def mail(text: str = "", subject: str | None = "Log No. 1/25 CRU Circulation", **extra) -> ParsedMail:
    """support.mail.parsed with a circulation's subject, its text read as plain even when empty."""
    extra.setdefault("text_source", "plain")
    return parsed(text, subject, **extra)


def work(parsed: ParsedMail) -> int:
    """Python lines run to extract ``parsed``."""
    return line_events(lambda: extract(parsed))


def grows_linearly(small: int, large: int) -> bool:
    """4x the input: under 10x the lines (16x is quadratic); a few hundred
    lines of fixed cost allowed for inputs that cost almost nothing."""
    return large < 10 * small + 500


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_work_grows_linearly(name):
    small = work(mail(HOSTILE[name](50_000)))
    large = work(mail(HOSTILE[name](200_000)))
    assert grows_linearly(small, large), f"{name}: {small:,} -> {large:,} line events for 4x the input"


@pytest.mark.parametrize("text", [
    pytest.param(digits_and_slashes(5_000_000), id="5 MB of digits and slashes"),
    pytest.param("Log No. 1/25 Case worker: " + "x" * 1_000_000, id="1 MB line"),
    pytest.param("CRU Advice:\n" + "Q1 and Q2 - Q3 and Q9 -\n" * 40_000, id="deeply repeated headings"),
])
@pytest.mark.slow   # pytest-timeout's 300 s is the hang guard: linear work is seconds, quadratic hours
def test_issue_sized_hostile_input_finishes(text):
    assert isinstance(extract(mail(text)), Extraction)


@pytest.mark.slow
def test_html_hostile_input_is_linear():
    def html_mail(n: int) -> ParsedMail:
        return mail("", html="<ol><li>" * (n // 8) + "<td>" * (n // 8), text_source="html")
    small, large = work(html_mail(50_000)), work(html_mail(200_000))
    assert grows_linearly(small, large), f"{small:,} -> {large:,} line events for 4x the input"


@pytest.mark.parametrize("parsed", [
    mail(""),
    mail("", subject=None),
    mail("", html="<p>broken <table><td>Case worker<td>", text_source="html"),
    mail("", html="<![if !supportLists]><!-- unclosed", text_source="html"),
    mail("x", html=None, text_source="html"),
    mail("\x00\ufeff\u200b\r\r\n\t", subject="\x00"),
    mail("Log No. 99999999/99 Log No.0 Log No. 0/00 Q0 - Q99-1 - (z) and (a) -"),
    mail("Applicants Request:\n1.\n2.\n\nCRU Advice:\nQ1 -\nQ2 -"),
    mail("", headers=(("Auto-Submitted", ""), ("X-Auto-Response-Suppress", "\x00"))),
], ids=lambda p: repr((p.subject, p.text[:20], (p.html or "")[:20])))
def test_never_raises_on_odd_mail(parsed):
    result = extract(parsed)
    assert isinstance(result, Extraction)
    assert "" not in (result.case_worker, result.logged_with, result.sent_from, result.circulation_date)


def test_never_raises_on_random_text():
    rng = random.Random(3)
    alphabet = "Q1234567890/().-–:,&\n\t *>[]sSLog No.CRU AdviceRequestofthis"
    for _ in range(200):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 400)))
        assert isinstance(extract(mail(text, subject=text[:60])), Extraction)


def test_a_failing_rule_loses_only_its_field(monkeypatch):
    import crumail.extract.reader as reader

    def broken(*_args):
        raise RuntimeError("bug in one rule")

    monkeypatch.setattr(reader, "exemptions", broken)
    result = extract(mail("Log Number: 5/25\ns12 applies", subject="CRU Circulation"))
    assert (result.exemptions, result.primary_log) == ((), "5/25")
    assert result.problems == ("exemptions: RuntimeError",)
    assert result.as_dict()["extraction_problems"] == ["exemptions: RuntimeError"]


def test_never_raises_on_real_outlook_files():
    from crumail.errors import ParseError
    from crumail.parse import parse_bytes

    for path in sorted(corpus_msg().glob("*.msg")):
        try:
            parsed = parse_bytes(path.read_bytes(), path.name)
        except ParseError:
            continue
        assert isinstance(extract(parsed), Extraction), path.name


def test_never_raises_on_malformed_values():
    odd = ParsedMail(format="eml", sha256="", size=0, subject=123, text=None, html=b"<p>x", text_source="html",  # type: ignore[arg-type]
                     nested=None, attachments=None, headers=None)  # type: ignore[arg-type]
    result = extract(odd)
    assert isinstance(result, Extraction) and result.problems


def test_deep_nesting_stops():
    inner = mail("Log Number: 1/25")
    for _ in range(50):
        inner = mail("fw", nested=(inner,))
    assert isinstance(extract(inner), Extraction)
