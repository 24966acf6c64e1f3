"""Outbound redaction and marking checks: text, recipients and config in, findings out.

Pure: nothing here reads files or the database.  The one entry point is
:func:`run_checks`; ``crumail check``, approval and the send stage all call
it, so a draft is judged the same way everywhere.

    report = run_checks(text, CheckContext.from_config(config.settings.redaction, recipients))
    report.blocked, report.as_dict()

    # crumail check FILE: an .eml (recipients from its headers) or plain text
    text, report = check_bytes(data, to_addresses, CheckContext.from_config(config.settings.redaction))

The checks, by the name each finding carries:

=================  ===========================================================  =========
check              finds                                                        severity
=================  ===========================================================  =========
email              email addresses                                              block
phone              UK numbers in every written form, by shape and digit count   block
postcode           UK postcodes (known postcode areas)                          block
ni_number          National Insurance numbers                                   block
date_of_birth      a date next to DOB / born / date of birth                    block
vehicle            registrations: current format; older ones by a vehicle word  block
police_id          PNC IDs, CRO numbers, collar and warrant numbers             block
street_address     a house number and a street                                  block
name               gazetteer, staff list, titles, greetings, sign-offs, ...     block
                   a first name on its own                                      warn
marking            OFFICIAL-SENSITIVE, a police-only caveat, or an older marking block, never overridable
                   (RESTRICTED, CONFIDENTIAL, SECRET on a line of its own) to
                   an outside recipient; with no recipients given               warn
                   the same words inside a sentence, going outside              warn
drafting_marker    [insert ...], [NAME], [REDACT], [[...]], {{ ... }}, XXX,     block, never overridable
                   TBC, ??, a line starting "Drafting note:", "Note to self:"
marking_floor      (at approval and send) marked below the draft's sources,     block, never overridable
                   or a caveat of theirs dropped
recipient          (at approval) outside the police network and not the sender  warn, to be confirmed
                   of the message answered (its Reply-To, or added)
attachment         an .eml attachment that is not text (not read)               warn
check_failed       a check that could not run: the draft is held                block
=================  ===========================================================  =========

Every check reads the text normalised (``normalise``: NFKC, invisibles
removed, dashes, look-alike letters and other digits folded); findings point
at the original characters.  The Subject and display names are checked too
(``headers``), their findings labelled with their ``part``.

Personal data blocks but may be released with a written justification
(``Finding.overridable``); a marking sent outside the police network, a
drafting leftover and a lowered marking may not.
"""

from __future__ import annotations

from crumail.checks.drafting import DraftingMarkerCheck
from crumail.checks.eml import check_bytes, check_eml, eml_body, looks_like_eml
from crumail.checks.markings import MarkingCheck, redaction_zones
from crumail.checks.model import Check, CheckContext, CheckReport, Finding
from crumail.checks.names import NameCheck, first_names, learn_names, names_from_signature, names_in
from crumail.checks.personal import PERSONAL_CHECKS, PatternCheck
from crumail.checks.redact import ADDRESS_MARKER, PERSONAL_DATA_MARKER, redact, redaction_diff
from crumail.checks.runner import DEFAULT_CHECKS, run_checks

__all__ = [
    "ADDRESS_MARKER",
    "DEFAULT_CHECKS",
    "PERSONAL_CHECKS",
    "PERSONAL_DATA_MARKER",
    "Check",
    "CheckContext",
    "CheckReport",
    "DraftingMarkerCheck",
    "Finding",
    "MarkingCheck",
    "NameCheck",
    "PatternCheck",
    "check_bytes",
    "check_eml",
    "eml_body",
    "first_names",
    "learn_names",
    "looks_like_eml",
    "names_from_signature",
    "names_in",
    "redact",
    "redaction_diff",
    "redaction_zones",
    "run_checks",
]
