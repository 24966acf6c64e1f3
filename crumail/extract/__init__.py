"""Extraction: ParsedMail in, Extraction out (pure functions, never raises).

    extract/reader      extract(): the orchestration and the error boundary
    extract/model       Extraction, Question, Advice, CrossReference
    extract/text        the body as plain lines (HTML read again by parse/text)
    extract/quoting     the sender's own text and the quoted mail below it
    extract/kinds       circulation, forward, referral, query, receipt, out of office
    extract/lognumbers  unit log numbers in every written form -> N/YY
    extract/dates       British dates -> ISO
    extract/fields      Case worker / Logged with / Sent from
    extract/sections    where the request, the advice and the sign-off sit
    extract/questions   the applicant's questions, however numbered
    extract/advice      advice groups headed by the questions they answer
    extract/exemptions  FOIA s12, s14, s21-s44 cited
    extract/markings    protective marking, handling caveats, redaction markers
    extract/xrefs       question mappings between logs

Beside the extractor, not part of it:

    extract/contract    the object ``crumail parse --json`` prints: a message,
                        its extraction and its nested messages
    extract/evaluate    ``crumail eval DIR``: that object against the
                        ``.expected.json`` beside each mail file (it reads files)
"""

from crumail.extract.model import Advice, CrossReference, Extraction, Question
from crumail.extract.reader import extract

__all__ = ["Advice", "CrossReference", "Extraction", "Question", "extract"]
