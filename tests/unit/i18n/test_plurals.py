"""Issue 16, defect 9 ("1 files"): a message that counts things goes through ngettext.

The check reads the source: a `_()`, `N_()` or `gettext()` message whose placeholder is a count
(`{count}`, `{n}`, or any field given `len(...)`) is a plural without ngettext. A count standing
alone in brackets, "Attached files ({count})", needs no plural form and is allowed.
"""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
SOURCES = ROOT / "intake_app"
SINGULAR_CALLS = {"_", "N_", "gettext"}
COUNT_NAMES = {"count", "n"}
# Numbers that count nothing in their sentence, so no plural form depends on them.
NOT_PLURALS = {
    "There is no open alert with the number {n}.",  # an alert's number, not a count
    "Sending bundle {n} of {m} to the centre…",  # a position in a sequence
    # A threshold: "below 5" names no counted noun.
    "Counts below {n}, and counts from which one could be worked out with this or another "
    "report, are hidden.",
    "The total is hidden too: it is below {n}, or it could be used with another report to work "
    "out a hidden count.",
}


def _name(func: ast.expr) -> str:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def _counts(call: ast.Call, message: str) -> set[str]:
    fields = {name for _text, name, _spec, _conv in string.Formatter().parse(message) if name}
    counted = {
        keyword.arg
        for keyword in call.keywords
        if keyword.arg
        and isinstance(keyword.value, ast.Call)
        and _name(keyword.value.func) == "len"
    }
    found = fields & (COUNT_NAMES | counted)
    # "Attached files ({count})": a bare number in brackets has no plural form.
    return {
        name
        for name in found
        if "{" + name + "}" in re.sub(r"\(\{" + name + r"\}\)", "", message)
    }


def plurals_without_ngettext(root: Path = SOURCES) -> list[str]:
    found = []
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and _name(node.func) in SINGULAR_CALLS):
                continue
            if not node.args or not isinstance(node.args[0], ast.Constant):
                continue
            message = node.args[0].value
            if isinstance(message, str) and message not in NOT_PLURALS and _counts(node, message):
                where = f"{path.relative_to(root.parent)}:{node.lineno}"
                found.append(f"{where}: {message!r}")
    return found


def test_every_counted_message_goes_through_ngettext() -> None:
    assert plurals_without_ngettext() == []


def test_the_check_finds_a_plural_without_ngettext(tmp_path: Path) -> None:
    (tmp_path / "sample.py").write_text(
        "from intake_app.i18n import _, ngettext\n"
        "a = _('{count} files', count=2)\n"
        "b = _('{done} of {total} sent', done=1, total=len([]))\n"
        "c = _('Attached files ({count})', count=3)\n"
        "d = ngettext('{n} file', '{n} files', 2)\n"
        "e = _('Entry {number}', number=1)\n",
        encoding="utf-8",
    )
    found = plurals_without_ngettext(tmp_path)
    assert len(found) == 2 and "'{count} files'" in found[0] and "of {total}" in found[1]
