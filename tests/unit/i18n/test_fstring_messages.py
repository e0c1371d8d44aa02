"""No message is translated inside an f-string: the extractor (Babel, on Python 3.11) cannot see
a call there, so the text never reaches the catalogs and shows in English in every language (the
review page's "To fix before finishing" did)."""

from __future__ import annotations

import ast
from pathlib import Path

SOURCES = Path(__file__).resolve().parents[3] / "intake_app"
TRANSLATING = {"_", "gettext", "ngettext", "pgettext", "gettext_in", "tr", "translate"}


def _called(node: ast.Call) -> str:
    func = node.func
    if isinstance(func, ast.Name):
        return func.id
    return func.attr if isinstance(func, ast.Attribute) else ""


def translated_inside_f_strings(root: Path = SOURCES) -> list[str]:
    found = []
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.JoinedStr):
                continue
            for inner in ast.walk(node):
                if isinstance(inner, ast.Call) and _called(inner) in TRANSLATING:
                    found.append(f"{path.relative_to(root.parent)}:{inner.lineno}")
    return found


def test_no_message_is_translated_inside_an_f_string() -> None:
    assert translated_inside_f_strings() == []


def test_the_check_finds_one(tmp_path: Path) -> None:
    (tmp_path / "sample.py").write_text("x = f\"<h2>{esc(_('Hidden'))}</h2>\"\n", encoding="utf-8")
    assert translated_inside_f_strings(tmp_path) == [f"{tmp_path.name}/sample.py:1"]
