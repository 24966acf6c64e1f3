"""Drafting: rules, templates, deadlines and log numbers (see ``stage.draft_pending``)."""
