"""The current language and message lookup (minimal; extended by the languages issue)."""

from __future__ import annotations

_current = "en"


def N_(message: str) -> str:  # noqa: N802 - gettext convention
    """Mark a string for extraction without translating it now."""
    return message


def gettext(message: str, /, **fields: object) -> str:
    """Translate `message` into the current language and fill its named `{fields}`."""
    return message.format(**fields) if fields else message


_ = gettext


def ngettext(singular: str, plural: str, n: int, /, **fields: object) -> str:
    """Translate with a plural form chosen by `n`; `{n}` is always available."""
    text = singular if n == 1 else plural
    return text.format(n=n, **fields)


def set_language(code: str) -> None:
    global _current
    _current = code


def current_language() -> str:
    return _current
