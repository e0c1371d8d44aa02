"""Recovery codes: 160 random bits shown once at setup, typed back in groups of four."""

from __future__ import annotations

import secrets

# Crockford's base32: no I, L, O or U, so nothing looks like something else on paper.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
GROUPS = 8
GROUP_LENGTH = 4
_LENIENT = str.maketrans({"O": "0", "I": "1", "L": "1"})


def new_recovery_code() -> str:
    """A fresh code such as `7K2M-QX9D-...` (8 groups of 4 characters, 160 bits)."""
    chars = "".join(secrets.choice(ALPHABET) for _ in range(GROUPS * GROUP_LENGTH))
    return "-".join(chars[i : i + GROUP_LENGTH] for i in range(0, len(chars), GROUP_LENGTH))


def normalize_recovery_code(typed: str) -> str | None:
    """The canonical 32 characters of a typed code, or None if it cannot be one.

    Case, spaces and dashes do not matter, and O/I/L are read as 0/1/1.
    """
    cleaned = "".join(ch for ch in typed.upper() if ch not in " -\t\r\n").translate(_LENIENT)
    if len(cleaned) != GROUPS * GROUP_LENGTH or any(ch not in ALPHABET for ch in cleaned):
        return None
    return cleaned
