"""Form packages: interview forms the centre publishes on the share, signed with its receipt key.

bundle-format.md ("Form packages") is the spec; docs/bundle-notes.md ("Form packages") lists
what it leaves open and what we decided. On the share (folder `FORMS_FOLDER`):

    forms/<form id>_<version>.json   (+ .minisig)   one published form version
    forms/index.json                 (+ .minisig)   every published version and its state

Names: `package_name(form_id, version)`, `INDEX_NAME`, `SIGNATURE_SUFFIX` (".minisig").

A package file is the form definition (docs/form-format.md) as canonical JSON
(`domain.json_text.canonical_json`, UTF-8). Its signature is a prehashed (`ED`) minisign
signature by the centre's receipt key, trusted comment exactly
`intake-form v1 centre=<centre_id> form=<form id> version=<version> sha256=<hex of the file>`.

The index is canonical JSON too:

    {"centre_id": "<uuid>", "format": "intake-form-index", "forms": [
        {"form": "intake-fi", "published": "2026-03-01T10:00:00Z", "sha256": "<hex>",
         "size": 254985, "state": "current", "version": "2026.3"}, ...],
     "serial": 7, "updated": "2026-03-01T10:00:00Z", "version": 1}

`state` is "current" (new interviews may start with it) or "retired" (only finish and send
the ones there are). `serial` grows by one at every rewrite, so a reader can refuse an older
index put back on the share. Only versions the centre published are listed, never the forms
built into the application. Its signature's trusted comment is exactly
`intake-form-index v1 centre=<centre_id> sha256=<hex of the file>`.

Writing (the centre): `package_bytes(definition)` gives a definition's canonical bytes (checked
with the strict form loader); `sign_package(data, centre_id=, secret_key=)` and
`sign_index(index, secret_key)` return a `SignedFile` (name, data, signature) that the caller
writes with the share's write rule, the signature first (`sync.share.write_signed_file`).

Reading (the laptop): read the bytes and the `.minisig` by the share's read rule, at most
`MAX_INDEX_SIZE` / `MAX_PACKAGE_SIZE` and `MAX_SIGNATURE_SIZE` bytes (read one byte more so a
larger file shows as too large), then

    index = verify_index(data, signature, centre_id=profile.centre_id,
                         receipt_key=profile.receipt_key)
    for entry in index.entries:
        form = verify_package(data, signature, centre_id=..., receipt_key=..., entry=entry)

Both check the size, then the signature (prehashed only, the receipt key's id, Ed25519) before
anything else is parsed, then the trusted comment field by field, then the SHA-256 (and for a
package the entry's size and SHA-256), and only then parse the JSON strictly. `verify_package`
also requires canonical bytes and a definition the strict form loader accepts, whose id and
version are the ones signed. Every refusal is `sync.errors.FormPackageRefused` with a
`FormPackageProblem`; nothing is returned half-checked. `VerifiedForm` carries the exact bytes
(to keep in the vault and compare with a version already held), the parsed definition and the
loaded `domain.form.Form`.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import minisign

from intake_app.domain.errors import FormInvalid
from intake_app.domain.form import Form, version_key
from intake_app.domain.form_loader import FORM_ID, VERSION, form_from_data
from intake_app.domain.json_text import canonical_json
from intake_app.sync.errors import FormPackageProblem, FormPackageRefused
from intake_app.sync.format import spec
from intake_app.sync.format.keys import parse_public_key
from intake_app.sync.format.strict_json import (
    SHA256_RE,
    UUID_RE,
    FormatProblem,
    dumps_canonical,
    exact_keys,
    expect,
    get_int,
    get_list,
    get_match,
    get_object,
    get_timestamp,
    loads_object,
)

FORMS_FOLDER = "forms"
INDEX_NAME = "index.json"
INDEX_FORMAT = "intake-form-index"
INDEX_VERSION = 1
MAX_PACKAGE_SIZE = 8 * spec.MiB  # the shipped form is about 250 KiB
MAX_INDEX_SIZE = 1 * spec.MiB
MAX_INDEX_ENTRIES = 1000
MAX_SIGNATURE_SIZE = spec.MAX_SIGNATURE_SIZE
SIGNATURE_SUFFIX = spec.SIGNATURE_SUFFIX

_FORM_ID = FORM_ID.pattern.strip("^$")
_VERSION = VERSION.pattern.strip("^$").replace("(", "(?:")
_PACKAGE_COMMENT_RE = re.compile(
    rf"intake-form v1 centre=(?P<centre>{UUID_RE.pattern}) form=(?P<form>{_FORM_ID})"
    rf" version=(?P<version>{_VERSION}) sha256=(?P<sha256>[0-9a-f]{{64}})"
)
_INDEX_KEYS = frozenset({"format", "version", "centre_id", "serial", "updated", "forms"})
_ENTRY_KEYS = frozenset({"form", "version", "state", "sha256", "size", "published"})
_FORM_ID_RE = re.compile(_FORM_ID)
_VERSION_RE = re.compile(_VERSION)


class FormState(StrEnum):
    """Whether laptops may start new interviews with a published version."""

    CURRENT = "current"
    RETIRED = "retired"


def package_name(form_id: str, version: str) -> str:
    """`<form id>_<version>.json` (a form id holds no underscore, so the name is unambiguous)."""
    if not _FORM_ID_RE.fullmatch(form_id) or not _VERSION_RE.fullmatch(version):
        raise ValueError("not a form id and version")
    return f"{form_id}_{version}.json"


def package_comment(centre_id: str, form_id: str, version: str, sha256: str) -> str:
    """The exact trusted comment of a package's signature."""
    return f"intake-form v1 centre={centre_id} form={form_id} version={version} sha256={sha256}"


