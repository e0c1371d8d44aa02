"""The importer's record check: does a record document fit a form this centre knows?

A record opens with its own form version or, failing that, the newest newer version of the same
form (the domain registry's rule); with neither, or when the document's own format is newer
than this application knows, it is `unknown-form`. A document that is not an
interview document, or whose answers have errors against that form, is `invalid-record`.

The forms known are those installed with the application (or given) and, through
`with_published`, every version the centre ever published (retired ones too), read from the
centre vault (`form_versions`) and read again when a version is published.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from intake_app.domain.document import interview_from_dict
from intake_app.domain.errors import DocumentTooNew, NotADocument
from intake_app.domain.form import Form
from intake_app.domain.issues import errors
from intake_app.domain.registry import FormRegistry
from intake_app.domain.validation import validate
from intake_app.storage import Vault
from intake_app.sync.centre.form_versions import published_forms, published_keys
from intake_app.sync.format.payload_reader import FormCheck, RecordValidator

RecordValidatorFactory = Callable[[], RecordValidator]


def registry_validator(registry: FormRegistry) -> RecordValidator:
    """A record validator over the forms of `registry`."""

    def validate_record(document: Mapping[str, Any]) -> FormCheck:
        try:
            interview = interview_from_dict(dict(document))
        except DocumentTooNew:
            return FormCheck.UNKNOWN_FORM  # a newer Intake wrote it: update the centre
        except NotADocument:
            return FormCheck.INVALID
        form = registry.form_for(interview)
        if form is None:
            return FormCheck.UNKNOWN_FORM
        return FormCheck.INVALID if errors(validate(interview, form)) else FormCheck.VALID

    return validate_record


def form_validator() -> RecordValidator:
    """A record validator over the forms installed with the application."""
    return registry_validator(FormRegistry.load())


def centre_registry(base: FormRegistry, published: Sequence[Form]) -> FormRegistry:
    """`base`'s forms and the published ones (a published version replaces a built-in one of the
    same id and version: records made with it were checked against the centre's)."""
    keys = {(form.id, form.version) for form in published}
    return FormRegistry([*(f for f in base.forms() if (f.id, f.version) not in keys), *published])


def published_registry(vault: Vault, base: FormRegistry) -> FormRegistry:
    """`base` and every version published in `vault` (`centre_registry`)."""
    with vault.reading() as conn:
        return centre_registry(base, published_forms(conn))


def with_published(vault: Vault, base: RecordValidator) -> RecordValidator:
    """The versions published in `vault` for a record made with one of them, else `base`, and
    for a record `base` does not know, the published versions again (a newer one may open it).

    A record of a published version is checked against that very version even when `base` (the
    forms built into this application) knows a newer one of the same form: "the newest newer
    version" would judge it by questions the worker never saw. The published forms are loaded
    once and again only when the vault's list changes (one small SELECT per record)."""
    loaded: list[tuple[frozenset[tuple[str, str, str]], RecordValidator]] = []

    def published(keys: frozenset[tuple[str, str, str]]) -> RecordValidator:
        if not loaded or loaded[0][0] != keys:
            forms = published_forms(vault.connection)
            loaded[:] = [(keys, registry_validator(FormRegistry(forms)))]
        return loaded[0][1]

    has_table: list[bool] = []  # a vault from before schema 6 (as in upgrade tests) has none

    def current_keys() -> frozenset[tuple[str, str, str]]:
        conn = vault.connection
        if not has_table:
            found = conn.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                ("centre_form_version",),
            ).fetchone()
            if found is None:
                return frozenset()
            has_table.append(True)
        return published_keys(conn)

    def validate_record(document: Mapping[str, Any]) -> FormCheck:
        keys = current_keys()
        made_with = (document.get("form"), document.get("form_version"))
        if any((form_id, version) == made_with for form_id, version, _sha in keys):
            return published(keys)(document)
        verdict = base(document)
        if verdict is not FormCheck.UNKNOWN_FORM or not keys:
            return verdict
        return published(keys)(document)

    return validate_record
