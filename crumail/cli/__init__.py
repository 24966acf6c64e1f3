"""crumail's command line: ``main`` and every command registered on it."""

from crumail.cli.app import main
from crumail.cli import intake, quarantine  # noqa: F401  (they register commands)

__all__ = ["main"]
