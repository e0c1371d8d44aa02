"""What the command-line tests share."""

from __future__ import annotations

from intake_app import safelog


def close_log_handlers() -> None:
    """Close the log file `main()` opened in the data folder (each call opens one)."""
    for handler in list(safelog.logger.handlers):
        safelog.logger.removeHandler(handler)
        handler.close()
