"""Catalog maintenance for developers and translators: extract, update, compile, check.

Used by `scripts/i18n.py`; not used by the running application. Writes only when content
changed (timestamps alone never make a diff) and always through a temporary file and a rename.
"""

from __future__ import annotations

import io
import os
import re
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import write_po

from intake_app import __version__
from intake_app.i18n.catalogs import (
    REVIEW_HEADER,
    CatalogError,
    CatalogReport,
    compile_catalog,
    mo_path,
    parse_po,
    po_path,
    report_catalog,
    review_state,
)
from intake_app.i18n.fields import FieldError, fields_of
from intake_app.i18n.languages import (
    LANGUAGE_CODES,
    SOURCE_LANGUAGE,
    babel_locale_of,
    directory_of,
    english_name_of,
)

PROJECT = "Intake"
COPYRIGHT = "the Intake developers"
TEMPLATE = "messages.pot"
MAPPING = "babel.cfg"
KEYWORDS: dict[str, object] = {
    "_": None,
    "N_": None,
    "gettext": None,
    "ngettext": (1, 2),
    "pgettext": ((1, "c"), 2),
}
COMMENT_TAGS = ("TRANSLATORS:",)
WIDTH = 76
# Lines that change on every run without any message changing.
_VOLATILE = re.compile(rb'^"(POT-Creation-Date|PO-Revision-Date|Generated-By): .*\\n"\n', re.M)
_TEAM_LINE = re.compile(rb'^"Language-Team: .*\\n"\n', re.M)
_FSTRING_CALL = re.compile(
    r"""\b(?:_|N_|gettext|ngettext|pgettext)\(\s*(?:[rR]?[fF]|[fF][rR])["']"""
)


@dataclass(frozen=True)
class Project:
    """Where the source package and the translations folder are."""

    root: Path
    package: str = "intake_app"

    @property
    def translations(self) -> Path:
        """The translations folder of the source tree."""
        return self.root / "translations"

    @property
    def template(self) -> Path:
        """translations/messages.pot"""
        return self.translations / TEMPLATE


def write_if_changed(path: Path, data: bytes) -> bool:
    """Atomically replace `path` with `data` unless only volatile header lines differ."""
    if path.is_file() and _VOLATILE.sub(b"", path.read_bytes()) == _VOLATILE.sub(b"", data):
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return True


def extract_template(project: Project) -> Catalog:
    """Every message of the package marked by one of KEYWORDS, as a template catalog."""
    with (project.translations / MAPPING).open(encoding="utf-8") as stream:
        method_map, options_map = parse_mapping_cfg(stream)  # type: ignore[no-untyped-call]
    template = Catalog(
        project=PROJECT,
        version=__version__,
        copyright_holder=COPYRIGHT,
        msgid_bugs_address="",
        header_comment=(
            f"# Translations template for {PROJECT}.\n"
            "# Made by `scripts/i18n.py extract`; do not edit by hand.\n#"
        ),
        charset="utf-8",
    )
    found = extract_from_dir(
        project.root,
        method_map=method_map,
        options_map=options_map,
        keywords=KEYWORDS,  # type: ignore[arg-type]
        comment_tags=COMMENT_TAGS,
        strip_comment_tags=True,
        directory_filter=lambda path: _in_package(project, path),
    )
    for filename, lineno, message, comments, context in found:
        template.add(
            message,
            None,
            [(Path(filename).as_posix(), lineno)],
            auto_comments=comments,
            context=context,
        )
    return template


def _in_package(project: Project, path: str) -> bool:
    relative = Path(path).resolve().relative_to(project.root.resolve()).parts
    name = relative[-1] if relative else ""
    inside = not relative or relative[0] == project.package
    return inside and not name.startswith((".", "__pycache__"))


def render_template(template: Catalog) -> bytes:
    """The `.pot` text: sorted by file, without line numbers (edits elsewhere cause no churn)."""
    buffer = io.BytesIO()
    write_po(buffer, template, width=WIDTH, sort_by_file=True, include_lineno=False)
    return buffer.getvalue()


def render_catalog(catalog: Catalog, review: str) -> bytes:
    """The `.po` text, with the review header that Babel itself would drop."""
    buffer = io.BytesIO()
    write_po(
        buffer, catalog, width=WIDTH, sort_by_file=True, include_lineno=False, ignore_obsolete=True
    )
    line = f'"{REVIEW_HEADER}: {review}\\n"\n'.encode()
    return _TEAM_LINE.sub(lambda match: match.group(0) + line, buffer.getvalue(), count=1)


def language_header_comment(code: str, review: str) -> str:
    """The comment at the top of a language's `.po`."""
    lines = [f"# {english_name_of(code)} ({code}) translations for {PROJECT}."]
    if review == "draft":
        lines.append("# Draft: not yet reviewed by a native speaker (see X-Intake-Review).")
    return "\n".join([*lines, "#"])


