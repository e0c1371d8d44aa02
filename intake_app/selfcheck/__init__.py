"""`intake-app --self-check`: run the whole life of an interview once, in a temporary folder.

A worker vault and a centre are made, the laptop is enrolled, fictional interviews with photos
are recorded, searched, exported as a bundle, imported at the centre, and the receipt is
checked on the laptop. Then every file left in the folder is searched for a marker text that
was in the interviews: it must not appear anywhere in clear. The folder is removed and the
exit code is 0; on any failure a message names the step that failed and the exit code is 1.

One line per step with its time goes to standard output; only the failure goes to standard
error. Nothing touches the user's own data folder or settings. Qt runs offscreen unless
QT_QPA_PLATFORM says otherwise, so no display is needed.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

EXIT_OK = 0
EXIT_FAILED = 1
TEMP_PREFIX = "intake-selfcheck-"


def build_label() -> str:
    """The version, and for a frozen build its commit and build time (build-info.json)."""
    import json

    from intake_app import __version__

    label = f"intake-app {__version__}"
    bundle = getattr(sys, "_MEIPASS", None)
    if getattr(sys, "frozen", False) and bundle:
        try:
            info = json.loads((Path(bundle) / "build-info.json").read_text("utf-8"))
            label += f" (frozen, commit {info['commit']}, built {info['built']})"
        except (OSError, ValueError, KeyError):
            label += " (frozen, no build information)"
    return label


def _describe(error: BaseException, marker: str) -> str:
    """A one-line description of a failure; the marker never appears in it."""
    from intake_app.errors import KnownError

    if isinstance(error, KnownError):
        text = f"{error.code}: {error.translated()}"
    else:
        text = f"{type(error).__name__}: {error}"
    return text.replace(marker, "<marker>") if marker else text


def _print_trace(error: BaseException, marker: str, err: TextIO) -> None:
    """Where a bug happened (file and line), for the developer reading a CI log."""
    lines = traceback.format_exception(type(error), error, error.__traceback__)
    text = "".join(lines)
    print(text.replace(marker, "<marker>") if marker else text, file=err, end="")


def run(out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Run every step; 0 when all passed, 1 (with the failed step named on stderr) otherwise."""
    out = out if out is not None else sys.stdout
    err = err if err is not None else sys.stderr
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

    from intake_app.selfcheck.steps import STEPS, Context, StepFailed

    started = time.perf_counter()
    root = Path(tempfile.mkdtemp(prefix=TEMP_PREFIX))
    context = Context.new(root)
    print(f"{build_label()} self-check ({len(STEPS)} steps)", file=out, flush=True)
    try:
        for number, (name, action) in enumerate(STEPS, start=1):
            step_started = time.perf_counter()
            try:
                detail = action(context)
            except Exception as error:
                seconds = time.perf_counter() - step_started
                print(f"[{number:2}/{len(STEPS)}] {name}: FAILED ({seconds:.2f} s)", file=out,
                      flush=True)
                if not isinstance(error, StepFailed):
                    _print_trace(error, context.marker, err)
                print(f"self-check FAILED at step {number}, {name}: "
                      f"{_describe(error, context.marker)}", file=err, flush=True)
                return EXIT_FAILED
            seconds = time.perf_counter() - step_started
            suffix = f" - {detail}" if detail else ""
            print(f"[{number:2}/{len(STEPS)}] {name}: ok ({seconds:.2f} s){suffix}", file=out,
                  flush=True)
    finally:
        context.close()
        shutil.rmtree(root, ignore_errors=True)
    print(f"self-check passed in {time.perf_counter() - started:.2f} s", file=out, flush=True)
    return EXIT_OK


class SelfCheckAction(argparse.Action):
    """`--self-check` for argparse: runs the self-check as soon as it is parsed, then exits."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: Any) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, **kwargs)

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: object, option_string: str | None = None) -> None:
        parser.exit(run())


def main() -> int:
    """`python -m intake_app.selfcheck`: the same as `intake-app --self-check`."""
    return run()


if __name__ == "__main__":
    raise SystemExit(main())
