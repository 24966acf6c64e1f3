"""Passwords, login throttling and sessions for the desk.

Passwords are hashed with argon2id (memory-hard).  A login is refused
without even looking at the password once an account name has failed
``NAME_LIMIT`` times in a row (or a client address ``ADDRESS_LIMIT`` times),
until a wait that doubles with each further failure has passed: five wrong
passwords slow the sixth attempt down by ``FIRST_WAIT`` seconds.  An attempt
is counted before its password is checked (and given back when it was
right), so concurrent guesses cannot slip past the count.  New passwords
must pass the policy in :mod:`crumail.web.passwords`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlite_utils import Database

from crumail import clock
from crumail.errors import WeakPasswordError
from crumail.store import sessions, users
from crumail.store.db import transaction
from crumail.web import passwords
from crumail.web.security import new_token

NAME_LIMIT = 5
ADDRESS_LIMIT = 20
FIRST_WAIT = 30
LONGEST_WAIT = 15 * 60
FORGET_AFTER = 60 * 60    # failures older than this (the last of them) are forgotten

_hasher = PasswordHasher()
# Checked against when the name is unknown, so that a wrong name costs the
# same time as a wrong password and does not tell which accounts exist.
_DUMMY_HASH = _hasher.hash("not a password anyone has")


def hash_password(password: str, name: str) -> str:
    """The argon2id hash of a new password for account ``name``; raises
    WeakPasswordError when the policy (crumail.web.passwords) refuses it."""
    reason = passwords.problem(password, name)
    if reason:
        raise WeakPasswordError(reason)
    return _hasher.hash(password)


@dataclass(frozen=True)
class LoginResult:
    user: int | None = None
    wait: int = 0            # seconds to wait before trying again
    throttled: bool = False  # refused without looking at the password

    @property
    def ok(self) -> bool:
        return self.user is not None


def throttle_keys(name: str, address: str | None) -> list[tuple[str, int]]:
    keys = [(f"name:{name.strip().casefold()}", NAME_LIMIT)]
    if address:
        keys.append((f"addr:{address}", ADDRESS_LIMIT))
    return keys


def seconds_to_wait(db: Database, keys: list[tuple[str, int]]) -> int:
    """How long the attempt must wait (0: go ahead)."""
    longest = 0
    now = clock.now()
    for key, limit in keys:
        failures, last = sessions.failures(db, key)
        if failures < limit or last is None:
            continue
        wait = min(FIRST_WAIT * 2 ** (failures - limit), LONGEST_WAIT)
        remaining = wait - (now - datetime.fromisoformat(last)).total_seconds()
        longest = max(longest, int(remaining + 0.999))
    return longest


def attempt_login(db: Database, name: str, password: str, address: str | None) -> LoginResult:
    keys = throttle_keys(name, address)
    wait = _reserve_attempt(db, keys)
    if wait > 0:
        return LoginResult(wait=wait, throttled=True)
    user = _verify(db, name, password)
    if user is None:
        return LoginResult(wait=seconds_to_wait(db, keys))
    with transaction(db):
        for key, _ in keys:
            if key.startswith("name:"):
                sessions.clear_failures(db, key)
            else:
                sessions.release_attempt(db, key)
    return LoginResult(user=user)


def _reserve_attempt(db: Database, keys: list[tuple[str, int]]) -> int:
    """Count the attempt as a failure *before* the password is looked at, in
    one write transaction (``BEGIN IMMEDIATE`` serialises them across threads
    and processes), so that concurrent guesses see each other: however many
    arrive at once, at most ``NAME_LIMIT`` passwords are checked before the
    first wait.  Returns the wait (0: the attempt is reserved; a good
    password then takes it back)."""
    with transaction(db):
        for key, _ in keys:
            _forget_if_old(db, key)
        wait = seconds_to_wait(db, keys)
        if wait == 0:
            for key, _ in keys:
                sessions.note_failure(db, key)
    return wait


def _forget_if_old(db: Database, key: str) -> None:
    """A run of failures long past does not count towards a new one."""
    _, last = sessions.failures(db, key)
    if last and (clock.now() - datetime.fromisoformat(last)).total_seconds() > FORGET_AFTER:
        sessions.clear_failures(db, key)


def _verify(db: Database, name: str, password: str) -> int | None:
    found = users.password_hash(db, name.strip())
    stored = found[1] if found else _DUMMY_HASH
    try:
        _hasher.verify(stored, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return None
    if found is None:
        return None
    if _hasher.check_needs_rehash(stored):
        with transaction(db):
            users.set_password(db, found[0], _hasher.hash(password))
    return found[0]


def open_session(db: Database, user: int, lifetime: timedelta, address: str | None,
                 idle: timedelta | None = None) -> str:
    """A new session for ``user``; returns the token for the cookie.  Sessions
    that have expired (or sat idle longer than ``idle``) are cleared away."""
    token = new_token()
    idle_before = clock.stamp(clock.now() - idle) if idle else None
    with transaction(db):
        sessions.purge_expired(db, idle_before)
        sessions.create(db, token, user, new_token(), lifetime, address)
    return token


def change_password(db: Database, user: int, password_hash: str, lifetime: timedelta,
                    address: str | None) -> str:
    """Set ``user``'s password and end every session of theirs, whoever holds
    it (a stolen cookie must not outlive the change); returns the token of a
    fresh session for the person who changed it."""
    token = new_token()
    with transaction(db):
        users.set_password(db, user, password_hash)
        sessions.delete_for_user(db, user)
        sessions.create(db, token, user, new_token(), lifetime, address)
    return token


def close_session(db: Database, token: str) -> None:
    with transaction(db):
        sessions.delete(db, token)
