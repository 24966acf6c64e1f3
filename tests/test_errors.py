"""The one exception tree: every error class crumail defines is in crumail/errors.py,
under CrumailError, and drawn in that module's docstring where its parent is."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import crumail
from crumail import errors
from crumail.errors import CrumailError


def defined_exceptions() -> dict[type, str]:
    """Every Exception subclass a crumail module defines (imported, so that a class
    made by a decorator or a factory counts too), with the module defining it."""
    found: dict[type, str] = {}
    for info in pkgutil.walk_packages(crumail.__path__, "crumail."):
        module = importlib.import_module(info.name)
        for value in vars(module).values():
            if (inspect.isclass(value) and issubclass(value, BaseException)
                    and value.__module__ == module.__name__):
                found[value] = module.__name__
    return found


def drawing() -> list[str]:
    """The lines of the docstring's drawing: the indented block after ``::``."""
    lines = errors.__doc__.splitlines()
    start = next(n for n, line in enumerate(lines) if line.endswith("::")) + 1
    block = []
    for line in lines[start:]:
        if line.strip() and not line.startswith("    "):
            break
        block.append(line)
    return block


def drawn_tree() -> dict[str, str | None]:
    """Class name -> its parent's name, as the docstring's drawing shows them: a
    class is the first word after a branch (or the root, alone on its line), and
    its depth is the column that word starts at."""
    parents: dict[str, str | None] = {}
    stack: list[tuple[int, str]] = []
    for line in drawing():
        column = len(line) - len(line.lstrip(" │├└─"))
        word = line[column:].split(" ", 1)[0]
        if not ("── " in line[:column] or line.strip() == word) or not word[:1].isupper():
            continue                      # a description carried on to the next line
        while stack and stack[-1][0] >= column:
            stack.pop()
        parents[word] = stack[-1][1] if stack else None
        stack.append((column, word))
    return parents


def test_every_error_class_is_in_errors_py_under_crumail_error():
    found = defined_exceptions()
    elsewhere = sorted(f"{module}.{cls.__name__}" for cls, module in found.items() if module != "crumail.errors")
    assert elsewhere == [], "define these in crumail/errors.py (and draw them there)"
    outside = sorted(cls.__name__ for cls in found if not issubclass(cls, CrumailError))
    assert outside == [], "these are not under CrumailError"


def test_the_docstring_draws_every_class_under_its_parent():
    drawn = drawn_tree()
    classes = {cls.__name__: cls for cls in defined_exceptions()}
    assert sorted(set(classes) - set(drawn)) == [], "not drawn in errors.py's docstring"
    assert sorted(set(drawn) - set(classes)) == [], "drawn but not defined"
    wrong = {name: (parent, classes[name].__mro__[1].__name__) for name, parent in drawn.items()
             if parent is not None and classes[name].__mro__[1].__name__ != parent}
    assert wrong == {}, "drawn under another parent than the class has (drawn, real)"


def test_the_tree_reader_sees_the_nesting():
    drawn = drawn_tree()
    assert drawn["CrumailError"] is None
    assert drawn["RtfError"] == "ParseError"
    assert drawn["StorageFullError"] == "StorageFaultError"
    assert drawn["TransientSendError"] == "SendError"
    assert drawn["FileTooBigError"] == "UnsafeFileError"