def index_comment(centre_id: str, sha256: str) -> str:
    """The exact trusted comment of the index's signature."""
    return f"intake-form-index v1 centre={centre_id} sha256={sha256}"


@dataclass(frozen=True, slots=True)
class SignedFile:
    """A file to write on the share with its `.minisig` (signature first)."""

    name: str
    data: bytes
    signature: bytes


@dataclass(frozen=True, slots=True)
class IndexEntry:
    """One published version as the index lists it."""

    form_id: str
    version: str
    state: FormState
    sha256: str
    size: int
    published: str

    @property
    def file_name(self) -> str:
        return package_name(self.form_id, self.version)

    def to_json(self) -> dict[str, Any]:
        return {
            "form": self.form_id,
            "version": self.version,
            "state": self.state.value,
            "sha256": self.sha256,
            "size": self.size,
            "published": self.published,
        }


@dataclass(frozen=True, slots=True)
class FormIndex:
    """The share's list of published form versions; entries by form id, then version."""

    centre_id: str
    serial: int
    updated: str
    entries: tuple[IndexEntry, ...]

    def __post_init__(self) -> None:
        ordered = tuple(sorted(self.entries, key=lambda e: (e.form_id, version_key(e.version))))
        object.__setattr__(self, "entries", ordered)

    def entry(self, form_id: str, version: str) -> IndexEntry | None:
        """The entry of this version, if listed."""
        return next((e for e in self.entries if (e.form_id, e.version) == (form_id, version)), None)

    def current(self) -> tuple[IndexEntry, ...]:
        """The versions new interviews may start with."""
        return tuple(e for e in self.entries if e.state is FormState.CURRENT)

    def to_json(self) -> dict[str, Any]:
        return {
            "format": INDEX_FORMAT,
            "version": INDEX_VERSION,
            "centre_id": self.centre_id,
            "serial": self.serial,
            "updated": self.updated,
            "forms": [entry.to_json() for entry in self.entries],
        }

    def to_bytes(self) -> bytes:
        """The index file's bytes (canonical JSON); checked by parsing them back."""
        data = dumps_canonical(self.to_json())
        parse_index(data)
        return data


@dataclass(frozen=True, slots=True)
class VerifiedForm:
    """A package that verified: its exact bytes, the definition and the loaded form."""

    form_id: str
    version: str
    sha256: str
    data: bytes
    definition: dict[str, Any]
    form: Form


# --- writing ------------------------------------------------------------------------------


def package_bytes(definition: Mapping[str, Any]) -> bytes:
    """A form definition's package bytes: canonical JSON, accepted by the strict form loader.

    Raises `domain.errors.FormInvalid` for a definition the loader refuses and `ValueError`
    for one over `MAX_PACKAGE_SIZE`.
    """
    data = canonical_json(dict(definition)).encode("utf-8")
    if len(data) > MAX_PACKAGE_SIZE:
        raise ValueError("the form is larger than a form package may be")
    form_from_data(loads_object(data), "definition")
    return data


def _sign(secret_key: minisign.SecretKey, data: bytes, comment: str) -> bytes:
    signature = secret_key.sign(data, prehash=True, trusted_comment=comment)
    return bytes(signature) + b"\n"


def sign_package(data: bytes, *, centre_id: str, secret_key: minisign.SecretKey) -> SignedFile:
    """Sign package bytes (from `package_bytes`) with the centre's receipt key."""
    definition = loads_object(data)
    if package_bytes(definition) != data:
        raise ValueError("package bytes must be the definition's canonical JSON")
    form_id, version = str(definition["id"]), str(definition["version"])
    comment = package_comment(centre_id, form_id, version, hashlib.sha256(data).hexdigest())
    return SignedFile(package_name(form_id, version), data, _sign(secret_key, data, comment))


def sign_index(index: FormIndex, secret_key: minisign.SecretKey) -> SignedFile:
    """The index file and its signature with the centre's receipt key."""
    data = index.to_bytes()
    comment = index_comment(index.centre_id, hashlib.sha256(data).hexdigest())
    return SignedFile(INDEX_NAME, data, _sign(secret_key, data, comment))


# --- reading ------------------------------------------------------------------------------


