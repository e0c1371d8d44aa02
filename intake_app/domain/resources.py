"""Where the application's resources (forms, consent texts, icons) are, in every way it runs."""

from __future__ import annotations

import importlib.resources
import sys
from importlib.resources.abc import Traversable
from pathlib import Path


def resources_dir() -> Traversable:
    """The resources folder: PyInstaller bundle, source checkout, or installed package."""
    bundle = getattr(sys, "_MEIPASS", None)
    if getattr(sys, "frozen", False) and bundle is not None:
        return Path(bundle) / "resources"
    checkout = Path(__file__).resolve().parents[2] / "resources"
    if checkout.is_dir():
        return checkout
    return importlib.resources.files("intake_app.resources")


def forms_dir() -> Traversable:
    """The folder of form definition files."""
    return resources_dir() / "forms"
