"""Reading secrets for the command line: from the terminal, or line by line from standard input."""

from __future__ import annotations

import getpass
import sys
from collections.abc import Callable
from typing import TextIO

from intake_app.errors import KnownError
from intake_app.i18n import N_, _


class InputNotText(KnownError):
    code = "input-not-text"
    message = N_(
        "What came on standard input is not text in UTF-8 (the encoding Intake reads). "
        "Give the passphrase as UTF-8 text, or type it when asked. Nothing was changed."
    )


class SecretInput:
    """Asks the terminal, or takes successive lines of standard input when it is not a terminal."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self._stream = stream if stream is not None else sys.stdin

    @property
    def interactive(self) -> bool:
        return self._stream.isatty()

    def read(self, prompt: str) -> str:
        if self.interactive:
            return getpass.getpass(prompt)
        line = _text(self._stream.readline)
        if not line:
            raise SystemExit(_("No passphrase was given on standard input."))
        return line.rstrip("\r\n")

    def read_new(self, prompt: str, confirm_prompt: str) -> str:
        """A new secret: asked twice on a terminal, once from standard input. One the strength
        meter rates too short or weak is refused, with advice."""
        from intake_app.services.passphrase_strength import refusal

        first = self.read(prompt)
        reason = refusal(first)
        if reason is not None:
            raise SystemExit(_("{reason} Nothing was changed.", reason=reason))
        if self.interactive and self.read(confirm_prompt) != first:
            raise SystemExit(_("The two passphrases are different. Nothing was changed."))
        return first

    def rest(self) -> str:
        """Everything left on standard input (a document after the passphrase line)."""
        return _text(self._stream.read)


def _text(read: Callable[[], str]) -> str:
    """What `read` returns, checked to be UTF-8 text: bytes that are not raise InputNotText
    (a strict stream fails to decode them; a lenient one passes them as lone surrogates)."""
    try:
        text = read()
        text.encode("utf-8")
    except UnicodeError:
        raise InputNotText() from None
    return text
