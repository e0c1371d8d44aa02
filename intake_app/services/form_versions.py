"""The interview form versions the worker's application knows: those it ships and those the
laptop picked up from the centre's share (kept in the vault, `sync.device.form_store`).

New interviews start with the highest `current` version of the main form (the form the
application ships); when the centre retired every version, with the newest there is. An
interview keeps the version it was started with for ever (`FormRegistry.open`): every version
ever held stays known. A shipped version counts as current unless the centre's index says
otherwise. A version received from the centre under the number of a shipped one is used in its
place (the pickup takes it only while no interview uses the shipped one). The last pickup
problem is said in words by `problem_text`. Qt-free.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from intake_app.domain.errors import FormInvalid
from intake_app.domain.form import Form, version_key
from intake_app.domain.form_loader import load_form_text
from intake_app.domain.registry import FormRegistry
from intake_app.i18n import N_, _
from intake_app.i18n.formatting import format_moment, isolate
from intake_app.safelog import logger

if TYPE_CHECKING:
    from intake_app.storage import Vault
    from intake_app.sync.device.form_store import PickupProblem

CURRENT = "current"
RETIRED = "retired"
SHIPPED = "shipped"
SHARE = "share"
FormKey = tuple[str, str]
_skipped: set[FormKey] = set()
_skipped_lock = threading.Lock()


@dataclass(frozen=True, slots=True)
class FormVersion:
    """One form version as Settings and `intake-app forms` show it."""

    form_id: str
    version: str
    state: str  # CURRENT or RETIRED
    source: str  # SHIPPED or SHARE (the centre's share)
    received: str | None  # when it came from the share (UTC stamp); None: shipped
    new_interviews: bool  # the version new interviews start with

    def as_dict(self) -> dict[str, object]:
        return {
            "id": self.form_id,
            "version": self.version,
            "state": self.state,
            "source": self.source,
            "received": self.received,
            "new_interviews": self.new_interviews,
        }


@dataclass(frozen=True, slots=True)
class FormVersions:
    """Every version known, by form and version, when the share was last checked, and the last
    pickup problem (None: none, or the last pickup took everything)."""

    versions: tuple[FormVersion, ...]
    checked: str | None  # UTC stamp; None: never
    problem: PickupProblem | None = None


@dataclass(frozen=True, slots=True)
class HeldVersion:
    """A version the vault holds (a `device_form` row, without its bytes)."""

    form_id: str
    version: str
    state: str
    source: str
    received: str

    @property
    def key(self) -> FormKey:
        return self.form_id, self.version


@dataclass(frozen=True, slots=True)
class VaultForms:
    """What the vault adds to the shipped forms: the received versions loaded, every held
    version's row, and when the share was last checked."""

    forms: tuple[Form, ...] = ()
    held: tuple[HeldVersion, ...] = ()
    checked: str | None = None
    problem: PickupProblem | None = None


def read_vault_forms(vault: Vault, *, load: bool = True) -> VaultForms:
    """Read the vault's form versions (on the vault thread). With `load`, each received version
    is loaded by the strict form loader; one this build cannot load is left out (logged once,
    without content): its interviews open with a newer version or raw, read-only."""
    from intake_app.sync.device.form_store import read_checked, read_forms, read_problem

    with vault.transaction() as conn:
        rows = read_forms(conn, with_data=load)
        checked = read_checked(conn)
        problem = read_problem(conn)
    forms: list[Form] = []
    for row in rows:
        if row.data is None:
            continue
        try:
            forms.append(load_form_text(row.data, f"{row.form_id}_{row.version}.json"))
        except FormInvalid:
            _skip_once(row.key)
    held = tuple(
        HeldVersion(r.form_id, r.version, r.state.value, r.source.value, r.received) for r in rows
    )
    return VaultForms(tuple(forms), held, checked, problem)


def _skip_once(key: FormKey) -> None:
    with _skipped_lock:
        if key in _skipped:
            return
        _skipped.add(key)
    logger.warning("forms: a kept version (%s %s) cannot be loaded by this build", *key)


def combined_registry(shipped: FormRegistry, received: Iterable[Form]) -> FormRegistry:
    """The shipped forms and the received ones; a received version wins over a shipped one of
    the same id and version (the pickup kept it only while no interview used the shipped one,
    and the centre judges records of that version by its own)."""
    taken = list(received)
    keys = {(form.id, form.version) for form in taken}
    kept = [form for form in shipped.forms() if (form.id, form.version) not in keys]
    return FormRegistry([*kept, *taken])


