"""The floors of docs/architecture.md, read from the source with the ast module: an
independent check of what import-linter's layers contract enforces in CI (make lint)."""

import ast
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Lowest first, as the import-linter layers contract declares them (highest first there).
# A module may import its own floor and the floors below it.
CONTRACTS = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["tool"]["importlinter"]
FLOORS = next(c["layers"] for c in CONTRACTS["contracts"] if c["id"] == "floors")[::-1]
APPS = ("planning", "management", "evaluation", "accountability")
WIRING = ["mipg.settings", "mipg.urls", "mipg.api", "mipg.celery", "mipg.wsgi", "mipg.demo"]


def floor_of(module):
    """The floor of a dotted module name, or None (the wiring, third-party code)."""
    for floor in sorted(FLOORS, key=len, reverse=True):
        if module == floor or module.startswith(floor + "."):
            return floor
    return None


def imported_modules(path):
    """Every absolute import of a file, inside functions too."""
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module
            yield from (f"{node.module}.{alias.name}" for alias in node.names)


def modules_of(floor):
    folder = ROOT.joinpath(*floor.split("."))
    for path in sorted(folder.rglob("*.py")):
        if "migrations" not in path.parts:
            yield path


def upward_imports(floor):
    rank = FLOORS.index(floor)
    found = set()
    for path in modules_of(floor):
        for module in imported_modules(path):
            target = floor_of(module)
            if target is not None and FLOORS.index(target) > rank:
                found.add(f"{path.relative_to(ROOT)} imports {module}")
    return sorted(found)


@pytest.mark.parametrize("floor", FLOORS)
def test_no_floor_imports_a_floor_above_it(floor):
    assert upward_imports(floor) == []


def test_ground_floor_imports_no_app():
    found = [
        f"{path.relative_to(ROOT)} imports {module}"
        for path in modules_of("mipg.core")
        for module in imported_modules(path)
        if module.split(".")[0] in APPS or floor_of(module) == "mipg.traceability"
    ]
    assert found == []


@pytest.mark.parametrize("floor", FLOORS)
def test_no_floor_imports_the_wiring(floor):
    found = [
        f"{path.relative_to(ROOT)} imports {module}"
        for path in modules_of(floor)
        for module in imported_modules(path)
        if any(module == w or module.startswith(w + ".") for w in WIRING)
    ]
    assert found == []


def test_the_check_sees_an_upward_import(tmp_path):
    """The checker itself: an import inside a function is found too."""
    sample = tmp_path / "sample.py"
    sample.write_text("def f():\n    from evaluation.models import Indicator\n")
    assert "evaluation.models" in set(imported_modules(sample))
    assert floor_of("evaluation.models") == "evaluation"
    assert floor_of("mipg.core.models") == "mipg.core"
    assert floor_of("mipg.settings") is None