def _verified_comment(data: bytes, signature_data: bytes, receipt_key: str, max_size: int) -> str:
    """Size caps, then the signature over `data`; returns the (verified) trusted comment."""
    if len(data) > max_size or len(signature_data) > MAX_SIGNATURE_SIZE:
        raise FormPackageRefused(FormPackageProblem.TOO_LARGE)
    try:
        signature = minisign.Signature.from_bytes(signature_data)
    except (minisign.Error, ValueError):
        raise FormPackageRefused(FormPackageProblem.BAD_SIGNATURE, "signature unreadable") from None
    if not signature.is_prehashed():
        raise FormPackageRefused(FormPackageProblem.BAD_SIGNATURE, "signature is not ED")
    try:
        public_key = parse_public_key(receipt_key)
    except FormatProblem as exc:
        raise ValueError("the profile holds an unreadable receipt key") from exc
    try:
        public_key.verify(data, signature)  # also requires the receipt key's id
    except (minisign.Error, ValueError):
        raise FormPackageRefused(FormPackageProblem.BAD_SIGNATURE) from None
    return str(signature.trusted_comment)


def parse_index(data: bytes) -> FormIndex:
    """Parse an index file strictly (no signature check); raises `FormatProblem`."""
    if len(data) > MAX_INDEX_SIZE:
        raise FormatProblem("index too large")
    obj = loads_object(data)
    exact_keys(obj, _INDEX_KEYS)
    expect(obj, "format", INDEX_FORMAT)
    expect(obj, "version", INDEX_VERSION)
    entries = []
    for item in get_list(obj, "forms", max_len=MAX_INDEX_ENTRIES):
        entry = get_object(item)
        exact_keys(entry, _ENTRY_KEYS)
        try:
            state = FormState(entry["state"])
        except (ValueError, TypeError):
            raise FormatProblem("unknown state") from None
        entries.append(
            IndexEntry(
                form_id=get_match(entry, "form", _FORM_ID_RE),
                version=get_match(entry, "version", _VERSION_RE),
                state=state,
                sha256=get_match(entry, "sha256", SHA256_RE),
                size=get_int(entry, "size", minimum=1, maximum=MAX_PACKAGE_SIZE),
                published=get_timestamp(entry, "published"),
            )
        )
    if len({(e.form_id, e.version) for e in entries}) != len(entries):
        raise FormatProblem("a version listed twice")
    return FormIndex(
        centre_id=get_match(obj, "centre_id", UUID_RE),
        serial=get_int(obj, "serial", minimum=1),
        updated=get_timestamp(obj, "updated"),
        entries=tuple(entries),
    )


def verify_index(data: bytes, signature: bytes, *, centre_id: str, receipt_key: str) -> FormIndex:
    """Verify and parse `forms/index.json` (see the module's docstring)."""
    comment = _verified_comment(data, signature, receipt_key, MAX_INDEX_SIZE)
    if comment != index_comment(centre_id, hashlib.sha256(data).hexdigest()):
        raise FormPackageRefused(FormPackageProblem.FIELDS_MISMATCH, "index comment")
    try:
        index = parse_index(data)
    except FormatProblem:
        raise FormPackageRefused(FormPackageProblem.UNREADABLE, "index unreadable") from None
    if index.centre_id != centre_id:
        raise FormPackageRefused(FormPackageProblem.FIELDS_MISMATCH, "index names another centre")
    return index


def verify_package(
    data: bytes, signature: bytes, *, centre_id: str, receipt_key: str, entry: IndexEntry
) -> VerifiedForm:
    """Verify a package against its index entry, then parse and load it (see the docstring)."""
    comment = _verified_comment(data, signature, receipt_key, MAX_PACKAGE_SIZE)
    sha256 = hashlib.sha256(data).hexdigest()
    match = _PACKAGE_COMMENT_RE.fullmatch(comment)
    if match is None or match["centre"] != centre_id or match["sha256"] != sha256:
        raise FormPackageRefused(FormPackageProblem.FIELDS_MISMATCH, "package comment")
    if comment != package_comment(centre_id, entry.form_id, entry.version, sha256):
        raise FormPackageRefused(FormPackageProblem.NOT_LISTED, "another form or version")
    if (sha256, len(data)) != (entry.sha256, entry.size):
        raise FormPackageRefused(FormPackageProblem.NOT_LISTED, "other bytes than listed")
    try:
        definition = loads_object(data)
    except FormatProblem:
        raise FormPackageRefused(FormPackageProblem.UNREADABLE, "package unreadable") from None
    if canonical_json(definition).encode("utf-8") != data:
        raise FormPackageRefused(FormPackageProblem.UNREADABLE, "package not canonical")
    try:
        form = form_from_data(definition, entry.file_name)
    except FormInvalid:
        raise FormPackageRefused(FormPackageProblem.INVALID_FORM) from None
    if (form.id, form.version) != (entry.form_id, entry.version):
        raise FormPackageRefused(FormPackageProblem.FIELDS_MISMATCH, "definition id or version")
    return VerifiedForm(form.id, form.version, sha256, data, definition, form)
