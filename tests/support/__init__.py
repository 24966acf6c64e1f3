"""What the tests are built from: mail and config builders, the crumail
process runner, the desk's clients, and the real servers (``servers/``,
loaded as pytest plugins by tests/conftest.py).  Test modules import from
here, never from one another."""
