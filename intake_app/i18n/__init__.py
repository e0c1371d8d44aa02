"""Languages: gettext catalogs through Babel, the current language, locale formatting.

Qt-free; the Qt adapter that re-translates live widgets lives in `intake_app.i18n.qt`.
"""

from intake_app.i18n.catalogs import BadTranslation
from intake_app.i18n.core import (
    N_,
    _,
    add_language_listener,
    available_languages,
    bad_translations,
    current_language,
    gettext,
    gettext_in,
    language,
    ngettext,
    pgettext,
    remove_language_listener,
    set_language,
    translations_folder,
    use_translations_folder,
)
from intake_app.i18n.languages import (
    LANGUAGE_CODES,
    PSEUDO_LANGUAGE,
    SOURCE_LANGUAGE,
    Language,
    normalize_code,
)

__all__ = [
    "LANGUAGE_CODES",
    "N_",
    "PSEUDO_LANGUAGE",
    "SOURCE_LANGUAGE",
    "BadTranslation",
    "Language",
    "_",
    "add_language_listener",
    "available_languages",
    "bad_translations",
    "current_language",
    "gettext",
    "gettext_in",
    "language",
    "ngettext",
    "normalize_code",
    "pgettext",
    "remove_language_listener",
    "set_language",
    "translations_folder",
    "use_translations_folder",
]
