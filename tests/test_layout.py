"""The package's layout rules (docs/architecture.md), read from the source itself:
nothing imports upward, no module imports the package root, modules stay small."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import leannet

ROOT = Path(leannet.__file__).parent
APPS = ("lab", "sweep", "cli", "sklearn", "playground", "exercises")
#: what each application may import besides the core (the core imports no application)
MAY_IMPORT = {
    "core": set(),
    "sklearn": set(),
    "lab": set(),
    "exercises": set(),
    "sweep": {"lab", "sklearn"},
    "playground": {"lab"},
    "cli": set(APPS),
}
MAX_LINES = 400


def _modules():
    return sorted(p for p in ROOT.rglob("*.py") if "__pycache__" not in p.parts)


def _name(path: Path) -> str:
    parts = ("leannet",) + path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _area(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in APPS else "core"


def _imports(path: Path):
    """(imported module, line) for every import in the file, relative ones resolved;
    ``from pkg import name`` yields ``pkg.name`` when that is a module, else ``pkg``."""
    module = _name(path)
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            for alias in node.names:
                sub = f"{target}.{alias.name}"
                is_module = (ROOT.parent / sub.replace(".", "/")).with_suffix(".py").exists() or (
                    ROOT.parent / sub.replace(".", "/") / "__init__.py"
                ).exists()
                yield (sub if is_module else target), node.lineno


def test_nothing_imports_upward():
    wrong = []
    for path in _modules():
        area = _area(_name(path))
        if _name(path) in ("leannet", "leannet.__main__"):
            continue  # the front door and `python -m leannet` sit on top of everything
        for target, line in _imports(path):
            if target.split(".")[0] != "leannet":
                continue
            other = _area(target)
            if other != "core" and other != area and other not in MAY_IMPORT[area]:
                wrong.append(f"{path.relative_to(ROOT)}:{line} ({area}) imports {target}")
    assert wrong == []


def test_no_module_imports_the_package_root():
    wrong = [
        f"{path.relative_to(ROOT)}:{line}"
        for path in _modules()
        if _name(path) != "leannet"
        for target, line in _imports(path)
        if target == "leannet"
    ]
    assert wrong == []


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_modules_stay_small(path):
    assert len(path.read_text(encoding="utf-8").splitlines()) <= MAX_LINES
