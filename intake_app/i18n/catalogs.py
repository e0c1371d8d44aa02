"""Finding, loading and measuring the gettext catalogs under translations/.

A catalog is read from `messages.mo` when that is at least as new as `messages.po`, otherwise the
`.po` is compiled with Babel, so a translator's edit shows without a build step. The compiled
`.mo` is then kept beside the `.po` when the folder is writable (a source checkout), so the next
start reads it instead of compiling again (about 50 ms of every start); catalogs hold no personal
data. Babel's catalog modules are imported only when a `.po` is actually read.
"""

from __future__ import annotations

import gettext
import importlib.resources
import io
import logging
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from babel.messages.catalog import Catalog, Message

from intake_app.i18n.fields import check_plural_form, check_translation
from intake_app.i18n.tools.polint import lint_po

log = logging.getLogger(__name__)

DOMAIN = "messages"
REVIEW_HEADER = "X-Intake-Review"
# "draft": written without a native speaker's review; "reviewed": checked by one;
# "source": the English source catalog. A catalog that does not say is treated as a draft.
REVIEW_STATES = ("draft", "reviewed", "source")
_REVIEW_RE = re.compile(r'^"X-Intake-Review:\s*([A-Za-z-]+)\s*\\n"\s*$', re.MULTILINE)


class CatalogError(Exception):
    """A catalog file that cannot be parsed (a developer or translator error, not a user's)."""


class MessageLookup(Protocol):
    """What the language layer needs from a catalog: the three gettext lookups."""

    def gettext(self, message: str, /) -> str: ...

    def ngettext(self, singular: str, plural: str, n: int, /) -> str: ...

    def pgettext(self, context: str, message: str, /) -> str: ...


def find_translations_folder() -> Path:
    """The translations folder: frozen bundle, installed package, or the source tree."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if getattr(sys, "frozen", False) and frozen_root:
        return Path(frozen_root) / "translations"
    try:
        packaged = importlib.resources.files("intake_app.translations")
    except ModuleNotFoundError:
        packaged = None
    if isinstance(packaged, Path) and packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "translations"


def po_path(folder: Path, directory: str) -> Path:
    """translations/<directory>/LC_MESSAGES/messages.po"""
    return folder / directory / "LC_MESSAGES" / f"{DOMAIN}.po"


def mo_path(folder: Path, directory: str) -> Path:
    """translations/<directory>/LC_MESSAGES/messages.mo (a build output)"""
    return folder / directory / "LC_MESSAGES" / f"{DOMAIN}.mo"


def parse_po(path: Path, *, strict: bool = True) -> Catalog:
    """Read a `.po` with Babel; CatalogError when it does not parse.

    `strict` also refuses what Babel would silently repair (see `polint`).
    """
    from babel.messages.pofile import PoFileError, read_po

    try:
        data = path.read_bytes()
        if strict:
            problems = lint_po(data.decode("utf-8"))
            if problems:
                raise CatalogError(f"{path}: " + "; ".join(problems[:5]))
        return read_po(io.BytesIO(data), abort_invalid=strict)
    except (PoFileError, UnicodeDecodeError, ValueError) as error:
        raise CatalogError(f"{path}: {error}") from None


def compile_catalog(catalog: Catalog) -> bytes:
    """The `.mo` bytes of a catalog; fuzzy and empty translations are left out."""
    from babel.messages.mofile import write_mo

    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    return buffer.getvalue()


def mo_bytes(folder: Path, directory: str) -> bytes | None:
    """A fresh `.mo` from disk, or the `.po` compiled in memory; None when there is neither."""
    po, mo = po_path(folder, directory), mo_path(folder, directory)
    if mo.is_file() and (not po.is_file() or mo.stat().st_mtime_ns >= po.stat().st_mtime_ns):
        return mo.read_bytes()
    if po.is_file():
        data = compile_catalog(parse_po(po, strict=False))
        _keep_compiled(mo, data)
        return data
    return None


def _keep_compiled(mo: Path, data: bytes) -> None:
    """Write a compiled catalog beside its `.po` (temp, fsync, rename); skipped where read-only."""
    temp = mo.with_name(f".{mo.name}.{os.getpid()}.tmp")
    try:
        with open(temp, "xb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temp, mo)
    except OSError:
        temp.unlink(missing_ok=True)  # an installed, read-only package: compile in memory


class GuardedCatalog:
    """A loaded catalog that falls back to the English source when a translation's fields differ."""

    def __init__(self, translations: gettext.NullTranslations) -> None:
        self._translations = translations

    def gettext(self, message: str, /) -> str:
        """The translation of `message`, or `message` itself if missing or unsafe."""
        text = self._translations.gettext(message)
        if text == message or not text or check_translation(message, text) is not None:
            return message
        return text

    def pgettext(self, context: str, message: str, /) -> str:
        """The translation of `message` in `context`, or `message` itself if missing or unsafe."""
        text = self._translations.pgettext(context, message)
        if text == message or not text or check_translation(message, text) is not None:
            return message
        return text

    def ngettext(self, singular: str, plural: str, n: int, /) -> str:
        """The plural form for `n`, or the English form if missing or unsafe."""
        english = singular if n == 1 else plural
        text = self._translations.ngettext(singular, plural, n)
        if text in (singular, plural) or not text:
            return english
        if check_plural_form(singular, plural, text) is not None:
            return english
        return text


