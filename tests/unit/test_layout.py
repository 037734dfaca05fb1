"""The layout rules of DESIGN.md that ruff cannot see: no import circles, areas in packages."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Modules allowed directly in app/services and app/ui: they belong to the whole application.
TOP_LEVEL = {
    "app/services": {"__init__", "register", "home", "due", "demo"},
    "app/ui": {"__init__", "application", "main_window", "resources", "settings_dialog",
               "settings_rules", "desk_settings", "home_page"},
}


def _modules() -> dict[str, Path]:
    found = {}
    for top in ("app", "reports"):
        for path in (ROOT / top).rglob("*.py"):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


def _imports(path: Path, name: str, modules: dict[str, Path]) -> set[str]:
    """Every module of ours that `path` imports, at module level or inside a function."""
    is_package = path.name == "__init__.py"
    targets: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = name.split(".") if is_package else name.split(".")[:-1]
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                child = f"{base}.{alias.name}"
                targets.add(child if child in modules else base)
    return {t for t in targets if t in modules and t != name}


def test_no_import_circle():
    modules = _modules()
    graph = {name: _imports(path, name, modules) for name, path in modules.items()}
    state: dict[str, int] = {}
    stack: list[str] = []
    circles: list[list[str]] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                circles.append([*stack[stack.index(nxt):], nxt])
            elif nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node)
    assert circles == [], "import circles:\n" + "\n".join(" -> ".join(c) for c in circles)


def test_areas_live_in_packages():
    for folder, allowed in TOP_LEVEL.items():
        loose = {p.stem for p in (ROOT / folder).glob("*.py")} - allowed
        assert loose == set(), f"{folder} holds modules outside an area package: {sorted(loose)}"


def test_screens_and_commands_never_import_the_store():
    modules = _modules()
    offenders = {
        name: sorted(t for t in _imports(path, name, modules) if t.startswith("app.store"))
        for name, path in modules.items()
        if name.startswith(("app.ui", "app.cli"))
    }
    assert {k: v for k, v in offenders.items() if v} == {}
