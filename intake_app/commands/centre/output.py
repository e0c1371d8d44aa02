"""What the `centre` commands print: outside text made safe for a terminal, JSON lines, outcomes.

Outcomes, reasons and device states are put in words by `intake_app.sync.centre.texts`, the
same words the administrator's window shows; `--json` prints the codes of bundle-format.md.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from intake_app.i18n import _

if TYPE_CHECKING:
    from intake_app.sync.centre.importer import ImportResult
    from intake_app.sync.errors import Outcome, Reason

EXIT_REFUSED = 3


def shown(text: str) -> str:
    """Text from a laptop or the share (names, file names) made safe for a terminal."""
    from intake_app.sync.format.enrolment import escape_hidden

    return escape_hidden(text)


def print_json(value: object) -> None:
    """One JSON object on one line, with nothing in it a terminal would obey."""
    from intake_app.sync.format.enrolment import has_hidden_characters

    text = json.dumps(value, ensure_ascii=False, sort_keys=False)
    if has_hidden_characters(text):
        # JSON leaves DEL, C1 controls, bidi and format characters raw; a terminal would obey.
        text = json.dumps(value, ensure_ascii=True, sort_keys=False)
    print(text)


def outcome_words(outcome: Outcome, reason: Reason | None) -> str:
    """"Imported", or "Refused: <why>": the window's words for an import's outcome."""
    from intake_app.sync.centre.texts import outcome_text, reason_text  # words only: no Qt

    words = outcome_text(outcome)
    return words if reason is None else f"{words}: {reason_text(reason)}"


def describe(result: ImportResult) -> str:
    """One bundle's line: its file name and what happened to it, in words."""
    return f"{shown(result.file)}: {outcome_words(result.outcome, result.reason)}"


def report(results: Sequence[ImportResult], as_json: bool) -> int:
    """Print one line (or JSON object) per bundle; the exit code says whether all arrived."""
    for result in results:
        if as_json:
            print_json(result.to_json())
        else:
            print(describe(result))
        if result.receipt_error is not None:
            print(_("The receipt could not be written: {problem}",
                    problem=result.receipt_error.translated()), file=sys.stderr)
    return 0 if all(result.delivered for result in results) else EXIT_REFUSED


def add_json_option(parser: argparse.ArgumentParser) -> None:
    """`--json`: print the codes as JSON objects, one a line, instead of words."""
    parser.add_argument("--json", action="store_true", help=_("print JSON"))
