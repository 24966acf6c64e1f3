"""One clock (crumail/clock.py): read in one place, and a test can move it."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from crumail import clock
from crumail.errors import ConfigError

ROOT = Path(__file__).resolve().parents[1] / "crumail"
#: Every way Python reads the wall clock as a date.
WALL_CLOCK = re.compile(r"\b(?:datetime\.(?:now|utcnow|today)|date\.today|time\.time|time\.gmtime"
                        r"|time\.localtime)\(")
MOMENT = datetime(2031, 2, 3, 4, 5, 6, tzinfo=timezone.utc)


def test_only_the_clock_reads_the_wall_clock():
    found = [f"{path.relative_to(ROOT.parent)}:{number}: {line.strip()}"
             for path in sorted(ROOT.rglob("*.py"))
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if WALL_CLOCK.search(line)]
    assert found == ["crumail/clock.py:" + found[0].split(":")[1] + ": return datetime.now(timezone.utc)"], \
        "\n".join(found)


def test_set_to_stands_the_clock_still_and_nests():
    with clock.set_to(MOMENT):
        assert clock.now() == MOMENT
        assert clock.today() == date(2031, 2, 3)
        assert clock.stamp() == "2031-02-03T04:05:06+00:00"
        with clock.set_to(datetime(2032, 1, 1)):  # naive means UTC
            assert clock.now() == datetime(2032, 1, 1, tzinfo=timezone.utc)
        assert clock.now() == MOMENT
    assert abs(clock.now() - datetime.now(timezone.utc)) < timedelta(days=1)


@pytest.mark.parametrize("moment, precise, written", [
    (MOMENT, False, "2031-02-03T04:05:06+00:00"),
    (MOMENT.replace(microsecond=250000), True, "2031-02-03T04:05:06.250+00:00"),
    (datetime(2031, 2, 3, 5, 5, 6, tzinfo=timezone(timedelta(hours=1))), False, "2031-02-03T04:05:06+00:00"),
    (datetime(2031, 2, 3, 4, 5, 6), False, "2031-02-03T04:05:06+00:00"),
])
def test_stamp_is_utc_iso(moment, precise, written):
    assert clock.stamp(moment, precise) == written


def _clock_in_a_process(value: str) -> subprocess.CompletedProcess:
    env = {**os.environ, clock.ENVIRONMENT: value}
    return subprocess.run([sys.executable, "-c", "from crumail import clock; print(clock.now().isoformat())"],
                          env=env, capture_output=True, text=True, timeout=120)


def test_a_process_started_with_crumail_now_starts_its_clock_there():
    done = _clock_in_a_process(MOMENT.isoformat())
    assert done.returncode == 0, done.stderr
    seen = datetime.fromisoformat(done.stdout.strip())
    assert MOMENT <= seen < MOMENT + timedelta(hours=1)  # it runs on from the moment


def test_a_bad_crumail_now_is_a_config_error_naming_it():
    done = _clock_in_a_process("next tuesday")
    assert done.returncode != 0
    assert "ConfigError" in done.stderr and clock.ENVIRONMENT in done.stderr


def test_what_the_store_and_the_stages_write_reads_the_clock(db):
    from crumail.drafts.deadlines import received_on
    from crumail.store import sessions, users

    with clock.set_to(MOMENT):
        user = users.add(db, "jo", "operator", "hash")
        sessions.create(db, "token", user, "csrf", timedelta(hours=8))
        assert received_on(None) == date(2031, 2, 3)
    assert users.get(db, user)["created_at"] == "2031-02-03T04:05:06+00:00"
    row = db.execute("SELECT created_at, expires_at FROM sessions").fetchone()
    assert tuple(row) == ("2031-02-03T04:05:06+00:00", "2031-02-03T12:05:06+00:00")


def test_the_offset_is_read_from_the_environment_value():
    assert clock._offset_from("") == timedelta(0)
    with pytest.raises(ConfigError, match=clock.ENVIRONMENT):
        clock._offset_from("2031-13-40")
