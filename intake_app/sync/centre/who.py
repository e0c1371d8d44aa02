"""Who did something at the centre: the name a change is recorded with.

Choosing a side in a record conflict, changing an interview's follow-up, publishing or
retiring a form version all record a name the administrator types (`--by NAME`), by default
the computer's user name, else "administrator". Never anything about an interviewee.
"""

from __future__ import annotations

import getpass

from intake_app.sync.centre.errors import ChooserInvalid

DEFAULT_CHOOSER = "administrator"
MAX_CHOOSER = 100


def _valid(name: str) -> bool:
    return 0 < len(name) <= MAX_CHOOSER and name.isprintable() and name == name.strip()


def default_chooser() -> str:
    """Who did it when no name is given: the operating system's user, else "administrator"."""
    try:
        name = getpass.getuser()
    except (OSError, KeyError, ImportError):
        return DEFAULT_CHOOSER
    return name if _valid(name) else DEFAULT_CHOOSER


def checked_name(by: str | None) -> str:
    """The name a change is recorded with: `by` without blanks around it, else the default
    (`default_chooser`). Raises `ChooserInvalid` for an empty, too long or unprintable name."""
    name = default_chooser() if by is None else by.strip()
    if not _valid(name):
        raise ChooserInvalid(limit=MAX_CHOOSER)
    return name
