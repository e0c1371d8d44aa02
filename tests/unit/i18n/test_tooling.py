"""scripts/i18n.py and its library: extract, update, todo/apply, compile, check, on a small tree."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from intake_app.i18n import _, ngettext, pgettext, set_language, use_translations_folder
from intake_app.i18n.catalogs import mo_path, parse_po, po_path, review_state
from intake_app.i18n.tools.handoff import apply_translations, untranslated
from intake_app.i18n.tools.maintenance import (
    Project,
    check_language,
    check_sources,
    check_template,
    compile_all,
    extract,
    extract_template,
    update,
)

ROOT = Path(__file__).resolve().parents[3]
SCRIPT = ROOT / "scripts" / "i18n.py"

SOURCE = """\
from intake_app.i18n import N_, _, ngettext, pgettext

SAVED = N_("Saved at {time}")


def texts(n: int) -> list[str]:
    # TRANSLATORS: shown on the unlock screen
    hello = _("Hello {name}", name="x")
    return [hello, ngettext("One file", "{n} files", n), pgettext("verb", "Open")]
"""


@pytest.fixture
def tree(tmp_path: Path) -> Iterator[Project]:
    """A small source tree with its own translations folder."""
    root = tmp_path / "tree"
    (root / "intake_app").mkdir(parents=True)
    (root / "intake_app" / "screen.py").write_text(SOURCE, encoding="utf-8")
    (root / "tests").mkdir()
    (root / "tests" / "test_x.py").write_text('_("not for translators")\n', encoding="utf-8")
    (root / "translations").mkdir()
    (root / "translations" / "babel.cfg").write_text(
        (ROOT / "translations" / "babel.cfg").read_text(encoding="utf-8"), encoding="utf-8"
    )
    yield Project(root)
    use_translations_folder(None)


def run_script(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), *args], capture_output=True, text=True, check=False
    )


def test_extract_finds_the_package_messages_only(tree: Project) -> None:
    assert extract(tree)
    template = parse_po(tree.template)
    ids = {message.id for message in template if message.id}
    assert ids == {"Saved at {time}", "Hello {name}", ("One file", "{n} files"), "Open"}
    hello = template.get("Hello {name}")
    assert hello is not None and hello.auto_comments == ["shown on the unlock screen"]
    assert template.get("Open", "verb") is not None


def test_extract_twice_changes_nothing(tree: Project) -> None:
    assert extract(tree)
    text = tree.template.read_text(encoding="utf-8")
    old = text.replace(
        text.split("POT-Creation-Date: ")[1].split("\\n")[0], "2000-01-01 00:00+0000"
    )
    tree.template.write_text(old, encoding="utf-8")
    assert not extract(tree)  # only the timestamp would differ
    assert tree.template.read_text(encoding="utf-8") == old


def test_update_creates_catalogs_with_cldr_plural_forms(tree: Project) -> None:
    extract(tree)
    assert update(tree, ["fi", "ru", "ar", "th", "fa-AF", "en"]) == [
        "fi", "ru", "ar", "th", "fa-AF", "en"
    ]  # fmt: skip
    forms = {
        code: parse_po(po_path(tree.translations, folder)).num_plurals
        for code, folder in [
            ("fi", "fi"),
            ("ru", "ru"),
            ("ar", "ar"),
            ("th", "th"),
            ("fa", "fa_AF"),
        ]
    }
    assert forms == {"fi": 2, "ru": 3, "ar": 6, "th": 1, "fa": 2}
    assert review_state(po_path(tree.translations, "fa_AF")) == "draft"
    assert review_state(po_path(tree.translations, "en")) == "source"
    assert update(tree, ["fi", "ru"]) == []  # nothing new: nothing written


def test_todo_apply_round_trip_keeps_the_review_state(tree: Project) -> None:
    extract(tree)
    update(tree, ["fi", "ru"])
    todo = untranslated(tree, "ru")
    plural = next(m for m in todo["messages"] if m.get("msgid_plural"))
    assert plural["msgstr"] == ["", "", ""]

    entries: list[dict[str, object]] = [
        {"msgid": "Hello {name}", "msgstr": "Hei {name}"},
        {"msgid": "Saved at {time}", "msgstr": "Tallennettu {aika}"},  # wrong field: refused
        {
            "msgid": "One file",
            "msgid_plural": "{n} files",
            "msgstr": ["Yksi tiedosto", "{n} tiedostoa"],
        },
        {"msgid": "Open", "context": "verb", "msgstr": "Avaa"},
    ]
    applied, problems = apply_translations(tree, "fi", entries, review="reviewed")
    assert applied == 3
    assert len(problems) == 1 and "Saved at {time}" in problems[0]
    path = po_path(tree.translations, "fi")
    assert review_state(path) == "reviewed"
    update(tree, ["fi"])
    assert review_state(path) == "reviewed"  # Babel drops custom headers; update keeps it
    left = [m["msgid"] for m in untranslated(tree, "fi")["messages"]]
    assert left == ["Saved at {time}"]
    assert check_language(tree, "fi", parse_po(tree.template)).errors == []

    compile_all(tree, ["fi"])
    assert mo_path(tree.translations, "fi").is_file()
    use_translations_folder(tree.translations)
    set_language("fi")
    assert _("Hello {name}", name="Aino") == "Hei Aino"
    assert ngettext("One file", "{n} files", 2) == "2 tiedostoa"
    assert pgettext("verb", "Open") == "Avaa"
    assert _("Saved at {time}", time="12.00") == "Saved at 12.00"


def test_source_lint_finds_f_strings_and_percent_formats(tree: Project) -> None:
    bad = tree.root / "intake_app" / "bad.py"
    bad.write_text(
        'from intake_app.i18n import _\nx = 1\nA = _(f"Hello {x}")\nB = _("Hello %s") % x\n'
        'C = _("Item {0}")\n',
        encoding="utf-8",
    )
    assert check_sources(tree) == ["intake_app/bad.py:3: f-string inside a gettext call"]
    problems = check_template(extract_template(tree))
    assert any("%-format" in p for p in problems)
    assert any("{0}" in p for p in problems)


def test_the_command_line_check_passes_on_the_real_tree() -> None:
    done = run_script("check")
    print(done.stdout, done.stderr)
    assert done.returncode == 0
    assert "fa-AF" in done.stdout


def test_the_command_line_check_fails_on_a_malformed_catalog(tree: Project) -> None:
    extract(tree)
    update(tree, ["fi"])
    assert run_script("--root", str(tree.root), "check", "fi").returncode == 0
    path = po_path(tree.translations, "fi")
    path.write_text(path.read_text(encoding="utf-8") + 'msgid "Broken\n', encoding="utf-8")
    done = run_script("--root", str(tree.root), "check", "fi")
    assert done.returncode == 1
    assert "malformed" in done.stdout


def test_the_command_line_todo_and_apply(tree: Project, tmp_path: Path) -> None:
    extract(tree)
    update(tree, ["sv"])
    todo = run_script("--root", str(tree.root), "todo", "sv")
    data = json.loads(todo.stdout)
    for entry in data["messages"]:
        if entry["msgid"] == "Hello {name}":
            entry["msgstr"] = "Hej {name}"
    answers = tmp_path / "sv.json"
    answers.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    done = run_script("--root", str(tree.root), "apply", "sv", str(answers))
    assert done.returncode == 0, done.stdout
    assert "1 translations applied" in done.stdout
    assert review_state(po_path(tree.translations, "sv")) == "draft"
