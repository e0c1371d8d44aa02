"""Intake: offline interview recording with signed, encrypted export bundles."""

from importlib import metadata

try:
    __version__ = metadata.version("intake-app")
except metadata.PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.1.0"

APP_NAME = "intake-app"
