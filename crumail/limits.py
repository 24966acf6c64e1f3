"""Caps on everything a sender (or a desk user) controls, with their defaults.

Every cap is written here once, as a field default with what it means, and
set in the config table its metadata names (mostly ``[intake]``): the
settings of that table (crumail/settings/tables.py) take each as a key
checked like any other.  The README's *Caps* table names each with its key
and says what happens beyond it.
A message over ``max_message_bytes`` (or an Outlook file over
``max_attachment_bytes`` or ``max_outlook_entries``) is quarantined with a
reason; past the other intake caps the parser or the extractor keeps the
first part, drops the rest and says so in the message's defects
(``crumail parse --json``: ``defects``, ``extraction_problems``).  Raw bytes
are always kept whole, so ``crumail reprocess`` after raising a cap reads
the rest.  The desk's caps bound what a page shows (the rest is counted);
the drafts' caps refuse an edit.

``Limits`` is a frozen dataclass of ints: it crosses into the parser worker
processes with each batch.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

MIB = 1024 * 1024


def _cap(default: int, doc: str, table: str = "intake") -> Any:
    return field(default=default, metadata={"table": table, "doc": doc})


@dataclass(frozen=True)
class Limits:
    max_message_bytes: int = _cap(
        25 * MIB, "a message larger than this is quarantined (Exchange Online refuses mail over 25 MB by default)")
    max_subject_chars: int = _cap(1000, "a Subject longer than this is cut (a draft quotes it in its own subject)")
    max_header_chars: int = _cap(
        32 * 1024, "any other header value (each address header included) longer than this is cut")
    max_recipients: int = _cap(500, "addresses kept from From, To, Cc, Bcc and Reply-To together")
    max_rtf_bytes: int = _cap(1 * MIB, "Outlook's compressed RTF is cut once decompressed to this size")
    max_attachment_bytes: int = _cap(
        25 * MIB, "an Outlook .msg holding a stream (an attachment, a body) bigger than this is quarantined: "
        "extract-msg reads each whole (an .eml's parts are read as a stream)")
    max_outlook_entries: int = _cap(
        3000, "directory entries of an Outlook .msg (its libraries slow down with their square); "
        "more is quarantined")
    max_body_chars: int = _cap(
        1 * MIB, "body text read from one message, plain and HTML each (the raw bytes keep the rest)")
    max_questions: int = _cap(200, "the applicant's questions read from one message (the advice draft has a block each)")
    max_advice: int = _cap(200, "advice blocks read from one message")
    max_findings_shown: int = _cap(500, "findings marked and listed on a draft's page; the rest are counted", "web")
    max_diff_changes: int = _cap(
        500, "replacements shown by a redaction preview (desk and CLI); saving applies them all", "redaction")
    max_draft_subject_chars: int = _cap(2000, "a draft's subject, as an operator may edit it", "drafts")
    max_draft_recipients: int = _cap(100, "a draft's recipients (To and Cc), as an operator may edit them", "drafts")
    max_draft_attachment_bytes: int = _cap(10 * MIB, "a file an operator attaches to a draft", "drafts")
    max_draft_attachments: int = _cap(20, "files one draft may carry", "drafts")
    max_attachment_inspect_bytes: int = _cap(
        25 * MIB, "an outbound attachment bigger than this is not inspected: unreadable, it blocks", "attachments")
    max_attachment_unpacked_bytes: int = _cap(
        256 * MIB, "all the parts of one zip package (xlsx, docx, ods ...) inflated together", "attachments")
    max_attachment_zip_entries: int = _cap(10_000, "entries of one zip package", "attachments")
    max_attachment_zip_ratio: int = _cap(
        100, "inflated to compressed size of a part over 1 MiB (Office parts stay under 10:1; bombs reach 1,000:1)",
        "attachments")
    max_attachment_pdf_objects: int = _cap(
        50_000, "a PDF whose cross-reference table claims more objects is not opened", "attachments")
    max_attachment_pdf_pages: int = _cap(5_000, "a PDF with more pages is not opened", "attachments")
    max_attachment_depth: int = _cap(5, "files within files (an .eml in a .docx in an .eml ...)", "attachments")
    max_attachment_memory_bytes: int = _cap(
        500 * 1000 * 1000, "address space of the worker process that reads one attachment", "attachments")
    max_attachment_seconds: int = _cap(
        30, "wall-clock seconds of that worker (hostile files are refused by the pre-checks well before)",
        "attachments")

    @staticmethod
    def key(name: str) -> str:
        """Where a cap is set, as the README and messages name it: ``[intake] max_recipients``."""
        return f"[{Limits.__dataclass_fields__[name].metadata['table']}] {name}"


DEFAULT = Limits()
