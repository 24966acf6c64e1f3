"""The desk and the review functions on drafts full of findings: work that
grows with the draft, not with its square (counted in Python line events,
which no machine's load changes), the caps on what a page shows, and what the
operator is told past them."""

from __future__ import annotations

import random
import re

import pytest
from werkzeug.test import Client

from crumail import review
from crumail.checks import CheckContext, check_eml
from crumail.checks.model import CheckReport, Finding
from crumail.checks.redact import Replacement, apply, redaction_diff
from crumail.config import from_dict
from crumail.errors import CheckError
from crumail.review.verify import fingerprint, unreleased
from crumail.store import open_database, users
from crumail.store.db import transaction
from crumail.web.app import Desk
from crumail.web.auth import hash_password
from crumail.web.highlight import Span, highlight
from support.hostile import line_events
from support.drafts import seed_draft
from support.drafts import make_draft

PASSWORD = "a long enough password"


def phones(count: int) -> str:
    return "Dear colleague,\n\n" + "".join(f"Call 07700 900{i % 1000:03d} about it.\n" for i in range(count))


@pytest.fixture(scope="module")
def hashed() -> str:
    return hash_password(PASSWORD, "ada")


def desk(tmp_path, hashed, **tables):
    config = from_dict({"database": {"path": str(tmp_path / "crumail.db")},
                        "redaction": {"internal_domains": ["police.uk"]}, **tables}, tmp_path)
    db = open_database(config.database)
    with transaction(db):
        users.add(db, "ada", "admin", hashed)
    client = Client(Desk(config))
    token = re.search(r'name="csrf" value="([^"]+)"', client.get("/login").get_data(as_text=True)).group(1)
    client.post("/login", data={"name": "ada", "password": PASSWORD, "csrf": token})
    return config, db, client


# -- work grows linearly ---------------------------------------------------------------

@pytest.mark.parametrize("page", ["/drafts/{}", "/drafts/{}/redact"])
def test_a_draft_page_and_its_redaction_preview_grow_linearly_with_the_findings(page, tmp_path, hashed):
    """Four times the phone numbers must cost about four times the work, not
    sixteen (the highlighter compared every piece with every finding; the
    preview ran difflib's matcher over the whole draft)."""
    config, db, client = desk(tmp_path, hashed)
    small, large = seed_draft(db, body=phones(300), n=1), seed_draft(db, body=phones(1200), n=2)
    for draft in (small, large):   # warm: templates compiled, precedents remembered
        assert client.get(page.format(draft)).status_code == 200
    work = [line_events(lambda d=d: client.get(page.format(d))) for d in (small, large)]
    assert work[1] / work[0] < 6, f"{page}: {work[0]:,} then {work[1]:,} line events"


class Compared(str):
    """A finding's text that counts how often it is compared or hashed."""

    count = 0

    def __eq__(self, other: object) -> bool:
        Compared.count += 1
        return str.__eq__(self, other)

    def __hash__(self) -> int:
        Compared.count += 1
        return str.__hash__(self)


def test_releasing_overrides_at_send_time_grows_linearly():
    """Every finding at the same place, so only the text tells two apart: a list
    of overrides compares each finding's text with every one before its own."""
    def comparisons(count: int) -> int:
        report = CheckReport(blocked=True, findings=tuple(
            Finding("phone", 0, 12, Compared(f"07700 9{i:05d}"), "block", "UK phone number")
            for i in range(count)))
        # as read back from the database: equal texts, not the same objects
        overrides = [{**fingerprint(f), "text": Compared(str(f.text))} for f in report.findings]
        Compared.count = 0
        assert unreleased(report, overrides) == []
        return Compared.count

    small, large = comparisons(2000), comparisons(8000)
    assert large / small < 6, f"4x the findings: {small:,} then {large:,} comparisons (16x is quadratic)"


# -- what the page shows past its caps --------------------------------------------------

def test_the_draft_page_marks_the_first_findings_and_counts_the_rest(tmp_path, hashed):
    config, db, client = desk(tmp_path, hashed, web={"max_findings_shown": 3})
    draft = seed_draft(db, body=phones(5))
    page = client.get(f"/drafts/{draft}").get_data(as_text=True)
    assert page.count('<mark class="finding') == 3
    assert 'id="finding-3"' in page and 'id="finding-4"' not in page
    note = re.search(r'<p class="warning" id="findings-hidden">(.*?)</p>', page, re.S).group(1)
    assert "2 more findings (2 block)" in note and "[web] max_findings_shown" in note


