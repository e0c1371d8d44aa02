"""The Qt binding in use keeps Python's reference counts straight.

PySide6 6.12.0 released a reference to None on every call returning None; on Python 3.11,
where None is mortal, the interpreter aborted after a few thousand calls. pyproject.toml
excludes that release; this test catches any release with the same fault.
"""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QLineEdit


def test_setters_do_not_leak_references_to_none(qapp: object) -> None:
    edit = QLineEdit()
    edit.setText("warm up")
    before = sys.getrefcount(None)
    for _ in range(2000):
        edit.setText("x")
    after = sys.getrefcount(None)
    assert after >= before - 50, f"None lost {before - after} references in 2000 calls"
