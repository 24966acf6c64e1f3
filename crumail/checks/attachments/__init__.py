"""Every attachment read whole before anything leaves (issue 10).

    findings = check_attachments([("officers.xlsx", data)], context)

Each file goes to a worker process (``worker.py``: memory and time
limits) that tells its kind from the bytes (``detect.py``) and reads it
with the reader for that kind, nested files included (``inspect.py``):

    xlsx.py     xlsx, xlsm: every sheet, hidden rows and columns, comments,
                pivot caches, defined names, external links, embeddings
    sheets.py   ods
    docs.py     docx, odt: body, headers, footers, notes, text boxes,
                comments, tracked changes, hidden text
    pdf.py      text layer, failed redactions, annotations, metadata,
                embedded files, earlier revisions
    tabular.py  csv and plain text
    mail.py     attached .eml and .msg, and OLE files (encrypted Office)
    package.py  zip packages under caps, XML without entities

The worker returns pieces of text with their places and structural marks
(``model.py``); ``judge.py`` runs the ordinary checks over them in the
calling process and applies the rules for what hides.  The caps are in
``caps.py`` (``[attachments]`` in the config).
"""

from __future__ import annotations

from typing import Iterable

from crumail.checks.attachments.caps import Caps
from crumail.checks.attachments.judge import attachment_findings
from crumail.checks.attachments.model import Inspected
from crumail.checks.attachments.worker import inspect_file
from crumail.checks.model import CheckContext, Finding

__all__ = ["Caps", "Inspected", "attachment_findings", "check_attachments", "inspect_file"]


def check_attachments(files: Iterable[tuple[str, bytes]], context: CheckContext, caps: Caps | None = None) -> list[Finding]:
    """Findings in every file (each inspected in its own worker process), labelled by attachment and place."""
    caps = caps or Caps.of(context.limits)
    inspected: list[Inspected] = []
    for name, data in files:
        inspected.extend(inspect_file(name, data, caps))
    return attachment_findings(inspected, context)
