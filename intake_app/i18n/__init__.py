"""Languages: gettext catalogs through Babel, the current language, locale formatting.

Qt-free; the Qt adapter that re-translates live widgets lives in `intake_app.i18n.qt`.
"""

from intake_app.i18n.core import N_, _, current_language, gettext, ngettext, set_language

__all__ = ["N_", "_", "current_language", "gettext", "ngettext", "set_language"]
