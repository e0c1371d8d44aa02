"""The shipped catalogs parse and are safe; broken catalogs are caught; the loader's choices."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from intake_app.errors import WeakPassphrase
from intake_app.i18n import (
    LANGUAGE_CODES,
    _,
    bad_translations,
    language,
    set_language,
    translations_folder,
    use_translations_folder,
)
from intake_app.i18n.catalogs import (
    CatalogError,
    compile_catalog,
    mo_path,
    parse_po,
    po_path,
    review_state,
)
from intake_app.i18n.tools.maintenance import Project, check_language, check_template

ROOT = Path(__file__).resolve().parents[3]
PROJECT = Project(ROOT)

SHORT = "The passphrase is too short. Use at least {minimum} characters."
HEADER = """\
msgid ""
msgstr ""
"Language: fi\\n"
"X-Intake-Review: {review}\\n"
"Content-Type: text/plain; charset=utf-8\\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"

"""


def write_po(folder: Path, body: str, *, directory: str = "fi", review: str = "draft") -> Path:
    """A small catalog under `folder` (HEADER plus `body`)."""
    path = po_path(folder, directory)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(HEADER.replace("{review}", review) + body, encoding="utf-8")
    return path


@pytest.fixture
def own_folder(tmp_path: Path) -> Iterator[Path]:
    """Read catalogs from a fresh folder for one test, then from the real one again."""
    folder = tmp_path / "translations"
    folder.mkdir()
    use_translations_folder(folder)
    yield folder
    use_translations_folder(None)


def test_the_translations_folder_is_the_source_tree() -> None:
    assert translations_folder() == ROOT / "translations"


@pytest.mark.parametrize("code", LANGUAGE_CODES)
def test_every_shipped_catalog_passes_the_check(code: str) -> None:
    template = parse_po(PROJECT.template)
    result = check_language(PROJECT, code, template)
    assert result.report is not None
    print(
        f"{code}: {result.report.completeness:.1%} translated "
        f"({result.report.translated}/{result.report.total}), {result.report.review}"
    )
    for warning in result.warnings:
        print(f"{code}: warning: {warning}")
    assert result.errors == []
    assert bad_translations(code) == []


def test_the_template_has_only_named_fields() -> None:
    template = parse_po(PROJECT.template)
    assert sum(1 for message in template if message.id) > 0
    assert check_template(template) == []


@pytest.mark.parametrize("code", [c for c in LANGUAGE_CODES if c != "en"])
def test_each_catalog_says_whether_a_native_speaker_reviewed_it(code: str) -> None:
    record = language(code)
    path = po_path(ROOT / "translations", str(record.directory))
    state = review_state(path)
    assert f'"X-Intake-Review: {state}\\n"' in path.read_text(encoding="utf-8")
    assert state in ("draft", "reviewed")
    assert record.draft == (state == "draft")


def test_a_malformed_catalog_is_detected(tmp_path: Path) -> None:
    broken_root = tmp_path / "tree"
    shutil.copytree(ROOT / "translations", broken_root / "translations")
    path = po_path(broken_root / "translations", "fi")
    text = path.read_text(encoding="utf-8")
    # An unterminated string, as a careless hand edit leaves it.
    path.write_text(text + '\nmsgid "Broken\nmsgstr "Rikki"\n', encoding="utf-8")
    with pytest.raises(CatalogError):
        parse_po(path, strict=True)
    result = check_language(Project(broken_root), "fi", None)
    assert any("malformed" in error for error in result.errors), result.errors


def test_a_catalog_with_a_wrong_language_header_fails_the_check(tmp_path: Path) -> None:
    root = tmp_path / "tree"
    shutil.copytree(ROOT / "translations", root / "translations")
    path = po_path(root / "translations", "sv")
    path.write_text(
        path.read_text(encoding="utf-8").replace('"Language: sv\\n"', '"Language: fi\\n"'),
        encoding="utf-8",
    )
    assert check_language(Project(root), "sv", None).errors


def test_mismatched_fields_fall_back_to_english_and_are_reported(own_folder: Path) -> None:
    write_po(
        own_folder,
        f'msgid "{SHORT}"\n'
        'msgstr "Tunnuslause on liian lyhyt. Käytä vähintään {minimi} merkkiä."\n\n'
        'msgid "The vault is locked. Unlock it to continue."\n'
        'msgstr "Holvi on lukittu. Avaa se jatkaaksesi."\n',
    )
    set_language("fi")
    # The good translation is used, the unsafe one is not (and does not crash str.format).
    assert (
        _("The vault is locked. Unlock it to continue.") == "Holvi on lukittu. Avaa se jatkaaksesi."
    )
    assert WeakPassphrase(minimum=12).translated() == SHORT.format(minimum=12)
    bad = bad_translations("fi")
    print("unsafe translations:", bad)
    assert [b.msgid for b in bad] == [SHORT]
    assert "{minimum}" in bad[0].problem and "{minimi}" in bad[0].problem
    assert language("fi").completeness == pytest.approx(0.5)


def test_malformed_braces_in_a_translation_fall_back_to_english(own_folder: Path) -> None:
    write_po(own_folder, f'msgid "{SHORT}"\nmsgstr "Vähintään {{minimum merkkiä."\n')
    set_language("fi")
    assert _(SHORT, minimum=3) == SHORT.format(minimum=3)
    assert len(bad_translations("fi")) == 1


def test_a_fuzzy_translation_is_not_used_nor_counted(own_folder: Path) -> None:
    write_po(own_folder, '#, fuzzy\nmsgid "Strong"\nmsgstr "Vahva"\n')
    set_language("fi")
    assert _("Strong") == "Strong"
    assert language("fi").completeness == 0.0


def test_a_fresh_mo_is_used_and_a_stale_one_is_not(own_folder: Path) -> None:
    po = write_po(own_folder, 'msgid "Strong"\nmsgstr "Vahva"\n')
    with po.open("rb") as stream:
        catalog = read_po(stream)
    message = catalog.get("Strong")
    assert message is not None
    message.string = "Vahva (mo)"
    mo = mo_path(own_folder, "fi")
    mo.write_bytes(compile_catalog(catalog))
    newer = po.stat().st_mtime_ns + 1_000_000_000
    os.utime(mo, ns=(newer, newer))
    use_translations_folder(own_folder)
    set_language("fi")
    assert _("Strong") == "Vahva (mo)"

    older = po.stat().st_mtime_ns - 1_000_000_000
    os.utime(mo, ns=(older, older))
    use_translations_folder(own_folder)  # reload: the .po was edited after the build
    assert _("Strong") == "Vahva"


def test_a_missing_catalog_shows_english(own_folder: Path) -> None:
    set_language("so")
    assert _("Strong") == "Strong"
    assert language("so").completeness == 0.0


def test_an_unreadable_catalog_shows_english(own_folder: Path) -> None:
    path = po_path(own_folder, "fi")
    path.parent.mkdir(parents=True)
    path.write_bytes(b'msgid "Strong"\nmsgstr "\xff\xfe broken"\n')
    set_language("fi")
    assert _("Strong") == "Strong"


def test_a_compiled_po_is_kept_beside_it_and_read_next_time(own_folder: Path) -> None:
    write_po(own_folder, 'msgid "Strong"\nmsgstr "Vahva"\n')
    mo = mo_path(own_folder, "fi")
    assert not mo.exists()
    set_language("fi")
    assert _("Strong") == "Vahva"
    assert mo.is_file() and not list(mo.parent.glob(".*.tmp"))  # kept whole, no temp left

    mo.write_bytes(mo.read_bytes().replace(b"Vahva", b"Kesto"))
    newer = po_path(own_folder, "fi").stat().st_mtime_ns + 1_000_000_000
    os.utime(mo, ns=(newer, newer))
    use_translations_folder(own_folder)  # a new start reads the kept .mo, not the .po
    assert _("Strong") == "Kesto"


def test_a_damaged_kept_mo_is_compiled_again(own_folder: Path) -> None:
    write_po(own_folder, 'msgid "Strong"\nmsgstr "Vahva"\n')
    mo = mo_path(own_folder, "fi")
    mo.write_bytes(b"not a catalog")
    newer = po_path(own_folder, "fi").stat().st_mtime_ns + 1_000_000_000
    os.utime(mo, ns=(newer, newer))
    set_language("fi")
    assert _("Strong") == "Vahva"
    assert mo.read_bytes() != b"not a catalog"


def test_a_catalog_that_cannot_be_kept_is_compiled_in_memory(own_folder: Path) -> None:
    write_po(own_folder, 'msgid "Strong"\nmsgstr "Vahva"\n')
    mo = mo_path(own_folder, "fi")
    mo.mkdir()  # where the .mo would go cannot take a file (as a read-only package folder)
    set_language("fi")
    assert _("Strong") == "Vahva"
    assert mo.is_dir() and not list(mo.parent.glob(".*.tmp"))
