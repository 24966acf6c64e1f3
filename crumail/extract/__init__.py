"""Extraction: ParsedMail in, Extraction out (pure functions, never raises)."""

from crumail.extract.model import Advice, CrossReference, Extraction, Question
from crumail.extract.reader import extract

__all__ = ["Advice", "CrossReference", "Extraction", "Question", "extract"]
