"""Entry point of the frozen application: PyInstaller runs this file as `__main__` (build.spec)."""

from __future__ import annotations

import sys

from intake_app.cli import main

if __name__ == "__main__":
    sys.exit(main())
