"""Composition root: builds the services, the QApplication and the main window."""

from __future__ import annotations

from pathlib import Path


def run_application(data_dir: Path, demo: bool) -> int:
    """Start the graphical application; returns the exit code."""
    from intake_app.ui.main import run

    return run(data_dir=data_dir, demo=demo)
