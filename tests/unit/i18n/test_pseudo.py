"""The pseudo-language qps: accented, longer, bracketed, with every field kept."""

from __future__ import annotations

import pytest

from intake_app.errors import AttachmentTooLarge
from intake_app.i18n import _, ngettext, set_language
from intake_app.i18n.fields import fields_of
from intake_app.i18n.pseudo import pseudo_translate

SAMPLES = [
    "Saved at {time}",
    "The file is too large to attach (the limit is {limit}).",
    "“{question}” must be answered before the interview is final.",
    "{n:>3} of {total!r} done",
    "Braces {{like this}} stay literal next to {field}",
    "OK",
]


@pytest.mark.parametrize("text", SAMPLES)
def test_pseudo_keeps_fields_and_grows_by_about_forty_percent(text: str) -> None:
    pseudo = pseudo_translate(text)
    assert pseudo.startswith("[") and pseudo.endswith("]")
    assert fields_of(pseudo) == fields_of(text)
    assert len(pseudo) >= 1.3 * len(text)
    # The fields still fill in exactly as in English.
    values: dict[str, object] = {name: "X" for name in fields_of(text)}
    if "n" in values:
        values["n"] = 7
    filled = pseudo.format(**values)
    assert filled != text.format(**values)


def test_pseudo_accents_the_letters() -> None:
    assert pseudo_translate("Saved at {time}").startswith("[Šàṽéð àţ {time} ")
    assert pseudo_translate("") == ""


def test_set_language_qps_pseudo_translates_everything() -> None:
    set_language("qps")
    shown = _("Saved at {time}", time="12:00")
    assert shown.startswith("[Šàṽéð àţ 12:00 ·") and shown.endswith("]")
    message = AttachmentTooLarge(limit="25 MB").translated()
    assert "25 MB" in message and message.startswith("[Ţĥé ƒîļé")
    assert ngettext("One file", "{n} files", 4).startswith("[4 ƒîļéš")
