"""Large batches parse in worker processes and come back in order, the same as in process."""

from __future__ import annotations

from crumail.intake.workers import POOL_THRESHOLD, Preparer
from crumail.model import RawMessage
from crumail.store.batch import Rejected
from support.mail import circulation


def _raws(count: int) -> list[RawMessage]:
    raws = [RawMessage(circulation(f"{400 + n}/24", n=n), "t", str(n)) for n in range(count)]
    raws[5] = RawMessage(b"", "t", "empty")
    return raws


def test_pool_and_in_process_agree_and_keep_order():
    raws = _raws(POOL_THRESHOLD + 8)
    with Preparer(workers=0) as inline, Preparer(workers=2) as pooled:
        expected = [item for chunk in inline.map([raws]) for item in chunk]
        got = [item for chunk in pooled.map([raws[:20], raws[20:], raws]) for item in chunk]
    assert got[:len(raws)] == expected and got[len(raws):] == expected
    assert isinstance(got[5], Rejected) and got[5].reason
    assert [item.raw.key for item in got[:len(raws)]] == [r.key for r in raws]
