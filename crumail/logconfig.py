"""Logging: one line per event, plain or JSON, never a secret.

Events carry their context (source, folder, UID, Message-ID ...) in
``extra``; the JSON form writes it as fields, the plain form as
``key=value`` after the message.  A filter masks anything that looks like a
password or token before a line is written.

Much of what a line says comes from the sender (a subject, a file name, a
Message-ID, a parser's reason quoting the input), and one message once put
170 KB into a line.  So the formatters cut every argument and context value
to ``MAX_FIELD_CHARS``, a message built without arguments and each line of
a traceback to ``MAX_TEXT_CHARS``, saying how much was left out.
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


MAX_FIELD_CHARS = 300     # an argument or a context value: a long subject still reads
MAX_TEXT_CHARS = 1000     # a whole message, or one line of a traceback


def mask(text: str) -> str:
    return SECRET.sub(lambda m: f"{m.group(1)}{m.group(2)}***", text)


def cut(value: object, limit: int = MAX_FIELD_CHARS) -> object:
    """``value`` (numbers as they are) with its text cut to ``limit`` characters."""
    if value is None or isinstance(value, (int, float)):
        return value
    text = str(value)
    if len(text) <= limit:
        return text
    return f"{text[:limit]}…[{len(text) - limit:,} more characters]"


def message(record: logging.LogRecord) -> str:
    """The record's message with each argument cut before it is put in."""
    args = record.args
    if isinstance(args, dict):
        args = {key: cut(value) for key, value in args.items()}
    elif args:
        args = tuple(cut(value) for value in args)
    try:
        text = str(record.msg) % args if args else str(record.msg)
    except (TypeError, ValueError, KeyError):  # a format that wants the original types
        text = record.getMessage()
    return str(cut(text, MAX_TEXT_CHARS))


def _context(record: logging.LogRecord) -> dict[str, object]:
    return {k: cut(getattr(record, k)) for k in CONTEXT_FIELDS if getattr(record, k, None) is not None}


def _traceback(formatter: logging.Formatter, record: logging.LogRecord) -> str:
    text = formatter.formatException(record.exc_info)  # type: ignore[arg-type]
    return "\n".join(str(cut(line, MAX_TEXT_CHARS)) for line in text.splitlines())


class _Plain(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        stamp = datetime.fromtimestamp(record.created, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        context = " ".join(f"{k}={v}" for k, v in _context(record).items() if k != "event")
        line = f"{stamp} {record.levelname.lower():7} {record.name}: {message(record)}"
        line = f"{line} [{context}]" if context else line
        if record.exc_info:
            line += "\n" + _traceback(self, record)
        return mask(line)


class _Json(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": message(record),
        }
        entry.update(_context(record))
        if record.exc_info:
            entry["exception"] = _traceback(self, record)
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
