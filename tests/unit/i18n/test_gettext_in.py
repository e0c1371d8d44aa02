"""`gettext_in`: a message in a language chosen for a file, whatever the window speaks."""

from __future__ import annotations

from intake_app.i18n import current_language, gettext_in, set_language


def test_a_message_in_another_language_leaves_the_current_one_alone() -> None:
    set_language("en")
    assert gettext_in("fi", "Status") == "Tila"
    assert gettext_in("en", "Status") == "Status"
    assert current_language() == "en"
    set_language("fi")
    assert gettext_in("en", "Status") == "Status"
    assert gettext_in("fi", "Interviews") == "Haastattelut"


def test_fields_are_filled_after_translating() -> None:
    assert gettext_in("en", "{count} apples", count=3) == "3 apples"
