"""The current language, listeners, plural forms and the language records."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from babel import Locale

from intake_app.i18n import (
    LANGUAGE_CODES,
    _,
    add_language_listener,
    available_languages,
    current_language,
    language,
    ngettext,
    normalize_code,
    pgettext,
    remove_language_listener,
    set_language,
    use_translations_folder,
)
from intake_app.i18n.catalogs import po_path

RU_PO = """\
msgid ""
msgstr ""
"Language: ru\\n"
"Content-Type: text/plain; charset=utf-8\\n"
"Plural-Forms: nplurals=3; plural=n % 10 == 1 && n % 100 != 11 ? 0 : n % 10 >= 2 && \
n % 10 <= 4 && (n % 100 < 12 || n % 100 > 14) ? 1 : 2;\\n"

msgid "One interview in {folder}"
msgid_plural "{n} interviews in {folder}"
msgstr[0] "{n} интервью в {folder} (0)"
msgstr[1] "{n} интервью в {folder} (1)"
msgstr[2] "{n} интервью в {folder} (2)"

msgid "One file"
msgid_plural "{n} files"
msgstr[0] "Один файл"
msgstr[1] "{n} файла"
msgstr[2] "{n} файлов {folder}"

msgctxt "verb"
msgid "Open"
msgstr "Открыть"

msgctxt "status"
msgid "Open"
msgstr "Открыто"
"""


@pytest.fixture
def russian(tmp_path: Path) -> Iterator[None]:
    path = po_path(tmp_path, "ru")
    path.parent.mkdir(parents=True)
    path.write_text(RU_PO, encoding="utf-8")
    use_translations_folder(tmp_path)
    set_language("ru")
    yield
    use_translations_folder(None)


def test_set_language_notifies_listeners_once_per_change() -> None:
    heard: list[str] = []
    also: list[str] = []
    add_language_listener(heard.append)
    add_language_listener(also.append)
    try:
        set_language("fi")
        set_language("fi")  # no change, no news
        set_language("fa_AF")
        remove_language_listener(also.append)
        set_language("en")
    finally:
        remove_language_listener(heard.append)
        remove_language_listener(also.append)
    assert heard == ["fi", "fa-AF", "en"]
    assert also == ["fi", "fa-AF"]


def test_a_failing_listener_does_not_stop_the_others() -> None:
    heard: list[str] = []

    def broken(code: str) -> None:
        raise RuntimeError("listener bug")

    add_language_listener(broken)
    add_language_listener(heard.append)
    try:
        with pytest.raises(RuntimeError, match="listener bug"):
            set_language("sv")
    finally:
        remove_language_listener(broken)
        remove_language_listener(heard.append)
    assert heard == ["sv"]
    assert current_language() == "sv"


def test_an_unknown_language_is_refused_and_changes_nothing() -> None:
    set_language("th")
    with pytest.raises(ValueError):
        set_language("de")
    assert current_language() == "th"


@pytest.mark.parametrize(
    ("given", "code"), [("fa_AF", "fa-AF"), ("FA-af", "fa-AF"), (" fi ", "fi"), ("qps", "qps")]
)
def test_codes_are_normalized(given: str, code: str) -> None:
    assert normalize_code(given) == code


def test_fields_are_filled_by_name_after_translating() -> None:
    assert _("Saved at {time}", time="12.00") == "Saved at 12.00"
    assert ngettext("One file", "{n} files", 3) == "3 files"
    assert ngettext("One file", "{n} files", 1) == "One file"


def test_plural_forms_follow_the_catalog(russian: None) -> None:
    assert ngettext("One interview in {folder}", "{n} interviews in {folder}", 1, folder="A") == (
        "1 интервью в A (0)"
    )
    assert ngettext("One interview in {folder}", "{n} interviews in {folder}", 3, folder="A") == (
        "3 интервью в A (1)"
    )
    assert ngettext("One interview in {folder}", "{n} interviews in {folder}", 11, folder="A") == (
        "11 интервью в A (2)"
    )
    # A form may leave out {n}; it may not invent {folder}: that form falls back to English.
    assert ngettext("One file", "{n} files", 1) == "Один файл"
    assert ngettext("One file", "{n} files", 2) == "2 файла"
    assert ngettext("One file", "{n} files", 5) == "5 files"


def test_context_separates_the_same_english_word(russian: None) -> None:
    assert pgettext("verb", "Open") == "Открыть"
    assert pgettext("status", "Open") == "Открыто"
    assert pgettext("other", "Open") == "Open"


def test_the_ten_languages_in_picker_order() -> None:
    codes = [record.code for record in available_languages()]
    assert codes == list(LANGUAGE_CODES)
    assert "qps" not in codes
    assert [r.code for r in available_languages(include_pseudo=True)][-1] == "qps"


@pytest.mark.parametrize("code", LANGUAGE_CODES)
def test_direction_is_rtl_for_arabic_and_dari_only(code: str) -> None:
    record = language(code)
    assert record.direction == ("rtl" if code in ("ar", "fa-AF") else "ltr")
    assert record.rtl == (code in ("ar", "fa-AF"))


def test_dari_uses_the_gettext_folder_fa_AF() -> None:
    record = language("fa-AF")
    assert (record.code, record.babel_locale, record.directory) == ("fa-AF", "fa_AF", "fa_AF")


@pytest.mark.parametrize("code", LANGUAGE_CODES)
def test_native_names_come_from_babel(code: str) -> None:
    locale = Locale.parse(code.replace("-", "_"))
    record = language(code)
    assert record.native_name in (
        locale.languages.get(str(locale)),
        locale.get_display_name(locale),
    )
    assert record.native_name


def test_some_native_names_by_sight() -> None:
    names = {record.code: record.native_name for record in available_languages()}
    assert names["fi"] == "suomi"
    assert names["ar"] == "العربية"
    assert names["fa-AF"] == "دری"  # CLDR's own name for Dari, not "Persian (Afghanistan)"
    assert names["uk"] == "українська"


def test_english_is_the_complete_reviewed_source() -> None:
    record = language("en")
    assert record.completeness == 1.0
    assert not record.draft
