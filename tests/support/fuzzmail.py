"""A small, seeded mail fuzzer: mutations of the valid mail in tests/data.

Each mutation is one a hostile or broken sender really produces: a charset
that names a non-text codec (``base64``, ``zlib``, ``rot13``, ``punycode``
...), an Outlook code page only some processes know, a NUL, an RFC 2047
word or RFC 2231 file name in such a charset, a flipped byte, a cut, a
duplicated slice.  The same seed always gives the same corpus.
"""

from __future__ import annotations

import random
from typing import Callable, Iterator

from support.paths import DATA


HOSTILE_CHARSETS = [
    b"base64", b"hex", b"zlib", b"bz2", b"uu", b"rot13", b"rot-13", b"quopri", b"punycode", b"idna",
    b"unicode_escape", b"raw_unicode_escape", b"undefined", b"charmap", b"utf-8\x00", b"x\x00y",
    b"no-such-charset", b"", b'"', b"utf-16", b"utf-7", b"iso-2022-jp",
    # Outlook code pages registered by extract-msg and ebcdic on import
    b"cp1025", b"cp1047", b"cp290", b"x-mac-ce", b"windows-874", b"x-mac-cyrillic",
]


def seeds() -> list[bytes]:
    return [p.read_bytes() for p in sorted(DATA.glob("*.eml"))]


def _declare(rng: random.Random, data: bytes) -> bytes:
    charset = rng.choice(HOSTILE_CHARSETS)
    if b"charset=" in data:
        return data.replace(b"charset=", b"charset=" + charset + b"; x=", 1)
    return data.replace(b"Content-Type: text/plain", b"Content-Type: text/plain; charset=" + charset, 1)


def _encoded_word(rng: random.Random, data: bytes) -> bytes:
    header = rng.choice([b"Subject: ", b"From: ", b"To: ", b"Cc: "])
    word = b"=?" + rng.choice(HOSTILE_CHARSETS) + rng.choice([b"?B?aGVsbG8=?= ", b"?Q?h=41llo_=5Cx41?= "])
    return data.replace(header, header + word, 1)


def _file_name(rng: random.Random, data: bytes) -> bytes:
    charset = rng.choice(HOSTILE_CHARSETS).replace(b'"', b"")
    return data.replace(b"Content-Type: text/plain", b"Content-Type: application/pdf; name*=" + charset
                        + b"''caf%E9%00.pdf", 1)


def _nul(rng: random.Random, data: bytes) -> bytes:
    at = rng.randrange(len(data))
    return data[:at] + b"\x00" * rng.randint(1, 3) + data[at:]


def _flip(rng: random.Random, data: bytes) -> bytes:
    at = rng.randrange(len(data))
    return data[:at] + bytes([rng.randrange(256)]) + data[at + 1:]


def _splice(rng: random.Random, data: bytes) -> bytes:
    at, start = rng.randrange(len(data)), rng.randrange(len(data))
    return data[:at] + data[start:start + rng.randrange(400)] + data[at:]


def _cut(rng: random.Random, data: bytes) -> bytes:
    return data[: rng.randrange(1, len(data))]


MUTATIONS: list[Callable[[random.Random, bytes], bytes]] = [
    _declare, _declare, _encoded_word, _file_name, _nul, _flip, _splice, _cut,
]


def corpus(count: int, seed: int = 9) -> Iterator[tuple[str, bytes]]:
    """``count`` (name, bytes) inputs, each one to three mutations of a valid mail."""
    rng = random.Random(seed)
    valid = seeds()
    for n in range(count):
        data = rng.choice(valid)
        steps = [rng.choice(MUTATIONS) for _ in range(rng.randint(1, 3))]
        for step in steps:
            data = step(rng, data) or data
        yield f"fuzz-{n:04d}-{'-'.join(s.__name__.strip('_') for s in steps)}.eml", data
