"""Issue 16, defect 7: a passphrase the meter rates weak is refused, with advice, in the window
and on the command line; its length is counted after NFC normalisation."""

from __future__ import annotations

import io

import pytest

from intake_app.commands.passphrase_input import SecretInput
from intake_app.services.passphrase_strength import Strength, estimate, refusal
from intake_app.ui.new_passphrase import NewPassphraseFields
from tests.helpers.ui import speaking


def _fields(qtbot, text: str) -> NewPassphraseFields:
    fields = NewPassphraseFields()
    qtbot.addWidget(fields)
    fields.passphrase.setText(text)
    fields.confirmation.setText(text)
    return fields


def test_the_window_refuses_a_weak_passphrase_with_advice(qtbot) -> None:
    assert estimate("salasana12").strength is Strength.WEAK
    fields = _fields(qtbot, "salasana12")
    assert not fields.acceptable()
    assert "cannot be used" in fields.strength_label.text()
    assert "Add more words" in fields.strength_label.text()


def test_the_window_accepts_a_fair_passphrase(qtbot) -> None:
    fields = _fields(qtbot, "passphrase number 0")
    assert fields.acceptable()


def test_the_refusal_is_translated(qtbot) -> None:
    with speaking("fi"):
        fields = _fields(qtbot, "salasana12")
        assert not fields.acceptable()
        assert fields.strength_label.text() == refusal("salasana12")


def test_length_counts_characters_after_nfc() -> None:
    decomposed = "a\u0308" * 6  # twelve code points, six letters
    assert estimate(decomposed).strength is Strength.TOO_SHORT
    assert refusal(decomposed) is not None


def test_the_command_line_refuses_a_weak_passphrase() -> None:
    with pytest.raises(SystemExit) as refused:
        SecretInput(io.StringIO("salasana12\n")).read_new("New: ", "Again: ")
    message = str(refused.value.code)
    assert "cannot be used" in message and "Add more words" in message
    assert "salasana12" not in message


def test_the_command_line_takes_a_fair_passphrase() -> None:
    given = SecretInput(io.StringIO("passphrase number 0\n")).read_new("New: ", "Again: ")
    assert given == "passphrase number 0"
