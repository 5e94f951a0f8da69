"""The package's imports flow one way — text → parse → model → check → render — with no circle
and no import that runs back up a layer (any import statement, also inside functions and
under TYPE_CHECKING). Each module's first lines say what it holds."""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import ROOT

PACKAGE = ROOT / "src" / "ranpaper"

# Bottom first. A module may import its own layer and the layers below it, never above.
LAYERS: list[tuple[str, ...]] = [
    # what everything stands on: no knowledge of papers
    (
        "ranpaper.errors",
        "ranpaper.diagnostics",
        "ranpaper.dates",
        "ranpaper.urls",
        "ranpaper.lines",
        "ranpaper.fs",
        "ranpaper.printing",
        "ranpaper.limits",
        "ranpaper.resources",
    ),
    ("ranpaper.profiles",),  # the vocabulary's types and data
    ("ranpaper.model",),
    ("ranpaper.config", "ranpaper.papers", "ranpaper.assets", "ranpaper.links.registry"),
    ("ranpaper.parse",),
    ("ranpaper.parse.incremental",),  # parse again after an edit, with parse's own functions
    ("ranpaper.links.citations", "ranpaper.rules", "ranpaper.segments"),
    ("ranpaper.check",),
    ("ranpaper.workspace",),
    # users of the workspace and the model
    (
        "ranpaper.baseline",
        "ranpaper.fixes",
        "ranpaper.semdiff",
        "ranpaper.report",
        "ranpaper.links",
        "ranpaper.render",
        "ranpaper.schema",
        "ranpaper.translation",
    ),
    ("ranpaper.formatting", "ranpaper.build"),
    ("ranpaper.serve", "ranpaper.lsp", "ranpaper.commands"),
    ("ranpaper.cli", "ranpaper.__main__"),
]


def _modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


MODULES = _modules()


def _target(name: str) -> str | None:
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def _imports(module: str, path: Path) -> set[str]:
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                up = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join(up + ([base] if base else []))
            names = [f"{base}.{alias.name}" for alias in node.names] + [base]
        for name in names:
            target = _target(name)
            if target and target != module and not module.startswith(target + "."):
                found.add(target)
    return found


GRAPH = {module: _imports(module, path) for module, path in MODULES.items()}


def _layer(module: str) -> int:
    best, level = -1, -1
    for index, prefixes in enumerate(LAYERS):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > best:
                best, level = len(prefix), index
    return level


def test_every_module_has_a_layer() -> None:
    assert [m for m in MODULES if m != "ranpaper" and _layer(m) < 0] == []


def test_no_import_runs_back_up() -> None:
    upward = [
        f"{module} (layer {_layer(module)}) imports {target} (layer {_layer(target)})"
        for module, targets in GRAPH.items()
        if module != "ranpaper"
        for target in targets
        if _layer(target) > _layer(module)
    ]
    assert upward == []


def test_no_import_circle() -> None:
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    circles: list[list[str]] = []
    counter = [0]

    def visit(node: str) -> None:  # Tarjan's strongly connected components
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for other in GRAPH[node]:
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                other = stack.pop()
                on_stack.discard(other)
                component.append(other)
                if other == node:
                    break
            if len(component) > 1:
                circles.append(sorted(component))

    for node in GRAPH:
        if node not in index:
            visit(node)
    assert circles == []


def test_each_module_says_what_it_holds() -> None:
    silent = [
        module
        for module, path in MODULES.items()
        if path.stat().st_size and not ast.get_docstring(ast.parse(path.read_text("utf-8")))
    ]
    assert silent == []
