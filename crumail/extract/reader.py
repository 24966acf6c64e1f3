"""Placeholder until the extraction stage lands: every field empty."""

from crumail.extract.model import Extraction
from crumail.model import ParsedMail


def extract(parsed: ParsedMail) -> Extraction:
    return Extraction(nested=tuple(extract(n) for n in parsed.nested))
