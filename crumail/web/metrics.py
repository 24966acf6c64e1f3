"""/metrics in the Prometheus text exposition format (version 0.0.4)."""

from __future__ import annotations

from datetime import datetime

from sqlite_utils import Database

from crumail.config import Config
from crumail.store import desk, status


def exposition(db: Database, config: Config) -> str:
    lines: list[str] = []
    _metric(lines, "crumail_messages_ingested_total", "counter",
            "Messages stored since the database was made.", [({}, desk.count_messages(db))])
    _metric(lines, "crumail_quarantined", "gauge",
            "Messages in quarantine, not yet released.", [({}, desk.count_quarantined(db))])
    drafts = status.drafts_by_state(db)
    _metric(lines, "crumail_drafts", "gauge", "Drafts by review state.",
            [({"state": s}, n) for s, n in sorted(drafts.items())])
    states = status.sources(db, [s.name for s in config.sources])
    _metric(lines, "crumail_source_last_success_timestamp_seconds", "gauge",
            "When each source last polled without error (Unix time).",
            [({"source": r["source"], "folder": r.get("folder") or ""}, _epoch(r.get("last_success")))
             for r in states if r.get("last_success")])
    _metric(lines, "crumail_source_last_poll_timestamp_seconds", "gauge",
            "When each source last polled (Unix time).",
            [({"source": r["source"], "folder": r.get("folder") or ""}, _epoch(r.get("last_poll")))
             for r in states if r.get("last_poll")])
    _metric(lines, "crumail_source_poll_latency_seconds", "gauge",
            "How long each source's last poll took.",
            [({"source": r["source"], "folder": r.get("folder") or ""}, r["last_duration"])
             for r in states if r.get("last_duration") is not None])
    _metric(lines, "crumail_source_backlog", "gauge",
            "Messages waiting on the server at the last poll.",
            [({"source": r["source"], "folder": r.get("folder") or ""}, r["backlog"])
             for r in states if r.get("backlog") is not None])
    _metric(lines, "crumail_server_actions", "gauge",
            "Moves and keywords asked for on stored mail and not done: pending (failed: after a "
            "failed attempt) or void (never to be done).",
            [({"source": r["source"], "folder": r["folder"], "state": state}, r["server_actions"][state])
             for r in states if r.get("folder") for state in ("pending", "failed", "void")
             if r["server_actions"][state]])
    return "\n".join(lines) + "\n"


def _metric(lines: list[str], name: str, kind: str, help_text: str,
            samples: list[tuple[dict[str, str], float]]) -> None:
    lines.append(f"# HELP {name} {help_text}")
    lines.append(f"# TYPE {name} {kind}")
    for labels, value in samples:
        label_text = ",".join(f'{k}="{_escape(v)}"' for k, v in labels.items())
        lines.append(f"{name}{{{label_text}}} {_number(value)}" if label_text
                     else f"{name} {_number(value)}")


def _escape(value: str) -> str:
    return str(value).replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _epoch(stamp: str) -> float:
    return datetime.fromisoformat(stamp).timestamp()
