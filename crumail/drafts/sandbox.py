"""The sandbox draft templates run in, and the checks one passes before it is saved.

A template is code, and the people who write it (desk administrators, or
whoever can write to the templates folder) are not trusted to run code on
the server: ``{{ cycler.__init__.__globals__.os.popen('id').read() }}``
would otherwise run ``id`` and put its output, or the SMTP password from
the environment, into a draft.  So:

* every template renders in Jinja2's ``ImmutableSandboxedEnvironment``:
  no attribute starting with ``_``, no unsafe method, no changing the
  values a template is given, ``str.format`` checked too;
* templates are read through :func:`crumail.files.untrusted.read_regular`: never
  through a symbolic link, never more than ``MAX_TEMPLATE_BYTES``;
* the sizes a template can blow up are capped (``*`` and ``**``, ``range``,
  the rendered text), so a template cannot fill the daemon's memory;
* on save, :func:`problems` refuses what the sandbox would refuse at draft
  time, and values no draft has, with a line a person can act on.
"""

from __future__ import annotations

import operator
import os
from typing import Any, Callable, Iterable, Iterator

import jinja2
from jinja2 import meta, nodes
from jinja2.exceptions import SecurityError
from jinja2.loaders import split_template_path
from jinja2.sandbox import ImmutableSandboxedEnvironment

from crumail.errors import UnsafeFileError
from crumail.files.untrusted import read_regular

MAX_TEMPLATE_BYTES = 64 * 1024      # a template file, as read and as saved on the desk
# A rendered draft: above what a referral may carry (the body is cut at
# [intake] max_body_chars, 1 MiB, and a draft quotes the request whole) with
# room for the template, far below what would hurt the desk or memory.
MAX_DRAFT_CHARS = 4_000_000
MAX_RANGE = 10_000                  # items in range(): more than any referral has questions
MAX_EXPONENT = 1_000                # 9 ** 9 ** 9 would compute for hours
BANNED_FILTERS = {"attr": "write value.name instead"}
BANNED_NAMES = {"self": "a draft template has no blocks to call"}


class DraftSandbox(ImmutableSandboxedEnvironment):
    """ImmutableSandboxedEnvironment with the sizes a template controls capped."""

    intercepted_binops = frozenset({"*", "**"})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.globals["range"] = capped_range
        del self.globals["lipsum"]  # lorem ipsum has no place in a draft, and lipsum(10**6) is big

    def call_binop(self, context: Any, op: str, left: Any, right: Any) -> Any:
        if op == "**" and isinstance(right, int) and abs(right) > MAX_EXPONENT and abs(left) > 1:
            raise SecurityError(f"the number {left!r} ** {right} is too large for a draft")
        if op == "*" and _repeats(left, right) > MAX_DRAFT_CHARS:
            raise SecurityError(f"repeating text or a list {_repeats(left, right):,} times over "
                                "is too long for a draft")
        return (operator.pow if op == "**" else operator.mul)(left, right)


def _repeats(left: Any, right: Any) -> int:
    """How long ``left * right`` would be when it repeats a sequence (else 0)."""
    for seq, count in ((left, right), (right, left)):
        if isinstance(seq, (str, list, tuple)) and isinstance(count, int):
            return max(len(seq), 1) * count
    return 0


def capped_range(*args: int) -> range:
    found = range(*args)
    if len(found) > MAX_RANGE:
        raise SecurityError(f"range() of {len(found):,} items is too long for a draft "
                            f"(at most {MAX_RANGE:,})")
    return found


class SafeLoader(jinja2.BaseLoader):
    """FileSystemLoader's search order, but no links, no FIFOs, nothing too big."""

    def __init__(self, folders: Iterable[str]):
        self.searchpath = list(folders)

    def get_source(self, environment: jinja2.Environment,
                   template: str) -> tuple[str, str, Callable[[], bool]]:
        pieces = split_template_path(template)  # refuses "..": no way out of the folders
        for folder in self.searchpath:
            path = os.path.join(folder, *pieces)
            try:
                data = read_regular(path, MAX_TEMPLATE_BYTES)
            except (FileNotFoundError, NotADirectoryError):
                continue
            except (UnsafeFileError, OSError) as exc:
                raise jinja2.TemplateError(f"{exc}; the template was not read") from None
            return data.decode("utf-8", "replace"), path, _unchanged(path)
        raise jinja2.TemplateNotFound(template)


def _unchanged(path: str) -> Callable[[], bool]:
    """Jinja's cache check: the file (not a link's target) has not changed since read."""
    try:
        seen = os.stat(path, follow_symlinks=False).st_mtime_ns
    except OSError:
        return lambda: False

    def check() -> bool:
        try:
            return os.stat(path, follow_symlinks=False).st_mtime_ns == seen
        except OSError:
            return False
    return check


def render_capped(template: jinja2.Template, values: dict[str, Any]) -> str:
    """The rendered text, stopped as soon as it is longer than any draft can be."""
    parts, size = [], 0
    for chunk in template.generate(**values):
        size += len(chunk)
        if size > MAX_DRAFT_CHARS:
            raise SecurityError(f"the draft would be over {MAX_DRAFT_CHARS:,} characters: too long")
        parts.append(chunk)
    return "".join(parts)


# -- checks on save -----------------------------------------------------------

def problems(env: jinja2.Environment, source: str, known: Iterable[str]) -> list[str]:
    """Why ``source`` may not be saved as a template (an empty list: it may)."""
    try:
        tree = env.parse(source)
    except jinja2.TemplateSyntaxError as exc:
        return [f"Template syntax error on line {exc.lineno}: {exc.message}"]
    found = list(_private_names(tree)) + list(_banned(tree))
    unknown = sorted(meta.find_undeclared_variables(tree) - set(known) - set(env.globals))
    if unknown:
        found.append(f"{_quoted(unknown)} {'is' if len(unknown) == 1 else 'are'} not "
                     f"{'a value' if len(unknown) == 1 else 'values'} a draft has. "
                     f"A template can use: {_quoted(sorted(known))}.")
    return found


def _private_names(tree: nodes.Template) -> Iterator[str]:
    for node in tree.find_all((nodes.Getattr, nodes.Getitem)):
        name = node.attr if isinstance(node, nodes.Getattr) else _constant(node.arg)
        if isinstance(name, str) and name.startswith("_"):
            yield (f"Line {node.lineno}: '{name[:40]}' starts with an underscore; templates cannot "
                   "reach Python's internals.")


def _banned(tree: nodes.Template) -> Iterator[str]:
    for node in tree.find_all(nodes.Filter):
        if node.name in BANNED_FILTERS:
            yield (f"Line {node.lineno}: the '{node.name}' filter is not available in draft "
                   f"templates; {BANNED_FILTERS[node.name]}.")
    for node in tree.find_all(nodes.Name):
        if node.name in BANNED_NAMES:
            yield f"Line {node.lineno}: '{node.name}' is not available: {BANNED_NAMES[node.name]}."


def _constant(node: nodes.Node) -> object:
    return node.value if isinstance(node, nodes.Const) else None


def _quoted(names: list[str]) -> str:
    return ", ".join(f"'{n}'" for n in names)
