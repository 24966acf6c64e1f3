"""The JSON object printed by ``crumail parse`` (fixed by CONTRACTS.md)."""

from __future__ import annotations

from crumail.extract.model import Extraction
from crumail.model import ParsedMail


def contract(parsed: ParsedMail, extraction: Extraction, file: str | None = None) -> dict:
    """One message, its extraction and its nested messages, as the contract says."""
    body: dict[str, object] = {"file": file} if file is not None else {}
    body.update({
        "kind": extraction.kind,
        "subject": parsed.subject,
        "message_id": parsed.message_id,
        "date": parsed.date.isoformat() if parsed.date else None,
        "from": parsed.from_.as_dict() if parsed.from_ else None,
        "to": [a.as_dict() for a in parsed.to],
        "cc": [a.as_dict() for a in parsed.cc],
        "format": parsed.format,
        "sha256": parsed.sha256,
        "text_source": parsed.text_source,
    })
    body.update(extraction.as_dict())
    body["attachments"] = [a.as_dict() for a in parsed.attachments]
    body["defects"] = list(parsed.defects)
    nested = zip(parsed.nested, extraction.nested or [Extraction()] * len(parsed.nested))
    body["nested"] = [contract(p, e, p.filename) for p, e in nested]
    return body
