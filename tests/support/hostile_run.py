"""One hostile case end to end, in a process of its own: ingest, drafting, the
desk's pages; each step's time and peak memory.

    python tests/support/hostile_run.py CASE FOLDER [--limit-mb 200]

With ``--limit-mb`` the address space is capped (RLIMIT_AS) at what the
process uses once set up plus that much, so a step that needs more fails
with MemoryError instead of swapping: the test's memory bound.  Prints one
JSON object.  Used by tests/test_caps.py and bench/hostile.py.
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import sys
import time
from pathlib import Path
from typing import Callable

HERE = Path(__file__).resolve().parent
# the repository (crumail) and tests/ (support) importable, as under pytest
sys.path[:0] = [str(HERE.parents[1]), str(HERE.parent)]

from support import hostile  # noqa: E402

PASSWORD = "a long enough password"

#: case -> (file name, the bytes); sizes are the tester's
CASES: dict[str, Callable[[], tuple[str, bytes]]] = {
    "ordinary": lambda: ("referral.eml", hostile.referral()),
    "subject_300k": lambda: ("subject.eml", hostile.long_subject(300_000)),
    "subject_10m": lambda: ("subject.eml", hostile.long_subject(10_000_000)),
    "phones_30k": lambda: ("phones.eml", hostile.phone_numbers(30_000)),
    "recipients_100k": lambda: ("recipients.eml", hostile.recipients(100_000)),
    "questions_30k": lambda: ("questions.eml", hostile.bullet_questions(30_000)),
    "rtf_21mb": lambda: ("rtf.msg", hostile.rtf_bomb_msg(21_000_000)),
    "msg_recipients_4k": lambda: ("recipients.msg", hostile.many_recipients_msg(4_000)),
    "msg_shared_sectors": lambda: ("shared.msg", hostile.shared_sector_msg(200, 4_000_000)),
}


def status(key: str) -> int:
    """Kilobytes of VmRSS, VmHWM or VmSize from /proc/self/status."""
    text = Path("/proc/self/status").read_text()
    return int(re.search(rf"^{key}:\s+(\d+) kB", text, re.M).group(1))


def reset_peak() -> None:
    Path("/proc/self/clear_refs").write_text("5")  # VmHWM back to the current RSS


class Steps:
    """Runs named steps, keeping each one's seconds and peak RSS over the start."""

    def __init__(self) -> None:
        self.base_kb = status("VmRSS")
        self.results: dict[str, dict] = {}

    def run(self, name: str, step: Callable[[], object]) -> object:
        reset_peak()
        started = time.perf_counter()
        value = step()
        self.results[name] = {"seconds": round(time.perf_counter() - started, 4),
                              "peak_mb": round(max(0, status("VmHWM") - self.base_kb) / 1024, 1)}
        return value


def setup(folder: Path, name: str, data: bytes):
    from crumail.config import from_dict
    from crumail.store import open_database, users
    from crumail.store.db import transaction
    from crumail.web.auth import hash_password

    (folder / name).write_bytes(data)
    config = from_dict({"database": {"path": str(folder / "crumail.db")},
                        "intake": {"workers": 0}, "drafts": {"max_age_days": 0}}, folder)  # dated 2023
    db = open_database(config.database)
    with transaction(db):
        users.add(db, "ada", "admin", hash_password(PASSWORD, "ada"))
    return config, db


def desk_client(config):
    from werkzeug.test import Client

    from crumail.web.app import Desk

    client = Client(Desk(config))
    token = re.search(r'name="csrf" value="([^"]+)"', client.get("/login").get_data(as_text=True)).group(1)
    client.post("/login", data={"name": "ada", "password": PASSWORD, "csrf": token})
    return client


def ingest(config, db, path: Path) -> dict:
    from crumail.intake.pipeline import run_source
    from crumail.sources.directory import FileSource

    return run_source(db, FileSource((path,), name="ingest"), limits=config.limits, workers=0).counts


def draft(config, db) -> list[int]:
    from crumail.drafts.stage import draft_pending

    return list(draft_pending(config, db).drafts)


def page(client, path: str) -> dict:
    response = client.get(path)
    body = response.get_data(as_text=True)
    return {"status": response.status_code, "bytes": len(body),
            "findings_hidden": "findings-hidden" in body, "redaction_hidden": "redaction-hidden" in body}


def run(case: str, folder: Path, limit_mb: int | None) -> dict:
    name, data = CASES[case]()
    config, db = setup(folder, name, data)
    client = desk_client(config)
    del data
    steps = Steps()
    if limit_mb:
        cap = (status("VmSize") + limit_mb * 1024) * 1024
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    out: dict = {"case": case, "counts": steps.run("ingest", lambda: ingest(config, db, folder / name))}
    out["drafts"] = steps.run("draft", lambda: draft(config, db))
    out["pages"] = {}
    for number in out["drafts"]:
        out["pages"][f"/drafts/{number}"] = steps.run(f"page {number}", lambda: page(client, f"/drafts/{number}"))
        redact = f"/drafts/{number}/redact"
        out["pages"][redact] = steps.run(f"redact {number}", lambda: page(client, redact))
    out["messages"] = [dict(row) for row in db.query(
        "SELECT subject, length(to_json) AS to_length, defects_json FROM messages")]
    out["quarantine"] = [dict(row) for row in db.query("SELECT stage, reason FROM quarantine")]
    out["steps"] = steps.results
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("case", choices=sorted(CASES))
    parser.add_argument("folder", type=Path)
    parser.add_argument("--limit-mb", type=int)
    args = parser.parse_args()
    print(json.dumps(run(args.case, args.folder, args.limit_mb)))


if __name__ == "__main__":
    main()
