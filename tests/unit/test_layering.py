"""The layers keep to ARCHITECTURE.md ("Layers"): who may import whom, and no Qt below the UI.

Each rule names the modules it applies to (dotted prefixes), the imports they may not make,
and the few modules excepted with the reason. Imports inside functions count too.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "intake_app"
QT = ("PySide6", "shiboken6")
SYNC_PARTS = ("intake_app.sync.format", "intake_app.sync.device", "intake_app.sync.centre")


@dataclass(frozen=True)
class Rule:
    name: str
    applies_to: tuple[str, ...]
    forbidden: tuple[str, ...]
    allowed: tuple[str, ...] = ()  # imports that look forbidden but are not (and below them)
    roots: tuple[str, ...] = ()  # packages that may be imported, but none of their modules
    excepted: tuple[str, ...] = ()  # modules the rule does not apply to (say why beside it)


RULES = [
    Rule("no Qt below the UI",
         ("intake_app.domain", "intake_app.storage", "intake_app.sync", "intake_app.services",
          "intake_app.commands", "intake_app.i18n", "intake_app.errors", "intake_app.paths",
          "intake_app.safelog", "intake_app.cli"),
         (*QT, "intake_app.ui", "intake_app.i18n.qt"),
         excepted=("intake_app.i18n.qt",)),  # the thin Qt adapter of i18n
    Rule("sync.format stands alone",
         ("intake_app.sync.format",),
         ("intake_app.sync", "intake_app.storage", "intake_app.services", "intake_app.ui",
          "intake_app.commands", "intake_app.app"),
         allowed=("intake_app.sync.format", "intake_app.sync.errors")),
    Rule("the laptop's side never imports the centre's",
         ("intake_app.sync.device",), ("intake_app.sync.centre",)),
    Rule("the centre's side never imports the laptop's",
         ("intake_app.sync.centre",), ("intake_app.sync.device",)),
    Rule("outside storage, only the package intake_app.storage",
         ("intake_app",), ("intake_app.storage.",),
         excepted=("intake_app.storage",)),
    Rule("the UI uses services and value types, not storage or sync internals",
         ("intake_app.ui",),
         ("intake_app.storage", "intake_app.sync.", "intake_app.commands"),
         roots=SYNC_PARTS),
    Rule("services and commands never import the UI",
         ("intake_app.services", "intake_app.commands"), ("intake_app.ui",)),
]


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_names(source: str, module: str) -> Iterator[str]:
    """Every module a source imports, `from X import y` giving `X.y` as well as `X`."""
    package = module.rsplit(".", 1)[0]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{anchor}.{base}" if base else anchor
            yield base
            yield from (f"{base}.{alias.name}" for alias in node.names)


def _matches(name: str, prefixes: tuple[str, ...]) -> bool:
    return any(name == p or name.startswith(p if p.endswith(".") else p + ".") for p in prefixes)


def _is_module(dotted: str) -> bool:
    path = PACKAGE.parent.joinpath(*dotted.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def breaches(rule: Rule, module: str, source: str) -> list[str]:
    if not _matches(module, rule.applies_to) or _matches(module, rule.excepted):
        return []
    found = []
    for name in imported_names(source, module):
        if _matches(name, rule.allowed) or name in rule.roots:
            continue
        if not _matches(name, rule.forbidden):
            continue
        if name.startswith("intake_app.") and not name.startswith(QT) and not _is_module(name):
            continue  # `from package import Name`: a name, judged by the package itself
        found.append(f"{module}: {name}")
    return sorted(set(found))


def _sources() -> list[tuple[str, str]]:
    return [(module_name(path), path.read_text(encoding="utf-8"))
            for path in sorted(PACKAGE.rglob("*.py"))]


@pytest.mark.parametrize("rule", RULES, ids=[rule.name for rule in RULES])
def test_rule_holds(rule: Rule) -> None:
    bad = [line for module, source in _sources() for line in breaches(rule, module, source)]
    assert not bad, "\n".join(bad)


@pytest.mark.parametrize(("module", "source", "rule_name"), [
    ("intake_app.storage.vault", "from PySide6.QtCore import QObject", "no Qt below the UI"),
    ("intake_app.sync.format.reader", "from intake_app.sync.centre import devices",
     "sync.format stands alone"),
    ("intake_app.sync.format.reader", "import intake_app.storage", "sync.format stands alone"),
    ("intake_app.sync.device.export", "from intake_app.sync.centre.importer import x",
     "the laptop's side never imports the centre's"),
    ("intake_app.sync.centre.apply", "from intake_app.storage.attachments import add",
     "outside storage, only the package intake_app.storage"),
    ("intake_app.sync.centre.apply", "from intake_app.storage import attachments",
     "outside storage, only the package intake_app.storage"),
    ("intake_app.ui.admin.window", "from intake_app.sync.centre.release import approve",
     "the UI uses services and value types, not storage or sync internals"),
    ("intake_app.ui.worker.shell", "    from intake_app.storage import Vault",
     "the UI uses services and value types, not storage or sync internals"),
    ("intake_app.services.worker", "from intake_app.ui.tasks import when_done",
     "services and commands never import the UI"),
])
def test_each_rule_catches_a_breach(module: str, source: str, rule_name: str) -> None:
    rule = next(rule for rule in RULES if rule.name == rule_name)
    assert breaches(rule, module, "def f():\n" + source if source.startswith(" ") else source)


def test_allowed_imports_pass() -> None:
    ui = next(rule for rule in RULES if rule.name.startswith("the UI"))
    assert not breaches(ui, "intake_app.ui.admin.window",
                        "from intake_app.sync.centre import Outcome")
    assert not breaches(ui, "intake_app.ui.worker.shell", "from intake_app.services import worker")


def test_importing_lower_layers_loads_no_qt() -> None:
    code = (
        "import sys, pkgutil, importlib\n"
        "import intake_app\n"
        "for layer in ('domain', 'storage', 'sync', 'services', 'commands'):\n"
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
