"""The store: the only package that speaks SQL.

Raw bytes are stored first and never thrown away; everything else can be
derived again from them (``crumail reprocess``).

The store sits below every stage that uses it, so it imports only the
bottom layer: ``crumail.model`` (the values it keeps), ``crumail.errors``,
``crumail.limits`` and ``crumail.extract.model`` (what extraction found),
besides its own modules.  Whatever a stage above knows is passed in: the
message to store carries the names its gazetteer learns
(``messages.Storable``), and a stage's kind of message travels in its
extraction.  tests/test_architecture.py holds the store to this.
"""

from crumail.store.db import open_database, transaction

__all__ = ["open_database", "transaction"]
