"""Drafting: rules, templates, deadlines and log numbers (see ``stage.draft_pending``)."""

from crumail.drafts.model import AuditEntry, Draft, DraftText, Precedent, STATES

__all__ = ["AuditEntry", "Draft", "DraftText", "Precedent", "STATES"]
