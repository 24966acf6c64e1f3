"""The caps the attachment inspectors work under, as one picklable value.

Set in the config's ``[attachments]`` table (crumail.limits holds the
defaults); each refusal names the cap and the numbers, and the attachment
is then ``unreadable`` (it blocks, overridable with a justification).
"""

from __future__ import annotations

from dataclasses import dataclass

from crumail.errors import UnreadableAttachmentError
from crumail.limits import DEFAULT, Limits


@dataclass(frozen=True)
class Caps:
    max_bytes: int = DEFAULT.max_attachment_inspect_bytes
    max_unpacked_bytes: int = DEFAULT.max_attachment_unpacked_bytes
    max_zip_entries: int = DEFAULT.max_attachment_zip_entries
    max_zip_ratio: int = DEFAULT.max_attachment_zip_ratio
    max_pdf_objects: int = DEFAULT.max_attachment_pdf_objects
    max_pdf_pages: int = DEFAULT.max_attachment_pdf_pages
    max_depth: int = DEFAULT.max_attachment_depth
    memory_bytes: int = DEFAULT.max_attachment_memory_bytes
    seconds: int = DEFAULT.max_attachment_seconds

    @classmethod
    def of(cls, limits: Limits) -> "Caps":
        return cls(
            limits.max_attachment_inspect_bytes, limits.max_attachment_unpacked_bytes,
            limits.max_attachment_zip_entries, limits.max_attachment_zip_ratio,
            limits.max_attachment_pdf_objects, limits.max_attachment_pdf_pages,
            limits.max_attachment_depth, limits.max_attachment_memory_bytes, limits.max_attachment_seconds,
        )


def over(what: str, value: int, cap: int, key: str) -> UnreadableAttachmentError:
    """The error for a cap exceeded, naming it and both numbers."""
    return UnreadableAttachmentError(f"{what} ({value:,}) is over the cap of {cap:,} ([attachments] {key}): "
                                     "not inspected")
