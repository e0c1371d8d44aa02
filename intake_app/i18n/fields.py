"""Named `{fields}` in messages: which a text uses, and whether a translation keeps them.

A translation is only trusted when its fields are exactly the source's: a lost `{limit}` would
hide a value, an invented `{name}` would crash `str.format`.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from functools import lru_cache

_FORMATTER = string.Formatter()


class FieldError(ValueError):
    """A text whose `{fields}` cannot be used: malformed braces, or a positional field."""


@lru_cache(maxsize=8192)
def fields_of(text: str) -> frozenset[str]:
    """The names of the `{fields}` in `text`; raises FieldError if the braces are malformed."""
    try:
        parsed = list(_FORMATTER.parse(text))
    except ValueError as error:
        raise FieldError(str(error)) from None
    names: set[str] = set()
    for _literal, name, spec, _conversion in parsed:
        if name is None:
            continue
        if not name.isidentifier():
            # "{}" and "{0}" break when a translator reorders them; "{a.b}" reaches into objects.
            raise FieldError(f"field {{{name}}} is not a plain name")
        names.add(name)
        if spec and "{" in spec:
            names |= fields_of(spec)
    return frozenset(names)


def safe_fields_of(text: str) -> frozenset[str] | None:
    """Like `fields_of`, but None for a malformed text."""
    try:
        return fields_of(text)
    except FieldError:
        return None


@dataclass(frozen=True)
class FieldMismatch:
    """Why a translation's fields cannot be used."""

    missing: frozenset[str]
    unexpected: frozenset[str]
    malformed: bool = False

    def describe(self) -> str:
        """A short English description for developers and translators."""
        if self.malformed:
            return "malformed braces or a positional field"
        parts = []
        if self.missing:
            parts.append("missing " + ", ".join(sorted("{" + n + "}" for n in self.missing)))
        if self.unexpected:
            parts.append("unknown " + ", ".join(sorted("{" + n + "}" for n in self.unexpected)))
        return "; ".join(parts)


def check_translation(source: str, translation: str) -> FieldMismatch | None:
    """None when `translation` uses exactly the fields of `source`, else what differs."""
    wanted = safe_fields_of(source)
    found = safe_fields_of(translation)
    if wanted is None or found is None:
        return FieldMismatch(frozenset(), frozenset(), malformed=True)
    if wanted == found:
        return None
    return FieldMismatch(wanted - found, found - wanted)


def check_plural_form(singular: str, plural: str, form: str) -> FieldMismatch | None:
    """None when one plural `form` keeps the source's fields; `{n}` may be left out of a form."""
    wanted_singular = safe_fields_of(singular)
    wanted_plural = safe_fields_of(plural)
    found = safe_fields_of(form)
    if wanted_singular is None or wanted_plural is None or found is None:
        return FieldMismatch(frozenset(), frozenset(), malformed=True)
    allowed = wanted_singular | wanted_plural | {"n"}
    # "One file" for n == 1 is fine, but every other value must still be shown.
    required = allowed - {"n"}
    if required <= found <= allowed:
        return None
    return FieldMismatch(required - found, found - allowed)