def test_the_redaction_preview_stops_at_its_cap_and_saving_applies_everything(tmp_path, hashed):
    config, db, client = desk(tmp_path, hashed, redaction={"max_diff_changes": 2, "internal_domains": ["police.uk"]})
    draft = seed_draft(db, body=phones(5))
    page = client.get(f"/drafts/{draft}/redact").get_data(as_text=True)
    preview = re.search(r'<pre class="diff" id="redaction-diff">(.*?)</pre>', page, re.S).group(1)
    assert preview.count("<ins>") == 2 and "07700 900002" not in preview   # the text stops there
    note = re.search(r'id="redaction-hidden">(.*?)</p>', page, re.S).group(1)
    assert "3 more follow" in note and "all 5 replacements" in note
    assert "3 more replacement(s) not shown ([redaction] max_diff_changes is 2)" in page
    token = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    before = re.search(r'name="before_sha256" value="([^"]+)"', page).group(1)
    client.post(f"/drafts/{draft}/redact", data={"csrf": token, "before_sha256": before})
    body = review.get_draft(db, draft).body
    assert "07700" not in body and body.count("S.40(2)") == 5


# -- the highlighter and the diff are still right ------------------------------------------

def old_highlight(text: str, spans) -> str:
    """The quadratic highlighter this replaced: the reference for what is marked."""
    from markupsafe import escape

    from crumail.web.highlight import _mark

    cuts = sorted({0, len(text), *(s.start for s in spans), *(s.end for s in spans)})
    pieces, anchored = [], set()
    for left, right in zip(cuts, cuts[1:]):
        piece = escape(text[left:right])
        covering = [s for s in spans if s.start <= left and right <= s.end]
        pieces.append(_mark(piece, covering, anchored, right) if covering else piece)
    return "".join(pieces)


def test_the_sweep_marks_overlapping_findings_exactly_as_before():
    rng = random.Random(9)
    for _ in range(300):
        text = "".join(rng.choice("ab <&\n") for _ in range(rng.randint(1, 80)))
        raw = sorted((a, rng.randint(a + 1, len(text))) for a in
                     (rng.randrange(len(text)) for _ in range(rng.randint(0, 8))))
        spans = [Span(a, b, rng.choice(["block", "warn"]), f"reason {i}", i + 1) for i, (a, b) in enumerate(raw)]
        assert str(highlight(text, spans)) == old_highlight(text, spans)


def patched(before: str, diff: str) -> list[str]:
    """``before`` with a unified diff applied, as lines (checks every context line)."""
    lines = before.split("\n")[: before.count("\n") + (not before.endswith("\n"))]
    out, at, rows = [], 0, diff.split("\n")[2:]
    for row in rows:
        hunk = re.match(r"@@ -(\d+)(?:,(\d+))? \+", row)
        if hunk:
            length = int(hunk.group(2) or 1)
            start = int(hunk.group(1)) - (1 if length else 0)
            out += lines[at:start]
            at = start
        elif row[:1] in (" ", "-"):
            assert lines[at] == row[1:], (lines[at], row)
            out += [row[1:]] if row[0] == " " else []
            at += 1
        elif row[:1] == "+":
            out.append(row[1:])
    return out + lines[at:]


def test_the_unified_diff_made_from_the_replacements_turns_before_into_after():
    rng = random.Random(3)
    for _ in range(500):
        words = ["alpha", "beta", "07700 900123", "x", "", "Smith"]
        text = "\n".join(" ".join(rng.choice(words) for _ in range(rng.randint(0, 4)))
                         for _ in range(rng.randint(1, 30))) + rng.choice(["", "\n"])
        changes, at = [], 0
        while at < len(text) - 1 and len(changes) < 6:
            start = rng.randint(at, len(text) - 1)
            end = min(len(text), start + rng.randint(1, 12))
            changes.append(Replacement(start, end, rng.choice(["S.40(2)", "S.31(1)"])))
            at = end + 1
        after = apply(text, changes)
        if after == text:
            continue
        expected = after.split("\n")[: after.count("\n") + (not after.endswith("\n"))]
        assert patched(text, redaction_diff(text, changes)) == expected


# -- what a desk user may enter, and what the checks refuse to read -------------------------

def test_an_edit_past_the_draft_caps_is_refused(tmp_path, db):
    draft = make_draft(db, "Dear colleague,\n")
    limits = from_dict({"drafts": {"max_draft_subject_chars": 100, "max_draft_recipients": 3}}, tmp_path).limits
    with pytest.raises(review.ReviewError, match=r"\[drafts\] max_draft_subject_chars"):
        review.edit(db, draft, by="Op", subject="Re: " + "A" * 200, limits=limits)
    with pytest.raises(review.ReviewError, match=r"4 recipients.*\[drafts\] max_draft_recipients"):
        review.edit(db, draft, by="Op", to=[f"p{i}@example.police.uk" for i in range(4)], limits=limits)
    assert review.edit(db, draft, by="Op", subject="Re: short", limits=limits).subject == "Re: short"


def test_the_checks_fail_closed_on_a_subject_too_long_to_read():
    data = b"From: a@example.org\r\nTo: b@example.police.uk\r\nSubject: " + b"A" * 5000 + b"\r\n\r\nHello\r\n"
    with pytest.raises(CheckError, match=r"Subject header is 5,000 characters long.*max_header_chars"):
        check_eml(data, context=CheckContext(max_header_chars=1000))
    assert check_eml(data, context=CheckContext())[0].strip() == "Hello"
