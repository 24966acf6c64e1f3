"""The desk's password policy (pure: a password and a name in, a reason out).

A desk account can approve mail that leaves the police network, and the
desk may be reached from the unit's network, so its passwords must stand up
to guessing: offline, against a stolen argon2 hash, as well as online,
where the login throttle allows only five tries.  The rules, after NIST
SP 800-63B (length first, a list of known-bad passwords, no composition
rules):

* at least ``MIN_LENGTH`` characters (12: long enough that an attacker
  holding a copy of the database cannot work through the space of
  human-chosen passwords in argon2id time; a passphrase of three words
  is easily as long), at most ``MAX_LENGTH`` (the hash of anything longer
  is wasted work a stranger could make the desk do);
* not one or a few characters repeated, nor a run along the alphabet, the
  digits or a keyboard row;
* not one of the common passwords in ``common-passwords.txt`` (shipped in
  the package; its header says where it comes from), nor one of them with
  only digits, punctuation or spaces around it;
* not the account's name, nor the name with only those around it.
"""

from __future__ import annotations

import string
from functools import lru_cache
from pathlib import Path

MIN_LENGTH = 12
MAX_LENGTH = 1024
MIN_DISTINCT = 4
COMMON_LIST = Path(__file__).parent / "common-passwords.txt"
_PADDING = string.digits + string.punctuation + " "
_LONGEST_UNIT = 8            # "abcdabcdabcd": a unit this long or shorter, repeated
_SEQUENCES = ("abcdefghijklmnopqrstuvwxyz", "0123456789", "qwertyuiopasdfghjklzxcvbnm",
              "1234567890-=", "1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p")


def problem(password: str, name: str) -> str | None:
    """Why ``password`` may not be the password of account ``name``, or None."""
    if len(password) < MIN_LENGTH:
        return f"a password needs at least {MIN_LENGTH} characters (a few words make a good one)"
    if len(password) > MAX_LENGTH:
        return f"a password has at most {MAX_LENGTH} characters"
    folded = password.casefold()
    core = folded.strip(_PADDING)
    for check in (_too_plain, _named, _common):
        reason = check(folded, core, name.casefold())
        if reason:
            return reason
    return None


def _too_plain(folded: str, core: str, name: str) -> str | None:
    if len(set(folded)) < MIN_DISTINCT:
        return f"this password uses fewer than {MIN_DISTINCT} different characters"
    if _repeated(folded):
        return "this password is a few characters repeated"
    if any(_along(folded, sequence) for sequence in _SEQUENCES):
        return "this password is a sequence (the alphabet, digits or a keyboard row)"
    return None


def _repeated(text: str) -> bool:
    """``text`` is a short unit said over and over (the last time perhaps cut off)."""
    for size in range(1, min(_LONGEST_UNIT, len(text) // 2) + 1):
        unit = text[:size]
        if (unit * (len(text) // size + 1))[:len(text)] == text:
            return True
    return False


def _along(text: str, sequence: str) -> bool:
    """``text`` is a run along ``sequence`` (round and round), either way."""
    ring = sequence * (len(text) // len(sequence) + 2)
    return text in ring or text in ring[::-1]


def _named(folded: str, core: str, name: str) -> str | None:
    names = {name, name.split("@")[0]} - {""}
    for n in names | {n[::-1] for n in names}:
        if not core.replace(n, " ").strip(_PADDING):      # the name, once or more, and padding
            return "a password cannot be the account's name"
    return None


def _common(folded: str, core: str, name: str) -> str | None:
    common = common_passwords()
    if folded in common or core in common or core.replace(" ", "") in common:
        return "this is one of the most common passwords: choose another"
    return None


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """The shipped list (lower case), read once."""
    lines = COMMON_LIST.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))
