"""Where the suite finds things, and the one rule for what is not in the repository.

Everything the tests need is in the repository or generated, except the
real samples in ``../shared/`` beside the checkout (``seed/`` and
``corpus/msg/``, read in place, never copied here).  A test that reads them
asks :func:`shared` for the path: where the folder is absent it skips,
naming the folder; under ``CI=true`` it fails, so the samples are never
silently left out where they should be.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parents[1]
REPO = TESTS.parent
DATA = TESTS / "data"
SHARED = REPO.parent / "shared"
IN_CI = os.environ.get("CI") == "true"

SEED = Path("seed") / "cru-circulation-43-23.eml"
CORPUS_MSG = Path("corpus") / "msg"


def missing(why: str) -> None:
    """Skip the test for ``why``; under ``CI=true`` fail it instead."""
    if IN_CI:
        pytest.fail(f"{why} (CI=true: what the suite needs must be there)", pytrace=False)
    pytest.skip(why)


def shared(relative: Path | str) -> Path:
    """``../shared/RELATIVE``, or skip (fail under CI) when it is not there."""
    path = SHARED / relative
    if not path.exists():
        absent = SHARED if not SHARED.is_dir() else path
        missing(f"needs the real samples in ../shared/{relative} ({absent} is absent)")
    return path


def seed() -> Path:
    """The seed circulation (43/23 with 1355/22 attached), from ../shared."""
    return shared(SEED)


def corpus_msg() -> Path:
    """The folder of real Outlook .msg samples, from ../shared."""
    return shared(CORPUS_MSG)
