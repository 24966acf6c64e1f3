"""The shape of the package: the layers the README's diagram draws, kept.

The import graph is read from the source with ``ast`` (nothing is
imported), counting every import: at the top of a module, inside a function
(a lazy import is still a dependency) and under ``TYPE_CHECKING``; all but
those under ``if __name__ == "__main__":``, which run only when the module
is the program (``python -m``), never when it is imported.

* No import cycle, between packages or between modules, at any depth, except
  inside ``crumail/parse``: a parser reads an attached message by calling
  the parser again.
* The store imports nothing above it: only the bottom layer (errors, the
  values in ``crumail.model``, ``crumail.extract.model`` and
  ``crumail.lognumber``, the caps, the clock) and itself.  What the stages above give it (names for the gazetteer, the kind
  of a message) is passed in, never fetched by importing a stage.
* The bottom layer imports only itself, so the store's rule cannot be
  dodged through it.
"""

from __future__ import annotations

import ast
from collections import deque
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1] / "crumail"

#: Cycles are allowed inside this package only (the parse recursion).
RECURSIVE = "crumail.parse"

#: The bottom layer: values, errors and caps, which every stage may use.
BOTTOM = ("crumail.errors", "crumail.model", "crumail.limits", "crumail.extract.model", "crumail.clock",
          "crumail.lognumber")

Graph = dict[str, set[str]]


def modules(root: Path = ROOT) -> dict[str, Path]:
    """Dotted module name -> file, packages under their own name."""
    found = {}
    for path in sorted(root.rglob("*.py")):
        parts = list(path.relative_to(root.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def _imported(name: str, node: ast.Import | ast.ImportFrom, known: dict[str, Path]) -> list[str]:
    """The crumail modules ``node`` in module ``name`` imports (a name imported
    from a package counts as the submodule when there is one of that name)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if node.level:
        base = name.split(".")
        if known[name].name != "__init__.py":
            base.pop()
        base = base[:len(base) - node.level + 1]
        prefix = ".".join(base + ([node.module] if node.module else []))
    else:
        prefix = node.module or ""
    return [f"{prefix}.{a.name}" if f"{prefix}.{a.name}" in known else prefix for a in node.names]


def _is_main_block(node: ast.AST) -> bool:
    test = node.test if isinstance(node, ast.If) else None
    return (isinstance(test, ast.Compare) and isinstance(test.left, ast.Name)
            and test.left.id == "__name__" and len(test.comparators) == 1
            and isinstance(test.comparators[0], ast.Constant) and test.comparators[0].value == "__main__")


def _imports(tree: ast.Module) -> list[ast.Import | ast.ImportFrom]:
    found = []
    stack = [n for n in tree.body if not _is_main_block(n)]
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            found.append(node)
        stack.extend(ast.iter_child_nodes(node))
    return found


def import_graph(root: Path = ROOT) -> Graph:
    """Module -> the crumail modules it imports."""
    known = modules(root)
    graph: Graph = {}
    for name, path in known.items():
        edges = set()
        for node in _imports(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            for target in _imported(name, node, known):
                while target not in known and "." in target:
                    target = target.rsplit(".", 1)[0]
                if target in known and target != name:
                    edges.add(target)
        graph[name] = edges
    return graph


def grouped(graph: Graph, depth: int) -> Graph:
    """The graph with every module folded into its package ``depth`` levels down
    (1: crumail.store, crumail.review, ...; 2: crumail.store.db, ...)."""
    def group(name: str) -> str:
        return ".".join(name.split(".")[:depth + 1])

    folded: Graph = {}
    for source, targets in graph.items():
        edges = folded.setdefault(group(source), set())
        edges.update(group(t) for t in targets if group(t) != group(source))
    return folded


def cycles(graph: Graph) -> list[list[str]]:
    """The shortest cycle (as a path back to its start) through each node that
    is on one: every node of a strongly connected part with more than one."""
    found = []
    for part in _strongly_connected(graph):
        if len(part) > 1:
            found += [_a_cycle(graph, node, part) for node in sorted(part)]
    return found


def _strongly_connected(graph: Graph) -> list[set[str]]:
    """Tarjan's algorithm, without recursion."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    parts: list[set[str]] = []
    for start in graph:
        if start in index:
            continue
        work = [(start, iter(sorted(graph.get(start, ()))))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                part = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    part.add(member)
                    if member == node:
                        break
                parts.append(part)
    return parts


def _a_cycle(graph: Graph, start: str, part: set[str]) -> list[str]:
    """The shortest path from ``start`` back to itself inside ``part``."""
    came_from: dict[str, str] = {}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for child in sorted(graph.get(node, ())):
            if child == start:
                path = [node]
                while path[-1] != start:
                    path.append(came_from[path[-1]])
                return [start, *reversed(path[:-1]), start] if node != start else [start, start]
            if child in part and child not in came_from:
                came_from[child] = node
                queue.append(child)
    return [start]


def _inside(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


def test_the_cycle_finder_finds_cycles_and_only_cycles():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a", "d"}, "d": set(), "e": {"d"}}
    assert cycles(graph) == [["a", "b", "c", "a"], ["b", "c", "a", "b"], ["c", "a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []
    assert grouped({"crumail.x.a": {"crumail.y.b"}, "crumail.y.b": {"crumail.x.c"}}, 1) == {
        "crumail.x": {"crumail.y"}, "crumail.y": {"crumail.x"}}


def test_the_graph_sees_lazy_and_relative_imports(tmp_path):
    package = tmp_path / "crumail"
    (package / "store").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "model.py").write_text("")
    (package / "store" / "__init__.py").write_text("from . import db\n")
    (package / "store" / "db.py").write_text("def f():\n    from crumail import model\n")
    (package / "cli.py").write_text("import crumail.store\nif __name__ == '__main__':\n    import crumail.model\n")
    graph = import_graph(package)
    assert graph["crumail.store"] == {"crumail.store.db"}
    assert graph["crumail.store.db"] == {"crumail.model"}
    assert graph["crumail.cli"] == {"crumail.store"}


def test_no_import_cycle_outside_the_parse_recursion():
    graph = import_graph()
    depth = max(name.count(".") for name in graph)
    found = []
    for level in range(1, depth + 1):
        for cycle in cycles(grouped(graph, level)):
            if not all(_inside(name, RECURSIVE) for name in cycle):
                found.append(" -> ".join(cycle))
    assert not found, "import cycles:\n" + "\n".join(sorted(set(found)))


def test_the_store_imports_only_the_bottom_layer():
    wrong = [f"{name} imports {target}"
             for name, targets in import_graph().items() if _inside(name, "crumail.store")
             for target in sorted(targets)
             if not _inside(target, "crumail.store") and target not in BOTTOM]
    assert not wrong, "the store imports a layer above it:\n" + "\n".join(wrong)


def test_the_bottom_layer_imports_only_itself():
    graph = import_graph()
    wrong = [f"{name} imports {target}" for name in BOTTOM for target in sorted(graph[name])
             if target not in BOTTOM]
    assert not wrong, "\n".join(wrong)
