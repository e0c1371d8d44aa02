"""Logging that cannot leak interview content.

Bugs are logged with their exception type and the code locations of the traceback, never the
exception message or local values: a message may quote a document. No Qt.
"""

from __future__ import annotations

import logging
import sys
import traceback
from pathlib import Path
from types import TracebackType

LOG_NAME = "intake.log"
_MAX_BYTES = 1_000_000

logger = logging.getLogger("intake")


def describe_bug(exc: BaseException) -> str:
    """The exception's type and where it happened, without its message."""
    frames = traceback.extract_tb(exc.__traceback__)
    where = " <- ".join(f"{Path(f.filename).name}:{f.lineno}:{f.name}" for f in reversed(frames))
    return f"{type(exc).__module__}.{type(exc).__qualname__} at {where or '?'}"


def log_bug(exc: BaseException, context: str) -> None:
    """Record a bug in the log without personal data."""
    logger.error("bug in %s: %s", context, describe_bug(exc))


def configure(data_dir: Path | None) -> None:
    """Log warnings and bugs to the data folder (rotated by size), or nowhere if there is none."""
    logger.setLevel(logging.INFO)
    logger.propagate = False
    for handler in list(logger.handlers):
        logger.removeHandler(handler)
        handler.close()
    if data_dir is None:
        logger.addHandler(logging.NullHandler())
        return
    from logging.handlers import RotatingFileHandler

    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        to_file: logging.Handler = RotatingFileHandler(
            data_dir / LOG_NAME, maxBytes=_MAX_BYTES, backupCount=1, encoding="utf-8"
        )
    except OSError:  # a read-only or full data folder: the command still says what is wrong
        to_file = logging.NullHandler()
    to_file.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    logger.addHandler(to_file)


def _report_unhandled(
    kind: type[BaseException], exc: BaseException, trace: TracebackType | None
) -> None:
    """Replace Python's crash output: type and code locations only, never the message."""
    if issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, exc, trace)
        return
    log_bug(exc.with_traceback(trace), "unhandled")
    sys.stderr.write(f"intake-app: bug ({describe_bug(exc)}); nothing was lost.\n")


def install_excepthook() -> None:
    """Route unhandled exceptions (in Qt slots too) through the personal-data-free report."""
    sys.excepthook = _report_unhandled
