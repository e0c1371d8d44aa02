"""The command line: `intake-app` with no command starts the application; subcommands script it."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from intake_app import __version__, safelog
from intake_app.errors import KnownError
from intake_app.i18n import _
from intake_app.paths import default_data_dir

EXIT_KNOWN_ERROR = 2
EXIT_BUG = 70

Handler = Callable[[argparse.Namespace], int]


def build_parser() -> argparse.ArgumentParser:
    from intake_app.commands import centre as centre_cmds
    from intake_app.commands import device as sync_cmds
    from intake_app.commands import records, vault_cmds
    parser = argparse.ArgumentParser(
        prog="intake-app",
        description=_("Record interviews offline and send them home as signed, encrypted bundles."),
    )
    parser.add_argument("--version", action="version", version=f"intake-app {__version__}")
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=None,
        help=_("folder that holds the vault (default: the per-user application data folder)"),
    )
    parser.add_argument("--lang", default=None, help=_("language of messages, e.g. fi, sv, en"))
    # Runs at once (from the parser) and exits with its code: the frozen build's smoke test.
    from intake_app.selfcheck import SelfCheckAction

    parser.add_argument(
        "--self-check",
        action=SelfCheckAction,
        help=_("check that this installation works, in a temporary folder, and exit"),
    )
    parser.set_defaults(handler=None)
    commands = parser.add_subparsers(title=_("commands"), metavar="COMMAND")
    demo = commands.add_parser("demo", help=_("open a throwaway vault with fictional interviews"))
    demo.set_defaults(handler=_run_demo)
    vault_cmds.register(commands)
    records.register(commands)
    sync_cmds.register(commands)
    centre_cmds.register(commands)
    return parser


def _run_gui(args: argparse.Namespace) -> int:
    from intake_app.app import run_worker

    return run_worker(data_dir=args.data_dir, demo=False)


def _run_demo(args: argparse.Namespace) -> int:
    from intake_app.app import run_worker

    return run_worker(data_dir=args.data_dir, demo=True)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `intake-app` command; returns the process exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.data_dir is None:
        args.data_dir = default_data_dir()
    if args.lang:
        from intake_app.i18n import set_language

        set_language(args.lang)
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
