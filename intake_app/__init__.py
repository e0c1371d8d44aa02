"""Intake: offline interview recording with signed, encrypted export bundles."""

from __future__ import annotations

APP_NAME = "intake-app"


def __getattr__(name: str) -> str:
    """`__version__`, read from the installed metadata on first use.

    Importing `importlib.metadata` costs about 20 ms, and every start of the window imports this
    package while only `--version`, the self-check and the translators' tools want the version.
    """
    if name != "__version__":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import metadata

    try:
        version = metadata.version("intake-app")
    except metadata.PackageNotFoundError:  # a source tree that is not installed
        version = "0.1.0"
    globals()["__version__"] = version
    return version
