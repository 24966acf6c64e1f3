"""Caps on everything a sender (or a desk user) controls, with their defaults.

Every cap is written here once, as a field default, and set in the config
table its metadata names (mostly ``[intake]``); the README's *Caps* table
names each with its key and says what happens beyond it.
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

from dataclasses import dataclass, field, fields
from typing import Any, Mapping

from crumail.errors import ConfigError

MIB = 1024 * 1024


def _cap(default: int, table: str = "intake") -> Any:
    return field(default=default, metadata={"table": table})


@dataclass(frozen=True)
class Limits:
    #: Exchange Online refuses mail over 25 MB by default; bigger is quarantined.
    max_message_bytes: int = _cap(25 * MIB)
    #: A Subject longer than this is cut (a draft quotes it in its own subject).
    max_subject_chars: int = _cap(1000)
    #: Any other header value (each address header included) longer than this is cut.
    max_header_chars: int = _cap(32 * 1024)
    #: Addresses kept from From, To, Cc, Bcc and Reply-To together.
    max_recipients: int = _cap(500)
    #: An Outlook compressed RTF body is cut once decompressed to this size.
    max_rtf_bytes: int = _cap(1 * MIB)
    #: An Outlook .msg holding a stream (an attachment, a body) bigger than this is
    #: quarantined: extract-msg reads each whole.  (An .eml's parts are read as a stream.)
    max_attachment_bytes: int = _cap(25 * MIB)
    #: Directory entries of an Outlook .msg (its libraries slow down with their square).
    max_outlook_entries: int = _cap(3000)
    #: Body text read from one message, plain and HTML each (extraction and the
    #: checks then read at most this; the raw bytes keep the rest).
    max_body_chars: int = _cap(1 * MIB)
    #: The applicant's questions read from one message (the advice draft has a block each).
    max_questions: int = _cap(200)
    #: Advice blocks read from one message.
    max_advice: int = _cap(200)
    #: Findings marked and listed on a draft's page; the rest are counted.
    max_findings_shown: int = _cap(500, "web")
    #: Replacements shown by a redaction preview (desk and CLI); saving applies them all.
    max_diff_changes: int = _cap(500, "redaction")
    #: A draft's subject, and its recipients, as an operator may edit them.
    max_draft_subject_chars: int = _cap(2000, "drafts")
    max_draft_recipients: int = _cap(100, "drafts")
    #: A file an operator attaches to a draft, and how many one draft may carry.
    max_draft_attachment_bytes: int = _cap(10 * MIB, "drafts")
    max_draft_attachments: int = _cap(20, "drafts")

    #: Attachments: a file bigger than this is not inspected (unreadable: it blocks).
    max_attachment_inspect_bytes: int = _cap(25 * MIB, "attachments")
    #: All the parts of one zip package (xlsx, docx, ods ...) inflated together.
    max_attachment_unpacked_bytes: int = _cap(256 * MIB, "attachments")
    max_attachment_zip_entries: int = _cap(10_000, "attachments")
    #: Inflated to compressed size of a part over 1 MiB (Office parts stay under 10:1; bombs reach 1,000:1).
    max_attachment_zip_ratio: int = _cap(100, "attachments")
    #: A PDF whose cross-reference table claims more objects, or more pages, is not opened.
    max_attachment_pdf_objects: int = _cap(50_000, "attachments")
    max_attachment_pdf_pages: int = _cap(5_000, "attachments")
    #: Files within files (an .eml in a .docx in an .eml ...).
    max_attachment_depth: int = _cap(5, "attachments")
    #: The worker process that reads one attachment: address space and wall-clock seconds.
    max_attachment_memory_bytes: int = _cap(500 * 1000 * 1000, "attachments")
    #: (hostile files are refused by the pre-checks in well under a second; this is the backstop)
    max_attachment_seconds: int = _cap(30, "attachments")

    @classmethod
    def from_config(cls, raw: Mapping[str, Any]) -> "Limits":
        """The caps in the parsed config file; a cap that is not a positive whole
        number is a ConfigError."""
        values = {}
        for item in fields(cls):
            table = item.metadata["table"]
            section = raw.get(table, {})
            if isinstance(section, Mapping) and item.name in section:
                values[item.name] = _positive(f"[{table}] {item.name}", section[item.name])
        return cls(**values)

    @staticmethod
    def key(name: str) -> str:
        """Where a cap is set, as the README and messages name it: ``[intake] max_recipients``."""
        return f"[{Limits.__dataclass_fields__[name].metadata['table']}] {name}"


def _positive(key: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ConfigError(f"{key} must be a whole number above 0, not {value!r}")
    return value


DEFAULT = Limits()
