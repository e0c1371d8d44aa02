"""Work around a reference-count bug of PySide6 6.12.0 on Python 3.11.

Every PySide6 call that returns None (every setter, and getters with nothing to return)
releases one reference to None that it never took. Python 3.12+ makes None immortal, so
nothing happens there; on 3.11 None's count (a few thousand at start) reaches zero after a
few thousand such calls and the interpreter aborts ("deallocating None"). Raising the count
once by 2**40 puts that out of reach of any session. Remove when PySide6 is fixed or the
project moves to Python 3.12+ (tests/test_ui_none_guard.py shows whether it is still needed).
"""

from __future__ import annotations

import ctypes
import sys

HEADROOM = 1 << 40
_applied = False


def needed() -> bool:
    """True where None is mortal (Python < 3.12)."""
    return sys.version_info < (3, 12)


def protect_none() -> None:
    """Raise None's reference count once so that the leak can never free it."""
    global _applied
    if _applied or not needed():
        return
    ctypes.c_ssize_t.from_address(id(None)).value += HEADROOM
    _applied = True
