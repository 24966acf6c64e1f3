"""The LogNumber value (crumail/lognumber.py): parse, format, sort, URL, century."""

from __future__ import annotations

import pytest

from crumail.lognumber import LogNumber


@pytest.mark.parametrize("text, written", [
    ("1355/22", "1355/22"),
    ("001355/22", "1355/22"),
    ("1355/2022", "1355/22"),
    ("001355/2022", "1355/22"),
    (" 88/15 ", "88/15"),
    ("88 / 15", "88/15"),
    ("7/05", "7/05"),
    ("7/5", None),            # a year is two or four digits
    ("999999/23", "999999/23"),
    ("1000000/23", None),     # six digits at most
    ("0/22", None),           # no log 0
    ("000/22", None),
    ("43/1969", None),        # a four-digit year outside the century the two digits name
    ("43/1970", "43/70"),
    ("43/2069", "43/69"),
    ("43/2070", None),
    ("ABC/FOI/2024", None),
    ("43/23/1", None),
    ("43-23", None),
    ("", None),
    (None, None),
    ("٤٣/٢٣", None),          # digits in another script are not a log number
])
def test_parse_reads_every_written_form_and_writes_n_slash_yy(text, written):
    log = LogNumber.parse(text)
    assert (str(log) if log else None) == written


@pytest.mark.parametrize("number, year, written", [
    ("001355", "22", "1355/22"), ("43", "2023", "43/23"), (43, 23, "43/23"), (43, 2023, "43/23"),
    ("0", "23", None), ("43", "123", None), (43, 123, None), ("43", "2099", None), (-1, 23, None),
])
def test_of_reads_the_parts_a_pattern_found(number, year, written):
    log = LogNumber.of(number, year)
    assert (str(log) if log else None) == written


@pytest.mark.parametrize("yy, year", [(0, 2000), (5, 2005), (23, 2023), (69, 2069), (70, 1970), (98, 1998), (99, 1999)])
def test_the_century_rule(yy, year):
    assert LogNumber(1, yy).year == year
    assert LogNumber.in_year(1, year) == LogNumber(1, yy)
    assert LogNumber.full_year(yy) == year
    assert LogNumber.full_year(year) == year  # a full year is already one


@pytest.mark.parametrize("logs, ordered", [
    (["43/23", "1355/22"], ["1355/22", "43/23"]),
    (["1/05", "99/98"], ["99/98", "1/05"]),
    (["10/23", "9/23", "100/23"], ["9/23", "10/23", "100/23"]),
    (["2/69", "1/70"], ["1/70", "2/69"]),
])
def test_logs_sort_by_year_then_number(logs, ordered):
    parsed = [LogNumber.parse(x) for x in logs]
    assert [str(x) for x in sorted(parsed)] == ordered
    assert [str(x) for x in sorted(parsed, key=lambda x: x.sort_key)] == ordered


@pytest.mark.parametrize("text, url", [("43/23", "/logs/43/23"), ("0007/2005", "/logs/7/05"), ("1355/22", "/logs/1355/22")])
def test_url(text, url):
    assert LogNumber.parse(text).url == url


def test_equal_values_are_one_log():
    assert LogNumber.parse("0043/2023") == LogNumber.parse("43/23") == LogNumber(43, 23)
    assert len({LogNumber.parse("43/23"), LogNumber.parse("043/2023")}) == 1


@pytest.mark.parametrize("number, yy", [(0, 23), (1_000_000, 23), (1, 100), (1, -1)])
def test_a_value_out_of_range_is_refused(number, yy):
    with pytest.raises(ValueError):
        LogNumber(number, yy)


def _store(db, *logs: str) -> int:
    """A stored circulation naming ``logs``, the first its own."""
    from crumail.extract.model import Extraction
    from crumail.intake.prepare import Ingested
    from crumail.model import ParsedMail, RawMessage
    from crumail.store import messages
    from crumail.store.db import transaction

    extraction = Extraction(kind="circulation", primary_log=logs[0], log_numbers=logs)
    raw = RawMessage(data=b"circulation", source="test", key="1")
    with transaction(db):
        return messages.insert(db, Ingested(raw, ParsedMail(format="eml", sha256="0" * 64, size=11), extraction))


def test_the_casebook_files_and_lists_logs_by_the_century_rule(db):
    from crumail.store import desk, search

    message = _store(db, "5/98", "10/23", "9/23")
    assert [(r["log"], r["year"]) for r in search.list_logs(db)] == [("10/23", 2023), ("9/23", 2023), ("5/98", 1998)]
    assert [r["log"] for r in search.list_logs(db, year=98)] == ["5/98"]
    assert [r["log"] for r in search.list_logs(db, year=1998)] == ["5/98"]
    assert [r["log"] for r in desk.logs_of_message(db, message)] == ["5/98", "9/23", "10/23"]


@pytest.mark.parametrize("log, url", [("43/23", "/logs/43/23"), ("0043/2023", "/logs/43/23"), ("ABC/FOI/2024", None),
                                      (None, None), ("1/2/3", None)])
def test_the_desk_links_a_log_where_it_shows_it(log, url):
    from crumail.web.views.casebook import log_url

    assert log_url(log) == url