def new_catalog(code: str) -> Catalog:
    """An empty catalog for `code` with CLDR/gettext plural forms for its language."""
    review = "source" if code == SOURCE_LANGUAGE else "draft"
    return Catalog(
        locale=babel_locale_of(code),
        project=PROJECT,
        version=__version__,
        copyright_holder=COPYRIGHT,
        msgid_bugs_address="",
        header_comment=language_header_comment(code, review),
        language_team=f"{english_name_of(code)} translators of {PROJECT}",
        charset="utf-8",
        fuzzy=False,
    )


def extract(project: Project) -> bool:
    """Write translations/messages.pot from the sources; True if it changed."""
    return write_if_changed(project.template, render_template(extract_template(project)))


def update(project: Project, codes: Iterable[str] = LANGUAGE_CODES) -> list[str]:
    """Merge the template into each language's `.po`, creating missing ones; the codes changed."""
    template = parse_po(project.template)
    changed = []
    for code in codes:
        path = po_path(project.translations, directory_for(code))
        if path.is_file():
            catalog, review = parse_po(path), review_state(path)
        else:
            catalog = new_catalog(code)
            review = "source" if code == SOURCE_LANGUAGE else "draft"
        source = code == SOURCE_LANGUAGE
        # The English catalog stays empty (the msgids are the text): no fuzzy guesses there.
        catalog.update(template, no_fuzzy_matching=source)
        for message in catalog if source else ():
            if message.id:
                message.flags.discard("fuzzy")
        catalog.version = __version__
        catalog.header_comment = language_header_comment(code, review)
        if write_if_changed(path, render_catalog(catalog, review)):
            changed.append(code)
    return changed


def compile_all(project: Project, codes: Iterable[str] = LANGUAGE_CODES) -> list[Path]:
    """Write each language's `messages.mo` (a build output, ignored by git)."""
    written = []
    for code in codes:
        directory = directory_for(code)
        catalog = parse_po(po_path(project.translations, directory))
        target = mo_path(project.translations, directory)
        if not write_if_changed(target, compile_catalog(catalog)):
            target.touch()  # same bytes: still mark it as fresh against the .po
        written.append(target)
    return written


def directory_for(code: str) -> str:
    directory = directory_of(code)
    if directory is None:
        raise ValueError(f"{code} has no catalog")
    return directory


@dataclass
class LanguageCheck:
    """The result of checking one language's catalog."""

    code: str
    report: CatalogReport | None = None
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def check_language(project: Project, code: str, template: Catalog | None) -> LanguageCheck:
    """Parse one `.po` strictly and check its header, plural forms, fields and freshness."""
    result = LanguageCheck(code)
    path = po_path(project.translations, directory_for(code))
    if not path.is_file():
        result.errors.append(f"{path}: missing; run `scripts/i18n.py update`")
        return result
    try:
        catalog = parse_po(path, strict=True)
    except CatalogError as error:
        result.errors.append(f"malformed catalog: {error}")
        return result
    expected = new_catalog(code)
    if str(catalog.locale_identifier) != str(expected.locale_identifier):
        result.errors.append(
            f"Language header is {catalog.locale_identifier}, not {expected.locale}"
        )
    if catalog.num_plurals != expected.num_plurals:
        result.errors.append(
            f"Plural-Forms has {catalog.num_plurals} forms, CLDR/gettext has {expected.num_plurals}"
        )
    result.report = report_catalog(catalog, directory_for(code), review_state(path))
    for bad in result.report.bad:
        result.errors.append(f"fields differ from the source in {bad.msgid!r}: {bad.problem}")
    if template is not None:
        wanted = {message.id for message in template if message.id}
        present = {message.id for message in catalog if message.id}
        if wanted - present:
            result.warnings.append(f"{len(wanted - present)} new messages; run update")
        if present - wanted:
            result.warnings.append(f"{len(present - wanted)} messages no longer used; run update")
    return result


def check_template(template: Catalog) -> list[str]:
    """Source messages that translators cannot handle safely: `%` formats, positional fields."""
    errors = []
    for message in template:
        if not message.id:
            continue
        where = ", ".join(f"{path}" for path, _line in message.locations)
        if message.python_format:
            errors.append(f"{where}: %-format in {message.id!r}; use named {{fields}}")
        ids = message.id if isinstance(message.id, tuple | list) else (message.id,)
        for text in ids:
            try:
                fields_of(str(text))
            except FieldError as error:
                errors.append(f"{where}: {error} in {text!r}")
    return errors


def check_sources(project: Project) -> list[str]:
    """f-strings passed to `_()` and friends (the extractor cannot see what they will say)."""
    errors = []
    for path in sorted((project.root / project.package).rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        for match in _FSTRING_CALL.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            errors.append(
                f"{path.relative_to(project.root)}:{line}: f-string inside a gettext call"
            )
    return errors


def template_is_current(project: Project) -> bool:
    """True when messages.pot holds exactly what `extract` would write now."""
    fresh = _VOLATILE.sub(b"", render_template(extract_template(project)))
    stored = project.template.read_bytes() if project.template.is_file() else b""
    return fresh == _VOLATILE.sub(b"", stored)
