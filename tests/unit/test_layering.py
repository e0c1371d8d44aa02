"""The lower layers never import Qt or the UI (ARCHITECTURE.md, Layers)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "intake_app"
LOWER = ["domain", "storage", "sync"]
FORBIDDEN = ("PySide6", "shiboken6", "intake_app.ui", "intake_app.i18n.qt", "intake_app.app")


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.append(node.module)
    return names


@pytest.mark.parametrize("layer", LOWER)
def test_lower_layer_sources_import_no_qt(layer: str) -> None:
    files = sorted((PACKAGE / layer).rglob("*.py"))
    assert files, f"{layer} has no modules"
    bad = [
        f"{path.relative_to(PACKAGE)}: {name}"
        for path in files
        for name in _imports(path)
        if name.startswith(FORBIDDEN)
    ]
    assert not bad, bad


def test_importing_lower_layers_loads_no_qt() -> None:
    code = (
        "import sys, pkgutil, importlib\n"
        "import intake_app\n"
        "for layer in ('domain', 'storage', 'sync'):\n"
        "    pkg = importlib.import_module('intake_app.' + layer)\n"
        "    for info in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + '.'):\n"
        "        importlib.import_module(info.name)\n"
        "print(sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6'))))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=PACKAGE.parent,
    )
    assert out.stdout.strip() == "[]", out.stdout + out.stderr
