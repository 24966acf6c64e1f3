"""The desk's password policy, as `crumail user add/password` and the desk apply it."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from crumail.store import users
from support.desk import PASSWORD, client, config, csrf_of, hashed, login, store# noqa: F401  (fixtures)

# (password, the word the refusal must use)
REFUSED = [
    ("aaaaaaaaaa", "12 characters"),                  # accepted before this policy
    ("short one", "12 characters"),
    ("aaaaaaaaaaaaaaaa", "different characters"),
    ("abababababababab", "different characters"),
    ("abcdeabcdeabcdea", "repeated"),
    ("1234512345123451", "repeated"),
    ("abcdefghijklmnop", "sequence"),
    ("ponmlkjihgfedcba", "sequence"),
    ("7890123456789012", "sequence"),
    ("qwertyuiopasdfgh", "sequence"),
    ("Password123456", "common"),
    ("1q2w3e4r5t6y", "common"),
    ("qazwsxedcrfv", "common"),
    ("!!Sunshine2024!!", "common"),
    ("otto.operator", None),                          # the account's name: see below
    ("x" * 1025, "at most"),
]
ACCEPTED = ["a long enough password", "correct horse battery", "Tr0ub4dor&3-stapler",
            "otto's quiet harbour 7"]


@pytest.mark.parametrize("password,why", REFUSED)
def test_weak_passwords_are_refused(password, why):
    from crumail.errors import WeakPasswordError
    from crumail.web.auth import hash_password

    with pytest.raises(WeakPasswordError) as refused:
        hash_password(password, "otto.operator")
    if why:
        assert why in str(refused.value)


@pytest.mark.parametrize("name", ["otto", "Otto", "dana.whitlock@example.police.uk"])
def test_the_account_name_is_not_a_password(name):
    from crumail.errors import WeakPasswordError
    from crumail.web.auth import hash_password

    for password in (name * 4, f"{name}{name}", f"2024!{name.upper()}!!!!!!!!", f"{name.split('@')[0]}123456789"):
        if len(password) < 12:
            continue
        with pytest.raises(WeakPasswordError, match="name|common|repeated|different"):
            hash_password(password, name)


@pytest.mark.parametrize("password", ACCEPTED)
def test_good_passwords_are_accepted(password):
    from crumail.web.auth import hash_password

    assert hash_password(password, "otto").startswith("$argon2id$")


def test_the_common_list_ships_with_the_package():
    from crumail.web import passwords

    common = passwords.common_passwords()
    assert 4000 <= len(common) <= 10000
    assert {"password", "123456", "qwerty", "1q2w3e4r5t6y"} <= common


def _cli(config, *args, password: str):
    from crumail.cli import main

    toml = config.base / "crumail.toml"
    toml.write_text(f'[database]\npath = "{config.database}"\n')
    return CliRunner().invoke(main, ["--config", str(toml), "user", *args, "--password-file", "-"],
                              input=password + "\n")


def test_the_cli_applies_the_policy(config, store):
    weak = _cli(config, "add", "bob", password="aaaaaaaaaa")
    assert weak.exit_code == 1 and "12 characters" in weak.output
    assert users.get_by_name(store, "bob") is None
    assert _cli(config, "add", "bob", password="bob bob bob bob").exit_code == 1
    assert _cli(config, "add", "bob", password="a long enough password").exit_code == 0
    refused = _cli(config, "password", "bob", password="Password123456")
    assert refused.exit_code == 1 and "common" in refused.output
    assert _cli(config, "password", "bob", password="another long passphrase").exit_code == 0


def test_the_desk_applies_the_policy(config, store):
    admin = client(config, store)
    login(admin, "ada")
    token = csrf_of(admin.get("/users"))
    page = admin.post("/users", data={"csrf": token, "name": "eve", "role": "operator",
                                      "password": "aaaaaaaaaa"}, follow_redirects=True)
    assert "12 characters" in page.get_data(as_text=True) and users.get_by_name(store, "eve") is None
    otto = users.get_by_name(store, "otto")["id"]
    page = admin.post(f"/users/{otto}", data={"csrf": token, "action": "password",
                                              "password": "qwertyuiopasdfgh"}, follow_redirects=True)
    assert "sequence" in page.get_data(as_text=True)
    me = client(config, store)
    login(me)
    token = csrf_of(me.get("/account"))
    refused = me.post("/account", data={"csrf": token, "current": PASSWORD, "new": "otto otto otto",
                                        "again": "otto otto otto"})
    assert refused.status_code == 400 and "name" in refused.get_data(as_text=True)
    assert login(client(config, store)).status_code == 303        # the old password still works
    form = me.get("/account").get_data(as_text=True)
    assert 'minlength="12"' in form and "at least 12 characters" in form
