"""Reading a TOML table into a frozen dataclass, checked by its type hints.

Every table of the config is a frozen dataclass whose fields are its keys.
A field says its default once, its meaning (``doc``, for the README's
tables and ``crumail config check``) and, when the TOML key is not a
Python name, the key (``[smtp] from``).  :func:`read` walks a parsed table
against the dataclass's type hints: an unknown key, a value of the wrong
type or a choice not offered is a :class:`~crumail.errors.ConfigError`
naming the file and the key as a dotted path (``web.port``,
``source[2].interval``: the second ``[[source]]`` table), with the closest
known key when the unknown one looks misspelt.

Supported hints: ``bool``, ``int``, ``float`` (an integer is accepted),
``str``, ``Path`` (resolved against the config file's folder), ``Literal``
choices, ``X | None`` (optional: TOML has no null), unions of the above,
``tuple[X, ...]`` (a TOML array), ``dict[str, X]`` (a table of tables or
values), another settings dataclass (a sub-table), and ``Any``.

After its keys are read, a dataclass may refine itself with a ``checked``
method (``port`` from ``security``, a key that needs another): it gets the
dataclass and the :class:`Where` and returns the dataclass to keep.
"""

from __future__ import annotations

import difflib
import types
import typing
from dataclasses import MISSING, Field, dataclass, field, fields, is_dataclass
from pathlib import Path
from typing import Any, Literal, TypeVar, Union

from crumail.errors import ConfigError

T = TypeVar("T")

#: How much of a wrong value an error message quotes (a config is not hostile,
#: but one line should stay one line).
QUOTED_CHARS = 60
#: Keys that look like a secret written into the file: refused with a hint.
SECRET_WORDS = ("password", "secret", "token")


def setting(default: Any, doc: str, *, key: str | None = None, minimum: float | None = None,
            shown: bool = True, lone_string: bool = False) -> Any:
    """A config key: its default (written here only, in TOML form), what it
    means, and optionally its TOML name, a lower bound, ``shown=False`` for a
    value ``crumail config check`` must not print, and ``lone_string`` for
    arrays of names where one name may be written without brackets."""
    metadata = {"doc": doc, "key": key, "minimum": minimum, "shown": shown, "lone_string": lone_string}
    if isinstance(default, (dict, list)):
        return field(default_factory=lambda: type(default)(default), metadata=metadata)
    return field(default=default, metadata=metadata)


def key_of(item: Field) -> str:
    """The TOML key of a settings field."""
    return item.metadata.get("key") or item.name


def default_of(item: Field) -> Any:
    if item.default is not MISSING:
        return item.default
    if item.default_factory is not MISSING:
        return item.default_factory()
    return MISSING


@dataclass(frozen=True)
class Where:
    """Where a value sits: the file and the dotted key path, for messages."""

    file: str
    path: str = ""
    base: Path = Path(".")

    def key(self, name: str) -> "Where":
        name = name if name.replace("_", "").replace("-", "").isalnum() else f'"{name}"'
        return Where(self.file, f"{self.path}.{name}" if self.path else name, self.base)

    def item(self, index: int) -> "Where":
        return Where(self.file, f"{self.path}[{index + 1}]", self.base)

    def error(self, problem: str) -> ConfigError:
        return ConfigError(f"{self.file}: {self.path or 'the file'}: {problem}")


def read(cls: type[T], table: Any, where: Where) -> T:
    """The dataclass ``cls`` from a parsed TOML ``table``, every key checked.

    A key left out takes its default, read like a value written (a default
    path is resolved like a path given)."""
    if not isinstance(table, dict):
        raise where.error(f"must be a table, not {describe(table)}")
    known = {key_of(f): f for f in fields(cls)}  # type: ignore[arg-type]  (cls is a dataclass)
    for name, value in table.items():
        if name not in known:
            raise unknown_key(where, name, value, known)
    hints = typing.get_type_hints(cls)
    values = {}
    for key, item in known.items():
        value = table[key] if key in table else default_of(item)
        values[item.name] = None if value is None else convert(hints[item.name], value, where.key(key), item)
    found = cls(**values)
    checked = getattr(found, "checked", None)
    return checked(where) if checked else found


def unknown_key(where: Where, name: str, value: Any, known: dict[str, Field]) -> ConfigError:
    message = "unknown table" if isinstance(value, dict) and not where.path else "unknown key"
    close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
    if close:
        message += f"; did you mean {where.key(close[0]).path}?"
    if any(word in name.lower() for word in SECRET_WORDS) and not name.endswith(("_env", "_file")):
        message += " (secrets never sit in the file: name where they are with a *_env or *_file key)"
    return where.key(name).error(message)


