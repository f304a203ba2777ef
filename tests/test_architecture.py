"""The house rules of ``kit/``, read from the source: the layers can be seen and are kept.

- No import cycles inside ``kit/``; imports inside functions count.
- Logic modules reach neither ipywidgets nor matplotlib, through any chain of kit imports,
  at module level or inside a function.
- An import inside a function says why on its line or the line above (it keeps
  ``import kit`` light, or breaks no cycle because there is none to break).
- argparse only in ``kit/cli.py``; no module over about 500 lines.
- The repository stands on its own: nothing points at files that do not ship with it.
"""

from __future__ import annotations

import ast
import subprocess
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
KIT = ROOT / "kit"
MAX_LINES = 520  # "about 500": a module past this is doing two jobs
UI = ("ipywidgets", "matplotlib")

#: Modules that hold logic and data: nothing here may reach a UI library.
LOGIC = (
    "kit._files",
    "kit._resources",
    "kit.allocation",
    "kit.answers",
    "kit.archetypes",
    "kit.commitments",
    "kit.content",
    "kit.exercises",
    "kit.motivations",
    "kit.pages.journey",
    "kit.pages.timings",
    "kit.positions",
    "kit.synthesis",
)
#: Logic packages: every module inside them is logic too, where the package exists.
LOGIC_PREFIXES = (
    "kit.room.shares",
    "kit.room.pictures",
    "kit.room.store",
    "kit.room.demo",
    "kit.room.sharing",
)


def _name(path: Path) -> str:
    name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
    return name.removesuffix(".__init__")


@cache
def modules() -> dict[str, Path]:
    return {_name(p): p for p in KIT.rglob("*.py")}


def _targets(module: str, path: Path, node: ast.AST) -> list[str]:
    if isinstance(node, ast.Import):
        return [a.name for a in node.names]
    if isinstance(node, ast.ImportFrom):
        base = node.module or ""
        if node.level:
            package = module if path.name == "__init__.py" else module.rpartition(".")[0]
            parts = package.split(".")
            parts = parts[: len(parts) - node.level + 1]
            base = ".".join([*parts, base] if base else parts)
        return [base, *(f"{base}.{a.name}" for a in node.names)]
    return []


@cache
def imports() -> dict[str, tuple[frozenset[str], frozenset[str]]]:
    """Module -> (kit modules it imports, outside top-level packages it imports)."""
    mods = modules()
    out = {}
    for module, path in mods.items():
        inside, outside = set(), set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            for target in _targets(module, path, node):
                if not target.startswith("kit"):
                    outside.add(target.split(".")[0])
                    continue
                while target and target not in mods:
                    target = target.rpartition(".")[0]
                if target and target != module and not module.startswith(target + "."):
                    inside.add(target)
        out[module] = (frozenset(inside), frozenset(outside))
    return out


def _cycles(graph: dict[str, frozenset[str]]) -> list[list[str]]:
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_the_cycle_finder_finds_a_cycle():
    assert _cycles({"a": frozenset({"b"}), "b": frozenset({"c"}), "c": frozenset({"a"})}) == [
        ["a", "b", "c"]
    ]
    assert _cycles({"a": frozenset({"b"}), "b": frozenset()}) == []


def test_no_import_cycles_inside_kit():
    graph = {m: inside for m, (inside, _) in imports().items()}
    assert _cycles(graph) == []


def _reach(module: str) -> set[str]:
    seen, todo = set(), [module]
    while todo:
        m = todo.pop()
        if m in seen:
            continue
        seen.add(m)
        todo.extend(imports()[m][0])
    return seen


def _logic_modules() -> list[str]:
    mods = modules()
    named = [m for m in LOGIC if m in mods]
    named += [m for m in mods if m.startswith(LOGIC_PREFIXES)]
    return sorted(named)


@pytest.mark.parametrize("module", _logic_modules())
def test_logic_reaches_no_ui_library_not_even_inside_a_function(module):
    reached = _reach(module)
    bad = {f"{m} imports {lib}" for m in reached for lib in UI if lib in imports()[m][1]}
    assert not bad, f"{module} reaches a UI library: {sorted(bad)}"


def _function_imports(path: Path) -> list[int]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    lines = []
    for fn in ast.walk(tree):
        if isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef):
            for node in ast.walk(fn):
                if isinstance(node, ast.Import | ast.ImportFrom):
                    lines.append(node.lineno)
    return sorted(set(lines))


def test_every_import_inside_a_function_says_why():
    silent = []
    for _module, path in sorted(modules().items()):
        text = path.read_text(encoding="utf-8").splitlines()
        for lineno in _function_imports(path):
            here, above = text[lineno - 1], text[lineno - 2] if lineno > 1 else ""
            # A comment on the line, the line above, or a block of imports under one comment.
            block = lineno - 2
            while block > 0 and (
                text[block].strip().startswith(("import ", "from ")) or not text[block].strip()
            ):
                block -= 1  # up through the block of imports (ruff puts a blank line in it)
            if (
                "#" not in here
                and not above.strip().startswith("#")
                and not text[block].strip().startswith("#")
            ):
                silent.append(f"{path.relative_to(ROOT)}:{lineno}")
    assert not silent, "imports inside functions without a comment saying why: " + ", ".join(silent)


def test_argparse_lives_only_in_the_command_line_module():
    users = sorted(m for m, (_, outside) in imports().items() if "argparse" in outside)
    assert users == ["kit.cli"]


def test_no_module_is_too_long():
    long = {
        str(p.relative_to(ROOT)): n
        for p in modules().values()
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert not long, f"modules over {MAX_LINES} lines: {long}"


def test_the_repository_points_at_nothing_outside_it():
    # Built from parts so that this file does not match itself.
    needles = [
        "../" + "shared",
        "design" + ".md",
        "tested" + "-recipes",
        "/wo" + "rk/",
        "shared" + "/notes",
    ]
    files = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    hits = []
    for name in files:
        path = ROOT / name
        if not path.is_file() or path.suffix in {".png", ".ttf", ".woff", ".woff2"}:
            continue
        text = path.read_text(encoding="utf-8", errors="ignore")
        hits += [f"{name}: {n}" for n in needles if n in text]
    assert not hits, f"pointers at files that do not ship with the repository: {hits}"


def test_nothing_imports_the_command_line():
    # `python -m kit` (kit/__main__.py) is the command line itself.
    importers = sorted(
        m
        for m, (inside, _) in imports().items()
        if not m.startswith(("kit.cli", "kit.commands", "kit.__main__"))
        and any(t == "kit.cli" or t.startswith("kit.commands") for t in inside)
    )
    assert importers == []
