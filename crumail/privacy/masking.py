"""Personal data out of stored text: the outbound checks' detectors (and the
gazetteer of names learnt from mail) find it, the redaction code's markers
replace it: ``S.40(2)`` for names and personal data, ``S.31(1)`` for
addresses, exactly as a draft is redacted before it goes out."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterable

from crumail.checks import CheckContext, PERSONAL_DATA_MARKER, redact, run_checks
from crumail.settings import RedactionSettings

#: Extraction fields that hold a person and nothing else: replaced whole.
PERSON_FIELDS = frozenset({"case_worker"})
#: Extraction fields that are codes, never personal data: kept as they are.
KEPT_FIELDS = frozenset({"kind", "log_numbers", "primary_log", "related_logs", "log", "circulation_date",
                         "protective_marking", "handling_caveats", "exemptions", "redaction_markers",
                         "logged_with"})


@dataclass(frozen=True)
class Masker:
    """Masks text with one check context (built once per run)."""

    context: CheckContext
    #: A named person's own forms (an erasure on request), masked first.
    extra: tuple[re.Pattern[str], ...] = ()

    @classmethod
    def build(cls, redaction: RedactionSettings, names: Iterable[str],
              extra: Iterable[re.Pattern[str]] = ()) -> "Masker":
        return cls(CheckContext.from_config(redaction, names=names), tuple(extra))

    def text(self, value: str) -> str:
        if not value or not value.strip():
            return value
        for pattern in self.extra:
            value = pattern.sub(PERSONAL_DATA_MARKER, value)
        return redact(value, run_checks(value, self.context).findings)

    def extraction(self, value: Any, key: str = "") -> Any:
        """An extraction's dict with every free-text string masked."""
        if isinstance(value, dict):
            return {k: self.extraction(v, k) for k, v in value.items()}
        if isinstance(value, list):
            return [self.extraction(v, key) for v in value]
        if not isinstance(value, str) or key in KEPT_FIELDS:
            return value
        if key in PERSON_FIELDS:
            return PERSONAL_DATA_MARKER
        return self.text(value)
