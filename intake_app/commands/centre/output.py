"""What the `centre` commands share: the options they have in common (`--json`, `--by`,
`--labels-lang`, a file's format from `--format` or its name), refusing options that contradict
each other, and what they print (outside text made safe for a terminal, JSON lines, outcomes).

Outcomes, reasons and device states are put in words by `intake_app.sync.centre.texts`, the
same words the administrator's window shows; `--json` prints the codes of bundle-format.md.
"""

from __future__ import annotations

import argparse
import functools
import json
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from intake_app.cli import language_code
from intake_app.i18n import _

if TYPE_CHECKING:
    from intake_app.sync.centre.importer import ImportResult
    from intake_app.sync.errors import Outcome, Reason

EXIT_INVALID = 2  # options that cannot work together (as argparse's), a file that cannot be used
EXIT_REFUSED = 3
FILE_FORMATS = ("xlsx", "csv", "pdf")  # every kind of file a centre command writes

Handler = Callable[[argparse.Namespace], int]
Item = TypeVar("Item")
Rule = Callable[[argparse.Namespace], "str | None"]


def refusing(rule: Rule) -> Callable[[Handler], Handler]:
    """Decorate a command: when `rule(args)` finds options that contradict each other or that
    the command would ignore, its words go to standard error and the command stops with exit
    code 2 before anything is asked or opened."""

    def wrap(handler: Handler) -> Handler:
        @functools.wraps(handler)
        def run(args: argparse.Namespace) -> int:
            problem = rule(args)
            if problem is None:
                return handler(args)
            print(f"intake-app: {problem}", file=sys.stderr)
            return EXIT_INVALID

        return run

    return wrap


def format_by_name(target: Path | None, formats: Sequence[str], fallback: str) -> str:
    """The format that `target`'s extension names, if it is one of `formats`, else `fallback`."""
    suffix = target.suffix.casefold().lstrip(".") if target is not None else ""
    return suffix if suffix in formats else fallback


def name_contradicts(chosen: str, target: Path) -> str | None:
    """Words refusing a file whose name says another kind of file than the one written."""
    suffix = target.suffix.casefold().lstrip(".")
    if suffix not in FILE_FORMATS or suffix == chosen:
        return None
    return _(
        "The name {file} ends in .{suffix}, but the file would be written as {format}: "
        "end the name in .{format}, or choose the format its name says.",
        file=target,
        suffix=suffix,
        format=chosen,
    )


def add_labels_option(parser: argparse.ArgumentParser) -> None:
    """`--labels-lang LANG`: the labels' language, for the file alone (`--lang` sets both)."""
    parser.add_argument(
        "--labels-lang",
        type=language_code,  # as `--lang`: "FI" is fi, an unknown one a usage error
        default=None,
        metavar="LANG",
        help=_("language of the labels (default: that of the messages)"),
    )


def chosen_labels_language(args: argparse.Namespace) -> str:
    """`--labels-lang` if given, else the language of the messages."""
    from intake_app.i18n import current_language

    return str(args.labels_lang or current_language())


def add_by_option(parser: argparse.ArgumentParser, help_text: str) -> None:
    """`--by NAME`: who does it, written in the centre's history."""
    parser.add_argument("--by", default=None, metavar="NAME", help=help_text)


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


def print_each(
    items: Iterable[Item],
    as_json: bool,
    json_of: Callable[[Item], object],
    words_of: Callable[[Item], str],
) -> None:
    """Each item as one JSON object a line (`--json`), or in its words."""
    for item in items:
        if as_json:
            print_json(json_of(item))
        else:
            print(words_of(item))


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
        say_receipt_problem(result)
    return 0 if all(result.delivered for result in results) else EXIT_REFUSED


def say_receipt_problem(result: ImportResult) -> None:
    """On standard error: the bundle arrived, but its receipt could not be written."""
    if result.receipt_error is not None:
        print(_("The receipt could not be written: {problem}",
                problem=result.receipt_error.translated()), file=sys.stderr)


def add_json_option(parser: argparse.ArgumentParser) -> None:
    """`--json`: print the codes as JSON objects, one a line, instead of words."""
    parser.add_argument("--json", action="store_true", help=_("print JSON"))
