"""End to end: the seed circulation through the real parser and extractor
into the casebook, and ``crumail reprocess`` rebuilding it without duplicates."""

from __future__ import annotations

import json

from crumail.intake.maintenance import reprocess
from crumail.intake.prepare import Ingested, prepare
from crumail.model import RawMessage
from crumail.store import search
from crumail.store.db import transaction
from crumail.store.messages import insert
from support.casebook import snapshot


def ingest_seed(db, seed_bytes: bytes) -> int:
    item = prepare(RawMessage(data=seed_bytes, source="test", key="seed",
                              filename="cru-circulation-43-23.eml"))
    assert isinstance(item, Ingested), item
    with transaction(db):
        return insert(db, item)


def test_seed_fills_the_casebook(db, seed_bytes):
    ingest_seed(db, seed_bytes)
    logs = {r["log"]: r for r in search.list_logs(db)}
    assert set(logs) == {"43/23", "1355/22"}
    assert (logs["43/23"]["question_count"], logs["1355/22"]["question_count"]) == (3, 10)
    assert logs["43/23"]["logged_with"] == "Lancashire Constabulary"
    shown = search.get_log(db, "1355/22")
    groups = [json.loads(r[0]) for r in db.execute(
        "SELECT questions FROM advice WHERE log = '1355/22' ORDER BY position")]
    assert groups == [[], [1], [2], [3, 9], [4], [5], [6, 7], [8], [10]]
    assert {(m["role"], m["path"]) for m in shown["messages"]} == {("related", ""), ("nested", "0")}
    assert shown["links"][0]["log"] == "43/23"
    precedents = search.similar(db, "43/23")
    assert [(p.precedents[0].log, p.precedents[0].question) for p in precedents] == \
        [("1355/22", 1), ("1355/22", 6), ("1355/22", 9)]


def test_reprocess_rebuilds_without_duplicates(db, seed_bytes):
    ingest_seed(db, seed_bytes)
    before = snapshot(db)
    for _ in range(2):
        tally = reprocess(db)
        assert (tally.done, tally.failed) == (1, [])
    assert snapshot(db) == before
    assert search.search(db, "absconded")[0].log == "1355/22"
    assert len(search.search(db, "absconded")) == 1