def convert(hint: Any, value: Any, where: Where, item: Field | None = None) -> Any:
    """``value`` as ``hint`` says, or a ConfigError naming ``where``."""
    origin = typing.get_origin(hint)
    if origin in (Union, types.UnionType):
        return _union(typing.get_args(hint), value, where, item)
    if origin is Literal:
        return _choice(typing.get_args(hint), value, where)
    if origin is tuple:
        return _array(typing.get_args(hint)[0], value, where, item)
    if origin is dict:
        return _table(typing.get_args(hint)[1], value, where, item)
    if is_dataclass(hint):
        return read(hint, value, where)  # type: ignore[arg-type]
    return _scalar(hint, value, where, item)


def _scalar(hint: Any, value: Any, where: Where, item: Field | None) -> Any:
    if hint is Any:
        return value
    if hint is bool:
        return _expect(isinstance(value, bool), value, hint, where)
    if hint is str:
        return _expect(isinstance(value, str), value, hint, where)
    if hint is Path:
        _expect(isinstance(value, str) and bool(value), value, hint, where)
        path = Path(value).expanduser()
        return path if path.is_absolute() else where.base / path
    number = not isinstance(value, bool) and isinstance(value, int if hint is int else (int, float))
    _expect(number, value, hint, where)
    minimum = item.metadata.get("minimum") if item is not None else None
    if minimum is not None and value < minimum:
        raise where.error(f"must be {minimum:g} or more, not {quote(value)}")
    return hint(value)


def _expect(good: bool, value: Any, hint: Any, where: Where) -> Any:
    if not good:
        raise where.error(f"must be {expected(hint)}, not {describe(value)}")
    return value


def _choice(choices: tuple[Any, ...], value: Any, where: Where) -> Any:
    if value not in choices or isinstance(value, bool) != isinstance(choices[0], bool):
        raise where.error(f"must be {expected(Literal[choices])}, not {describe(value)}")
    return value


def _union(options: tuple[Any, ...], value: Any, where: Where, item: Field | None) -> Any:
    options = tuple(o for o in options if o is not type(None))
    if len(options) == 1:
        return convert(options[0], value, where, item)
    tagged = [o for o in options if is_dataclass(o)]
    if tagged:
        return _tagged(tagged, value, where)
    for option in options:
        try:
            return convert(option, value, where, item)
        except ConfigError:
            continue
    raise where.error(f"must be {' or '.join(expected(o) for o in options)}, not {describe(value)}")


def _tagged(options: list[Any], value: Any, where: Where) -> Any:
    """One of several tables told apart by their ``type`` key ([[source]])."""
    kinds = {typing.get_args(typing.get_type_hints(o)["type"])[0]: o for o in options}
    if not isinstance(value, dict):
        raise where.error(f"must be a table, not {describe(value)}")
    kind = value.get("type")
    choices = expected(Literal[tuple(kinds)])
    if kind is None:
        raise where.key("type").error(f"is missing: it must be {choices}")
    if kind not in kinds:
        raise where.key("type").error(f"must be {choices}, not {describe(kind)}")
    return read(kinds[kind], value, where)


def _array(hint: Any, value: Any, where: Where, item: Field | None) -> tuple[Any, ...]:
    if isinstance(value, str) and item is not None and item.metadata.get("lone_string"):
        value = [value]
    _expect(isinstance(value, (list, tuple)), value, tuple[hint, ...], where)
    return tuple(convert(hint, v, where.item(i), item) for i, v in enumerate(value))


def _table(hint: Any, value: Any, where: Where, item: Field | None) -> dict[str, Any]:
    _expect(isinstance(value, dict), value, dict[str, hint], where)
    return {k: convert(hint, v, where.key(k), item) for k, v in value.items()}


def expected(hint: Any) -> str:
    """What a value of ``hint`` is, in the operator's words."""
    origin = typing.get_origin(hint)
    if origin is Literal:
        choices = [quote(c) for c in typing.get_args(hint)]
        return choices[0] if len(choices) == 1 else "one of " + ", ".join(choices)
    if origin is tuple:
        return "an array"
    if origin is dict or is_dataclass(hint):
        return "a table"
    names = {bool: "true or false", int: "a whole number", float: "a number", str: "a string",
             Path: "a path"}
    return names.get(hint, "a value")


def describe(value: Any) -> str:
    """A wrong value as a message shows it: quoted, short, with its TOML type."""
    if isinstance(value, (list, dict)):
        return "an array" if isinstance(value, list) else "a table"
    kinds = {bool: "a boolean", int: "a whole number", float: "a number", str: "a string"}
    return f"{quote(value)} ({kinds.get(type(value), type(value).__name__)})"


def quote(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    text = f'"{value}"' if isinstance(value, str) else str(value)
    return text if len(text) <= QUOTED_CHARS else text[:QUOTED_CHARS] + "…"
