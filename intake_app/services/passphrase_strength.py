"""A rough strength estimate for a new passphrase, to guide the worker while typing.

It rewards length and several words, and punishes repeats and keyboard runs, which is what
people get wrong most often. A new passphrase it rates too short or weak is refused, in the
window and on the command line (`refusal`). Length is counted after NFC normalisation, as the
key derivation sees the passphrase.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from enum import IntEnum

from intake_app.i18n import N_, _
from intake_app.i18n.formatting import format_number

# The storage layer's MIN_PASSPHRASE_LENGTH (a test keeps them equal); not imported from there
# so that the unlock screen does not wait for SQLCipher and cryptography to load.
MINIMUM_LENGTH = 10

_RUNS = ("abcdefghijklmnopqrstuvwxyz", "qwertyuiopasdfghjklzxcvbnm", "0123456789")
_COMMON = frozenset(
    {"password", "salasana", "passphrase", "qwerty", "letmein", "welcome", "intake", "123456"}
)


class Strength(IntEnum):
    TOO_SHORT = 0
    WEAK = 1
    FAIR = 2
    GOOD = 3
    STRONG = 4


LABELS = {
    Strength.TOO_SHORT: N_("Too short"),
    Strength.WEAK: N_("Weak"),
    Strength.FAIR: N_("Fair"),
    Strength.GOOD: N_("Good"),
    Strength.STRONG: N_("Strong"),
}
ADVICE = {
    Strength.TOO_SHORT: N_("Use at least {minimum} characters."),
    Strength.WEAK: N_("Add more words; avoid repeats and keyboard rows."),
    Strength.FAIR: N_("Better. One or two more words make it good."),
    Strength.GOOD: N_("One more word makes it strong."),
    Strength.STRONG: N_("Do not write it down near the computer."),
}


@dataclass(frozen=True)
class StrengthEstimate:
    strength: Strength
    bits: float


def _alphabet_size(text: str) -> int:
    size = 0
    if re.search(r"[a-z]", text):
        size += 26
    if re.search(r"[A-Z]", text):
        size += 26
    if re.search(r"[0-9]", text):
        size += 10
    if re.search(r"[^A-Za-z0-9\s]", text):
        size += 33
    if any(ord(c) > 127 for c in text):
        size += 60
    return max(size, 10)


def _effective_length(text: str) -> int:
    """Length with repeated characters and keyboard or alphabet runs counted once."""
    lowered = text.lower()
    count = 0
    for i, char in enumerate(lowered):
        if i and char == lowered[i - 1]:
            continue
        if i and any(lowered[i - 1 : i + 1] in run for run in _RUNS):
            continue
        count += 1
    return count


def estimate(passphrase: str) -> StrengthEstimate:
    """How strong `passphrase` looks, in rough bits and a level from TOO_SHORT to STRONG."""
    passphrase = unicodedata.normalize("NFC", passphrase)
    if len(passphrase) < MINIMUM_LENGTH:
        return StrengthEstimate(Strength.TOO_SHORT, 0.0)
    if passphrase.strip().lower() in _COMMON:
        return StrengthEstimate(Strength.WEAK, 10.0)
    by_characters = _effective_length(passphrase) * math.log2(_alphabet_size(passphrase)) * 0.5
    words = [w for w in re.split(r"[\s\-_.,]+", passphrase) if len(w) >= 3]
    by_words = len(set(words)) * 12.0 if len(words) >= 3 else 0.0
    bits = max(by_characters, by_words)
    if bits < 35:
        level = Strength.WEAK
    elif bits < 50:
        level = Strength.FAIR
    elif bits < 65:
        level = Strength.GOOD
    else:
        level = Strength.STRONG
    return StrengthEstimate(level, bits)


# The weakest level a new passphrase may have.
ACCEPTED = Strength.FAIR


def refusal(passphrase: str) -> str | None:
    """Why `passphrase` cannot be a new passphrase (translated, with advice), or None."""
    level = estimate(passphrase).strength
    if level >= ACCEPTED:
        return None
    return _(
        "Strength: {level}. This passphrase cannot be used. {advice}",
        level=_(LABELS[level]),
        advice=_(ADVICE[level], minimum=format_number(MINIMUM_LENGTH)),
    )