def load_catalog(folder: Path, directory: str) -> GuardedCatalog:
    """The guarded catalog for one language folder; an unreadable one gives English, logged."""
    try:
        data = mo_bytes(folder, directory)
        try:
            translations: gettext.NullTranslations = (
                gettext.GNUTranslations(io.BytesIO(data)) if data else gettext.NullTranslations()
            )
        except OSError:  # a damaged kept `.mo`: compile the `.po` again and replace it
            mo_path(folder, directory).unlink(missing_ok=True)
            data = mo_bytes(folder, directory)
            translations = (
                gettext.GNUTranslations(io.BytesIO(data)) if data else gettext.NullTranslations()
            )
    except (CatalogError, OSError) as error:
        # Catalogs hold no personal data, so the file name and parse error are safe to log.
        log.error("catalog %s unusable, showing English: %s", directory, error)
        translations = gettext.NullTranslations()
    return GuardedCatalog(translations)


@dataclass(frozen=True)
class BadTranslation:
    """A translation that is not used because its `{fields}` differ from the source."""

    msgid: str
    translation: str
    problem: str
    context: str | None = None


@dataclass(frozen=True)
class CatalogReport:
    """How complete and how trustworthy one language's catalog is."""

    directory: str
    review: str
    total: int
    translated: int
    fuzzy: int
    bad: tuple[BadTranslation, ...] = field(default=())
    error: str | None = None

    @property
    def draft(self) -> bool:
        """True unless a native speaker has reviewed the catalog (or it is the English source)."""
        return self.review not in ("reviewed", "source")

    @property
    def completeness(self) -> float:
        """The fraction of messages shown translated (fuzzy and unsafe ones do not count)."""
        if self.review == "source":
            return 1.0  # the English source needs no translation
        if self.error is not None:
            return 0.0
        return self.translated / self.total if self.total else 1.0


def review_state(path: Path) -> str:
    """The X-Intake-Review header of a `.po` ("draft" when it is missing or unknown)."""
    try:
        head = path.read_text(encoding="utf-8", errors="replace")[:8192]
    except OSError:
        return "draft"
    match = _REVIEW_RE.search(head)
    state = match.group(1).lower() if match else "draft"
    return state if state in REVIEW_STATES else "draft"


def message_problems(message: Message) -> list[str]:
    """Why a translated, non-fuzzy message would not be shown (empty when it is fine)."""
    problems: list[str] = []
    if isinstance(message.id, tuple | list):
        singular, plural = str(message.id[0]), str(message.id[1])
        forms = message.string if isinstance(message.string, tuple | list) else (message.string,)
        for index, form in enumerate(forms):
            mismatch = check_plural_form(singular, plural, str(form)) if form else None
            if mismatch is not None:
                problems.append(f"plural form {index}: {mismatch.describe()}")
    elif message.string:
        mismatch = check_translation(str(message.id), str(message.string))
        if mismatch is not None:
            problems.append(mismatch.describe())
    return problems


def is_translated(message: Message) -> bool:
    """True when every form of the message has a translation."""
    if isinstance(message.string, tuple | list):
        return all(message.string)
    return bool(message.string)


def report_catalog(catalog: Catalog, directory: str, review: str) -> CatalogReport:
    """Count the messages of a parsed catalog and find the unsafe translations."""
    total = translated = fuzzy = 0
    bad: list[BadTranslation] = []
    for message in catalog:
        if not message.id:
            continue  # the header
        total += 1
        if message.fuzzy:
            fuzzy += 1
            continue
        if not is_translated(message):
            continue
        problems = message_problems(message)
        if problems:
            source = message.id[0] if isinstance(message.id, tuple | list) else message.id
            shown = (
                message.string[0] if isinstance(message.string, tuple | list) else message.string
            )
            bad.append(
                BadTranslation(str(source), str(shown), "; ".join(problems), message.context)
            )
            continue
        translated += 1
    return CatalogReport(directory, review, total, translated, fuzzy, tuple(bad))


def read_report(folder: Path, directory: str, *, strict: bool = False) -> CatalogReport:
    """The report for one language folder; a missing or unreadable catalog reports zero messages."""
    path = po_path(folder, directory)
    review = review_state(path)
    if not path.is_file():
        return CatalogReport(directory, review, 0, 0, 0, error="no catalog")
    try:
        catalog = parse_po(path, strict=strict)
    except CatalogError as error:
        if strict:
            raise
        return CatalogReport(directory, review, 0, 0, 0, error=str(error))
    return report_catalog(catalog, directory, review)


class CatalogShelf:
    """The catalogs of one translations folder, loaded once each and kept."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder if folder is not None else find_translations_folder()
        self._catalogs: dict[str, GuardedCatalog] = {}
        self._reports: dict[str, CatalogReport] = {}

    def catalog(self, directory: str) -> GuardedCatalog:
        """The guarded catalog for a language folder ("fi", "fa_AF")."""
        found = self._catalogs.get(directory)
        if found is None:
            found = self._catalogs[directory] = load_catalog(self.folder, directory)
        return found

    def report(self, directory: str) -> CatalogReport:
        """Completeness, review state and unsafe translations for a language folder."""
        found = self._reports.get(directory)
        if found is None:
            found = self._reports[directory] = read_report(self.folder, directory)
        return found
