"""Sender text in log lines is cut to a few hundred characters.

A subject, a file name, a Message-ID or a reason quoting the input is the
sender's to choose; written whole, one message put 170 KB into a log line.
"""

from __future__ import annotations

import io
import json
import logging
import subprocess
import sys
from pathlib import Path

import pytest

from crumail import logconfig
from support.mail import circulation

HUGE = "A" * 170_000
LIMIT = getattr(logconfig, "MAX_FIELD_CHARS", 300)


@pytest.fixture(params=["plain", "json"])
def captured(request):
    stream = io.StringIO()
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    logconfig.setup(request.param, logging.INFO, stream)
    yield request.param, stream
    root.handlers[:], _ = saved
    root.setLevel(saved[1])


def _lines(stream: io.StringIO) -> list[str]:
    return [line for line in stream.getvalue().splitlines() if line.strip()]


def test_arguments_context_and_exceptions_are_cut(captured):
    fmt, stream = captured
    log = logging.getLogger("crumail.test")
    log.warning("quarantined %s: %s (%d bytes)", "/inbox/" + HUGE + ".eml", "reason " + HUGE, 170_000,
                extra={"event": "quarantined", "message_id": f"<{HUGE}@example.org>", "key": HUGE})
    try:
        raise ValueError("unexpected input " + HUGE)
    except ValueError:
        log.exception("parser failed on %s", HUGE)
    log.info(f"built by hand {HUGE}")
    text = stream.getvalue()
    assert len(text) < 20 * LIMIT, len(text)  # three records, each at most a few hundred per field
    first = _lines(stream)[0]
    if fmt == "json":
        entry = json.loads(first)
        assert entry["msg"].startswith("quarantined /inbox/AAAA") and "170000 bytes" in entry["msg"]
        assert len(entry["message_id"]) < LIMIT + 40 and entry["message_id"].startswith("<AAA")
    else:
        assert first.count("more characters") == 4 and "(170000 bytes)" in first
    assert "ValueError: unexpected input AAA" in text and "Traceback" in text


def test_short_text_is_untouched(captured):
    fmt, stream = captured
    logging.getLogger("crumail.test").info("stored %s as %d", "a.eml", 7,
                                           extra={"event": "stored", "message_id": "<1@example.org>"})
    line = _lines(stream)[0]
    assert "stored a.eml as 7" in line and "<1@example.org>" in line and "more characters" not in line


def test_a_secret_is_still_masked_after_the_cut(captured):
    _fmt, stream = captured
    logging.getLogger("crumail.test").error("login failed: %s", "password=hunter2-but-long " + HUGE)
    assert "hunter2" not in stream.getvalue()


def test_ingesting_a_huge_message_id_and_subject_logs_short_lines(tmp_path):
    mail = circulation("601/24").replace(b"Message-ID: <", f"Message-ID: <{HUGE}".encode(), 1)
    mail = mail.replace(b"Subject: ", f"Subject: {HUGE} ".encode(), 1)
    (tmp_path / "mail").mkdir()
    (tmp_path / "mail" / "huge.eml").write_bytes(mail)
    (tmp_path / "mail" / "empty.eml").write_bytes(b"\r\n" + HUGE.encode() + b"\r\n")
    (tmp_path / "crumail.toml").write_text('[database]\npath = "crumail.db"\n')
    for fmt in ("plain", "json"):
        done = subprocess.run([str(Path(sys.executable).with_name("crumail")), "--config", str(tmp_path / "crumail.toml"),
                               "--log-format", fmt, "-v", "ingest", str(tmp_path / "mail")],
                              capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr[-2000:]
        lines = done.stderr.splitlines()
        assert lines and max(len(line) for line in lines) < 8 * LIMIT, max(len(line) for line in lines)
