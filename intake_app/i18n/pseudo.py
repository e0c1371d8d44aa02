"""The pseudo-language "qps": accented, bracketed, ~40% longer English, for development.

Text that stays plain English was not passed through `_()`; a missing "]" means clipped text.
The `{fields}` are kept exactly so values still fill in.
"""

from __future__ import annotations

import math
import string

_ACCENTED = str.maketrans(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "àƀçðéƒĝĥîĵķļɱñöþǫŕšţûṽŵẋýžÅƁÇÐÉƑĜĤÎĴĶĻṀÑÖÞǪŔŠŢÛṼŴẊÝŽ",
)
_EXPANSION = 0.4
_PAD = "·"
_FORMATTER = string.Formatter()


def _field(name: str, spec: str, conversion: str | None) -> str:
    text = "{" + name
    if conversion:
        text += "!" + conversion
    if spec:
        text += ":" + spec
    return text + "}"


def pseudo_translate(message: str) -> str:
    """`message` accented and padded, with its `{fields}` untouched ("[Šàvéð àţ {time} ··]")."""
    if not message:
        return message
    try:
        parsed = list(_FORMATTER.parse(message))
    except ValueError:
        # Not a valid format string: accent it whole, there are no fields to keep.
        parsed = [(message, None, "", None)]
    pieces: list[str] = []
    visible = 0
    for literal, name, spec, conversion in parsed:
        if literal:
            visible += len(literal)
            escaped = literal.replace("{", "{{").replace("}", "}}")
            pieces.append(escaped.translate(_ACCENTED))
        if name is not None:
            visible += len(name) + 2
            pieces.append(_field(name, spec or "", conversion))
    padding = _PAD * max(1, math.ceil(visible * _EXPANSION) - 3)
    return "[" + "".join(pieces) + " " + padding + "]"


class PseudoCatalog:
    """A catalog that pseudo-translates every English source message on the fly."""

    def gettext(self, message: str, /) -> str:
        """The pseudo-translation of `message`."""
        return pseudo_translate(message)

    def pgettext(self, context: str, message: str, /) -> str:
        """The pseudo-translation of `message` (the context does not change it)."""
        return pseudo_translate(message)

    def ngettext(self, singular: str, plural: str, n: int, /) -> str:
        """The pseudo-translation of the English form for `n`."""
        return pseudo_translate(singular if n == 1 else plural)
