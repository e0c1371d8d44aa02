"""Forms published on a share the way the centre does it: packages and an index written by the
format module's writer (`sync.format.form_package`), signed with a centre's receipt key, put on
the share with the share's write rule (signature first)."""

from __future__ import annotations

import copy
import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import minisign

from intake_app.domain.resources import forms_dir
from intake_app.sync.format.form_package import (
    FORMS_FOLDER,
    FormIndex,
    FormState,
    IndexEntry,
    SignedFile,
    package_bytes,
    sign_index,
    sign_package,
)
from intake_app.sync.share import write_signed_file
from tests.helpers.bundles import CentreKeys

PUBLISHED = "2026-12-01T09:30:00Z"
SHIPPED_LATEST = ("intake-fi", "2026.2")


def shipped_definition(version: str = "2026.2") -> dict[str, Any]:
    """The definition of a form this application ships."""
    text = (forms_dir() / f"intake-fi_{version}.json").read_text(encoding="utf-8")
    return dict(json.loads(text))


def new_version(
    version: str,
    *,
    label: str = "Name or alias (edited at the centre)",
    base: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The shipped form as a new version with one label changed (the first question's)."""
    definition = copy.deepcopy(dict(base) if base is not None else shipped_definition())
    definition["version"] = version
    first = definition["questions"][0]
    while first.get("children"):
        first = first["children"][0]
    first["label::en"] = label
    return definition


@dataclass
class FormShare:
    """A centre's `forms/` folder on a share: publish versions, rewrite the index, tamper.
    (A real centre publishes with `centre form publish`: tests/unit/sync/device/
    test_forms_with_centre.py.)"""

    centre: CentreKeys
    share: Path
    serial: int = 0
    entries: dict[tuple[str, str], IndexEntry] = field(default_factory=dict)

    @property
    def secret_key(self) -> minisign.SecretKey:
        return self.centre.keys.receipt.secret_key

    @property
    def folder(self) -> Path:
        return self.share / FORMS_FOLDER

    def package(self, definition: Mapping[str, Any]) -> SignedFile:
        return sign_package(
            package_bytes(definition),
            centre_id=self.centre.centre_id,
            secret_key=self.secret_key,
        )

    def publish(
        self,
        definition: Mapping[str, Any],
        state: FormState = FormState.CURRENT,
        *,
        write_index: bool = True,
    ) -> IndexEntry:
        """Write a version's package (and, by default, a new index listing it)."""
        signed = self.package(definition)
        self.folder.mkdir(parents=True, exist_ok=True)
        write_signed_file(self.folder / signed.name, signed.data, signed.signature)
        entry = IndexEntry(
            str(definition["id"]),
            str(definition["version"]),
            state,
            hashlib.sha256(signed.data).hexdigest(),
            len(signed.data),
            PUBLISHED,
        )
        self.entries[(entry.form_id, entry.version)] = entry
        if write_index:
            self.write_index()
        return entry

    def set_state(self, form_id: str, version: str, state: FormState) -> None:
        old = self.entries[(form_id, version)]
        self.entries[(form_id, version)] = IndexEntry(
            old.form_id, old.version, state, old.sha256, old.size, old.published
        )
        self.write_index()

    def index(
        self, entries: Sequence[IndexEntry] | None = None, *, serial: int | None = None
    ) -> FormIndex:
        if serial is None:
            self.serial += 1
            serial = self.serial
        listed = tuple(self.entries.values()) if entries is None else tuple(entries)
        return FormIndex(self.centre.centre_id, serial, PUBLISHED, listed)

    def write_index(
        self, entries: Sequence[IndexEntry] | None = None, *, serial: int | None = None
    ) -> SignedFile:
        signed = sign_index(self.index(entries, serial=serial), self.secret_key)
        self.folder.mkdir(parents=True, exist_ok=True)
        write_signed_file(self.folder / signed.name, signed.data, signed.signature)
        return signed

    def files(self) -> dict[str, bytes]:
        """Every file in forms/ (to show that a refusal changed nothing there either)."""
        return {p.name: p.read_bytes() for p in sorted(self.folder.iterdir()) if p.is_file()}
