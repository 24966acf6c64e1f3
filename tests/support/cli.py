"""``crumail`` commands run in the test's own process (click's CliRunner), as
fixtures: import them by name (``from support.cli import cli  # noqa: F401``).

* ``cli``: a config with a database and a drop folder in the test's folder;
* ``casebook_cli``: a database already holding the seed circulation (43/23
  with 1355/22 inside) and a log whose fields are spreadsheet formulas.
"""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from click.testing import CliRunner

from crumail.cli import main
from crumail.extract.model import Extraction, Question
from crumail.store import open_database
from support.casebook import parsed_mail, seed_extraction, seed_parsed, store


@pytest.fixture
def cli(tmp_path):
    config = tmp_path / "crumail.toml"
    config.write_text(
        '[database]\npath = "crumail.db"\n\n[drafts]\nmax_age_days = 0\n\n'
        '[[source]]\ntype = "directory"\npath = "inbox"\n'
    )
    runner = CliRunner()

    def invoke(*args: str, input: bytes | None = None):
        return runner.invoke(main, ["--config", str(config), *args], input=input,
                             catch_exceptions=False)

    invoke.base = tmp_path
    return invoke


@pytest.fixture
def casebook_cli(tmp_path):
    database = tmp_path / "crumail.db"
    db = open_database(database)
    store(db, "seed", seed_extraction(), seed_parsed())
    hostile = Extraction(kind="circulation", log_numbers=("7/24",), primary_log="7/24",
                         logged_with="=HYPERLINK(\"http://example.org\")",
                         questions=(Question(1, "1.", "=1+1 and \x07 how many sex offenders?"),))
    store(db, "hostile", hostile, parsed_mail("hostile", datetime(2024, 1, 2, tzinfo=timezone.utc)))
    db.close()
    config = tmp_path / "crumail.toml"
    config.write_text(f'[database]\npath = "{database}"\n')

    def run(*args: str):
        result = CliRunner().invoke(main, ["--config", str(config), *args])
        assert result.exception is None or isinstance(result.exception, SystemExit), result.output
        return result

    return run
