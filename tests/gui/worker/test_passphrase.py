"""The strength estimate guides without lying: short is too short, several words are strong."""

from __future__ import annotations

from intake_app.services.passphrase_strength import MINIMUM_LENGTH, Strength, estimate
from intake_app.storage import MIN_PASSPHRASE_LENGTH


def test_minimum_matches_the_vault() -> None:
    assert MINIMUM_LENGTH == MIN_PASSPHRASE_LENGTH


def test_levels() -> None:
    assert estimate("short").strength is Strength.TOO_SHORT
    assert estimate("aaaaaaaaaaaaaaaa").strength is Strength.WEAK
    assert estimate("qwertyuiopasdf").strength is Strength.WEAK
    assert estimate("salasana").strength is Strength.TOO_SHORT
    assert estimate("Salasana1234").strength <= Strength.FAIR
    assert estimate("lumi karhu pyörä omena").strength >= Strength.GOOD
    assert estimate("correct horse battery staple").strength >= Strength.GOOD
    assert estimate("river lamp quiet stone orange bicycle").strength is Strength.STRONG