def main_form_id(shipped: FormRegistry, registry: FormRegistry) -> str | None:
    """The id of the form new interviews use: the one the application ships."""
    forms = shipped.forms() or registry.forms()
    return forms[0].id if forms else None


def states(shipped: FormRegistry, held: Sequence[HeldVersion]) -> dict[FormKey, str]:
    """Each known version's state: the vault's (from the latest index), else shipped: current."""
    found = {(form.id, form.version): CURRENT for form in shipped.forms()}
    found.update({row.key: row.state for row in held})
    return found


def start_key(
    keys: Iterable[FormKey], form_id: str, state_of: Mapping[FormKey, str]
) -> FormKey | None:
    """The highest current version of `form_id` among `keys`; when none is current, the newest
    there is."""
    versions = [key for key in keys if key[0] == form_id]
    current = [key for key in versions if state_of.get(key, RETIRED) == CURRENT]
    return max(current or versions, key=lambda key: version_key(key[1]), default=None)


def start_form(
    registry: FormRegistry, form_id: str, state_of: Mapping[FormKey, str]
) -> Form | None:
    """The form new interviews start with (see `start_key`)."""
    key = start_key(((f.id, f.version) for f in registry.forms()), form_id, state_of)
    return None if key is None else registry.get(*key)


def list_versions(shipped: FormRegistry, found: VaultForms) -> FormVersions:
    """Every version the application knows, for Settings and `intake-app forms` (`found` may
    be read without the forms' bytes)."""
    state_of = states(shipped, found.held)
    held = {row.key: row for row in found.held}
    shipped_keys = {(form.id, form.version) for form in shipped.forms()}
    keys = sorted(
        shipped_keys | {row.key for row in found.held if row.source == SHARE},
        key=lambda key: (key[0], version_key(key[1])),
    )
    main = main_form_id(shipped, shipped) or (keys[0][0] if keys else None)
    start = None if main is None else start_key(keys, main, state_of)
    versions = []
    for key in keys:
        row = held.get(key)
        from_share = key not in shipped_keys or (row is not None and row.source == SHARE)
        versions.append(
            FormVersion(
                key[0],
                key[1],
                state_of.get(key, RETIRED),
                SHARE if from_share else SHIPPED,
                row.received if row is not None and from_share else None,
                key == start,
            )
        )
    return FormVersions(tuple(versions), found.checked, found.problem)


# Why the last pickup refused the share's forms or left a version out, by `form_pickup`'s codes.
_PROBLEM_WORDS = {
    "missing": N_("A form file the centre's list names is not on the share."),
    "missing-signature": N_("A form file on the share has no signature."),
    "not-a-file": N_("Something other than an ordinary file stands where a form file should be."),
    "not-answering": N_("The share stopped answering while the forms were read."),
    "unreadable": N_("A form file on the share could not be read."),
    "too-large": N_("A form file on the share is larger than a form file may be."),
    "bad-signature": N_("A form file on the share is not signed by your centre."),
    "fields-mismatch": N_("A form file's signed description does not match its contents."),
    "not-listed": N_("A form file is not the version the centre's list of forms names."),
    "invalid-form": N_("The centre sent a form this version of Intake cannot use."),
    "older-index": N_(
        "The centre's list of forms on the share is older than the one this laptop already has."
    ),
    "serial-reused": N_(
        "The centre's list of forms on the share differs from the one this laptop has, under "
        "the same number."
    ),
    "held-other-bytes": N_(
        "The centre lists a form version this laptop already has, with other contents."
    ),
    "built-in-in-use": N_(
        "The centre published a form version with the same number as one built into Intake, "
        "with other contents, and interviews on this laptop already use the built-in one."
    ),
}
_UNKNOWN_PROBLEM = N_("A form file from the centre was not accepted.")


def problem_text(problem: PickupProblem) -> str:
    """The last pickup problem in words in the current language: what, which file, since when,
    and what the worker can do. Codes, form ids and versions only: nothing personal."""
    what = _(_PROBLEM_WORDS.get(problem.code, _UNKNOWN_PROBLEM))
    return _(
        "Problem with the centre's forms since {time} ({file}): {what} This laptop keeps the "
        "forms it has. If the problem does not go away, tell your centre's administrator.",
        time=format_moment(problem.since),
        file=isolate(problem.file),
        what=what,
    )
