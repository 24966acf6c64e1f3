"""Review: one state machine for every draft, and the exact message it approves.

    review/machine   the states, the actions (edit, approve, reject, redact,
                     confirm, requeue) and four eyes, shared by the CLI and the desk
    review/message   the exact bytes of an outbound mail, built the same way
                     at approval and at send
    review/verify    the checks over those bytes, as their recipients read them
    review/attach    files attached to a draft (they leave with it, inspected whole)

The send stage builds on all three (``crumail.send`` imports review, never
the reverse): approval fixes the Message-ID, the Date and the hash of the
bytes; sending builds them again and refuses them if anything changed.

Everyone calls the machine through this package: ``review.approve(...)``.
"""

from crumail.review.attach import attach, clean_file, detach, findings_by_file, replace_file
from crumail.review.machine import (
    APPROVABLE,
    EDITABLE,
    MIN_JUSTIFICATION,
    REJECTABLE,
    ApprovalBlocked,
    DraftNotFound,
    InvalidTransition,
    MissingInput,
    Redaction,
    ReviewError,
    SecondApproverNeeded,
    UnknownActor,
    actor,
    apply_redaction,
    approve,
    check_draft,
    confirm_sent,
    edit,
    four_eyes,
    get_draft,
    history,
    list_drafts,
    propose_redaction,
    record,
    reject,
    requeue,
    writers,
)

__all__ = [
    "APPROVABLE",
    "EDITABLE",
    "MIN_JUSTIFICATION",
    "REJECTABLE",
    "ApprovalBlocked",
    "DraftNotFound",
    "InvalidTransition",
    "MissingInput",
    "Redaction",
    "ReviewError",
    "SecondApproverNeeded",
    "UnknownActor",
    "actor",
    "apply_redaction",
    "approve",
    "attach",
    "clean_file",
    "detach",
    "findings_by_file",
    "check_draft",
    "confirm_sent",
    "edit",
    "four_eyes",
    "get_draft",
    "history",
    "list_drafts",
    "propose_redaction",
    "record",
    "reject",
    "replace_file",
    "requeue",
    "writers",
]
