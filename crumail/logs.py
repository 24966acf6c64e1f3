"""Logging: one line per event, plain or JSON, never a secret.

Events carry their context (source, folder, UID, Message-ID ...) in
``extra``; the JSON form writes it as fields, the plain form as
``key=value`` after the message.  A filter masks anything that looks like a
password or token before a line is written.
"""

from __future__ import annotations

import json
import logging
import re
import sys
from datetime import datetime, timezone

CONTEXT_FIELDS = ("event", "source", "folder", "uidvalidity", "uid", "message_id", "key",
                  "sha256", "stored_as", "quarantine", "draft", "error")
SECRET = re.compile(
    r"(?i)(password|passwd|secret|token|authorization|bearer|xoauth2)(\s*[=:]\s*|\s+)(\S+)"
)


def mask(text: str) -> str:
    return SECRET.sub(lambda m: f"{m.group(1)}{m.group(2)}***", text)


class _Plain(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        stamp = datetime.fromtimestamp(record.created, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        context = " ".join(f"{k}={getattr(record, k)}" for k in CONTEXT_FIELDS
                           if getattr(record, k, None) is not None and k != "event")
        line = f"{stamp} {record.levelname.lower():7} {record.name}: {record.getMessage()}"
        line = f"{line} [{context}]" if context else line
        if record.exc_info:
            line += "\n" + self.formatException(record.exc_info)
        return mask(line)


class _Json(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        entry.update({k: getattr(record, k) for k in CONTEXT_FIELDS
                      if getattr(record, k, None) is not None})
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return mask(json.dumps(entry, default=str))


def setup(fmt: str = "plain", level: int = logging.INFO, stream=None) -> None:
    """Configure the root logger once for the process."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(_Json() if fmt == "json" else _Plain())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for noisy in ("apscheduler", "imapclient", "extract_msg", "mailparser", "msal", "urllib3"):
        logging.getLogger(noisy).setLevel(max(level, logging.WARNING))
