"""The layout of DESIGN.md ("Layout: one floor above the other"), checked from the imports of ``ml/``.

Every ``import`` of an ``ml`` module counts, at module top, inside a function or under ``TYPE_CHECKING``
alike: an import hidden in a function is still a tie. A module may import only from its own floor or the
floors below, and no chain of imports may lead back to where it started. A new module needs a floor in
:data:`FLOORS` (and in DESIGN.md) before this passes.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pytest

ML_ROOT = Path(__file__).resolve().parents[1] / "ml"

FLOORS: dict[str, int] = {
    "ml": 1,  # the package itself holds only __version__
    "ml.schema": 1,
    "ml.text": 1,
    "ml.jsonl": 1,
    "ml.paths": 1,
    "ml.host": 1,
    "ml.tasks": 2,
    "ml.topics": 2,
    "ml.base_model": 2,
    "ml.api_client": 2,
    "ml.preprocessing": 3,
    "ml.training": 3,
    "ml.export": 3,
    "ml.inference": 4,
    "ml.evaluation": 5,
    "ml.cli": 6,
    "ml.quickstart": 6,
}
"""The floor of each module, by name: a name covers its submodules."""


@dataclass(frozen=True)
class Import:
    source: str
    target: str
    where: str  # path:line


def module_name(path: Path, root: Path) -> str:
    parts = path.relative_to(root.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules(root: Path) -> dict[str, Path]:
    """Every module of the package at ``root`` and of its subpackages (folders with an ``__init__.py``)."""
    found: dict[str, Path] = {}

    def walk(package: Path) -> None:
        for path in sorted(package.iterdir()):
            if path.suffix == ".py":
                found[module_name(path, root)] = path
            elif (path / "__init__.py").is_file():
                walk(path)

    walk(root)
    return found


def imported_names(path: Path, package: str) -> list[tuple[int, list[str]]]:
    """``(line, absolute names)`` of every import statement of a file, at any depth; ``from a import b`` gives
    ``a.b`` (a submodule or a name of ``a``: :func:`imports` tells which)."""
    found: list[tuple[int, list[str]]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found.append((node.lineno, [alias.name for alias in node.names]))
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found.append((node.lineno, [f"{base}.{alias.name}" for alias in node.names]))
    return found


def imports(root: Path) -> list[Import]:
    """Every import of a module of the package at ``root`` by another, wherever in the file it is written."""
    known = modules(root)
    found: list[Import] = []
    for source, path in known.items():
        package = source if path.name == "__init__.py" else source.rpartition(".")[0]
        for line, names in imported_names(path, package):
            for name in names:
                while name and name not in known:  # a name of a module, not a module: the module
                    name = name.rpartition(".")[0]
                found_import = Import(source, name, f"{path.relative_to(root.parent)}:{line}")
                if name and name != source and found_import not in found:
                    found.append(found_import)
    return found


def floor(module: str) -> int | None:
    best: tuple[int, int] | None = None  # (length of the matching name, floor)
    for name, level in FLOORS.items():
        matches = module == name or module.startswith(name + ".")
        if matches and (best is None or len(name) > best[0]):
            best = (len(name), level)
    return best[1] if best else None


def back_arrows(found: list[Import]) -> list[Import]:
    """Imports from a higher floor than the importer's."""
    return [i for i in found if (floor(i.target) or 0) > (floor(i.source) or 0)]


def circles(found: list[Import]) -> list[set[str]]:
    """The strongly connected components of more than one module (Tarjan), each a set of modules."""
    graph: dict[str, set[str]] = defaultdict(set)
    for i in found:
        graph[i.source].add(i.target)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[set[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component: set[str] = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                components.append(component)

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return components


def _describe(component: set[str], found: list[Import]) -> str:
    inside = sorted({f"{i.source} -> {i.target} ({i.where})" for i in found if {i.source, i.target} <= component})
    return "\n  ".join(inside)


@pytest.fixture(scope="module")
def ml_imports() -> list[Import]:
    return imports(ML_ROOT)


def test_every_module_has_a_floor(ml_imports: list[Import]) -> None:
    homeless = sorted(name for name in modules(ML_ROOT) if floor(name) is None)
    assert not homeless, f"modules without a floor (add them to DESIGN.md's layout and FLOORS): {homeless}"


def test_no_import_from_a_higher_floor(ml_imports: list[Import]) -> None:
    found = back_arrows(ml_imports)
    assert not found, "imports from a higher floor:\n" + "\n".join(
        f"  {i.source} (floor {floor(i.source)}) -> {i.target} (floor {floor(i.target)}) at {i.where}" for i in found
    )


def test_no_import_circles(ml_imports: list[Import]) -> None:
    found = circles(ml_imports)
    assert not found, "import circles:\n" + "\n".join(f"  {_describe(c, ml_imports)}" for c in found)


def test_ml_never_imports_bench_backend_or_tests() -> None:
    outside = [
        f"{path.relative_to(ML_ROOT.parent)}:{line}"
        for name, path in modules(ML_ROOT).items()
        for line, names in imported_names(path, name.rpartition(".")[0])
        if any(n.split(".")[0] in ("bench", "backend", "tests") for n in names)
    ]
    assert not outside, f"ml imports bench/, backend/ or tests/ at {outside}"


def test_the_check_sees_a_hidden_back_arrow_and_a_circle(tmp_path: Path) -> None:
    """Put back what issue #31 removed (tasks -> preprocessing inside a function; build <-> teacher) and fail."""
    root = tmp_path / "ml"
    (root / "preprocessing").mkdir(parents=True)
    files = {
        "__init__.py": "",
        "tasks.py": "def f():\n    from ml.preprocessing.clean import split_columns\n",
        "preprocessing/__init__.py": "",
        "preprocessing/clean.py": "",
        "preprocessing/build.py": "from ml.preprocessing import teacher\n",
        "preprocessing/teacher.py": "def g():\n    from .build import load_data_config\n",
    }
    for name, text in files.items():
        (root / name).write_text(text)
    found = imports(root)
    assert [(i.source, i.target, i.where) for i in back_arrows(found)] == [
        ("ml.tasks", "ml.preprocessing.clean", "ml/tasks.py:2")
    ]
    assert circles(found) == [{"ml.preprocessing.build", "ml.preprocessing.teacher"}]
