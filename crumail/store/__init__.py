"""The store: the only package that speaks SQL.

Raw bytes are stored first and never thrown away; everything else can be
derived again from them (``crumail reprocess``).
"""

from crumail.store.db import open_database, transaction

__all__ = ["open_database", "transaction"]
