"""The command line: `intake-app` with no command starts the application; subcommands script it."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from intake_app import safelog
from intake_app.errors import KnownError
from intake_app.i18n import _
from intake_app.paths import default_data_dir

EXIT_KNOWN_ERROR = 2
EXIT_BUG = 70

Handler = Callable[[argparse.Namespace], int]


def language_code(value: str) -> str:
    """`--lang`'s value as the application's code ("FI" gives "fi"); a usage error if unknown."""
    from intake_app.i18n import LANGUAGE_CODES, normalize_code

    try:
        return normalize_code(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _(
                "{value} is not a language of Intake; choose one of {codes}",
                value=value,
                codes=", ".join(LANGUAGE_CODES),
            )
        ) from None


def add_global_options(parser: argparse.ArgumentParser, default: Any) -> None:
    """`--data-dir` and `--lang`, which every command takes before or after its name."""
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=default,
        metavar="DIR",
        help=_("folder that holds the vault (default: the per-user application data folder)"),
    )
    parser.add_argument(
        "--lang",
        type=language_code,
        default=default,
        metavar="LANG",
        help=_("language of messages and of the window, e.g. fi, sv, en"),
    )


class CommandParser(argparse.ArgumentParser):
    """A parser whose subcommands, at any depth, take the global options too.

    `add_subparsers` makes subcommands of the parser's own class, so each gets the options
    here. Theirs default to SUPPRESS: left out, the value given before the subcommand stays;
    given, it wins (the last one given counts).
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        add_global_options(self, default=argparse.SUPPRESS)


class VersionAction(argparse.Action):
    """`--version`: reads the version only when asked (the metadata import costs every start)."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: Any) -> None:
        kwargs.setdefault("help", _("show the version and exit"))
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, **kwargs)

    def __call__(self, parser: argparse.ArgumentParser, *args: Any, **kwargs: Any) -> None:
        import intake_app

        print(f"intake-app {intake_app.__version__}")
        parser.exit()


def build_parser() -> argparse.ArgumentParser:
    from intake_app.commands import centre as centre_cmds
    from intake_app.commands import device as sync_cmds
    from intake_app.commands import form_versions, records, vault_cmds

    parser = CommandParser(
        prog="intake-app",
        description=_("Record interviews offline and send them home as signed, encrypted bundles."),
    )
    parser.set_defaults(handler=None, data_dir=None, lang=None)  # the top level's own defaults
    parser.add_argument("--version", action=VersionAction)
    # Runs at once (from the parser) and exits with its code: the frozen build's smoke test.
    from intake_app.selfcheck import SelfCheckAction

    parser.add_argument(
        "--self-check",
        action=SelfCheckAction,
        help=_("check that this installation works, in a temporary folder, and exit"),
    )
    commands = parser.add_subparsers(title=_("commands"), metavar="COMMAND")
    demo = commands.add_parser("demo", help=_("open a throwaway vault with fictional interviews"))
    demo.set_defaults(handler=_run_demo)
    vault_cmds.register(commands)
    records.register(commands)
    sync_cmds.register(commands)
    form_versions.register(commands)
    centre_cmds.register(commands)
    return parser


def _run_gui(args: argparse.Namespace) -> int:
    from intake_app.app import run_worker

    return run_worker(data_dir=args.data_dir, demo=False, language=args.lang)


def _run_demo(args: argparse.Namespace) -> int:
    from intake_app.app import run_worker

    return run_worker(data_dir=args.data_dir, demo=True, language=args.lang)


def _language_asked(argv: Sequence[str]) -> str | None:
    """The last `--lang` value in `argv`, looked up before parsing so that help follows it."""
    found: str | None = None
    for index, arg in enumerate(argv):
        if arg == "--":
            break
        if arg == "--lang" and index + 1 < len(argv):
            found = argv[index + 1]
        elif arg.startswith("--lang="):
            found = arg.partition("=")[2]
    return found


def _use_language(code: str | None) -> None:
    from intake_app.i18n import set_language

    if code:
        with contextlib.suppress(ValueError):  # an unknown one: the parser says so, in words
            set_language(code)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `intake-app` command; returns the process exit code."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    _use_language(_language_asked(arguments))
    args = build_parser().parse_args(arguments)
    if args.data_dir is None:
        args.data_dir = default_data_dir()
    _use_language(args.lang)
    handler: Handler = args.handler or _run_gui
    safelog.configure(args.data_dir if args.data_dir.exists() else None)
    try:
        return handler(args)
    except KnownError as error:
        print(f"intake-app: {error.translated()}", file=sys.stderr)
        return EXIT_KNOWN_ERROR
    except KeyboardInterrupt:
        print(_("Stopped. Nothing was lost."), file=sys.stderr)
        return 130
    except Exception as bug:  # the last line of defence: report without personal data
        safelog.log_bug(bug, "command line")
        if os.environ.get("INTAKE_DEBUG") == "1":
            raise
        print(_("intake-app: Something went wrong. Nothing was lost."), file=sys.stderr)
        return EXIT_BUG
