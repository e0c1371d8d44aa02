"""Publishing interview forms: the centre vault first decides, then the share is written.

The steps of publishing a staged draft (`publish_draft`):
1. check it (`form_versions.check_new_version`) and sign its package with the receipt key;
2. write `forms/<id>_<version>.json.minisig` and the package to the share (the share's write
   rule: a dot-named partial file, fsynced, renamed; never through a link). If this fails,
   nothing is published;
3. in one transaction: check again, store the version, drop the draft, take the next index
   serial;
4. write `forms/index.json` (+ signature) listing every published version with its state.

The serial (step 3) is one more than both the vault's last one and that of the index now on
the share, when that index verifies with this centre's own receipt key (`serial_on_share`): a
centre vault restored from a backup would otherwise write a lower serial than laptops hold,
and every laptop would refuse that index, and all after it. An index on the share that does
not verify is never trusted, for this or anything else.

So a package is on the share before the index names it, and the index never names a version
the vault does not hold. A package written in step 2 whose transaction then failed is a file
no index names; laptops never read it, and the next publish of that version replaces it.
When step 4 fails the version is published at the centre and `FormsNotOnShare` says so;
`write_forms_to_share` (`centre form publish --again`) writes every package and the index
again, and so does the next publish or retire.

Retiring (`retire_form`) is one transaction (the version's `retired`, the next serial), then
the index. Forms built into the application are never listed in the index: every laptop has
them, and they cannot be retired (docs/bundle-notes.md, "Form packages").
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from intake_app.domain.form import Form
from intake_app.domain.utc_time import utc_now
from intake_app.errors import KnownError
from intake_app.safelog import logger
from intake_app.sync.centre import form_versions as versions
from intake_app.sync.centre.form_errors import (
    FormDraftAmbiguous,
    FormDraftNotFound,
    FormsNotOnShare,
    FormVersionNotFound,
    NoFormDraft,
)
from intake_app.sync.centre.form_versions import PublishedVersion, StagedForm
from intake_app.sync.centre.vault import Centre
from intake_app.sync.errors import FormPackageRefused
from intake_app.sync.format.form_package import (
    INDEX_NAME,
    MAX_INDEX_SIZE,
    MAX_SIGNATURE_SIZE,
    FormIndex,
    SignedFile,
    sign_index,
    sign_package,
    verify_index,
)
from intake_app.sync.share import (
    forms_folder,
    read_signed_share_file,
    share_folder,
    write_signed_file,
)


@dataclass(frozen=True, slots=True)
class Published:
    """What publishing did: the version, whether it was new, and the index written."""

    version: PublishedVersion
    new: bool  # False: exactly these bytes were published already; the share was written again
    index: FormIndex


@dataclass(frozen=True, slots=True)
class Retired:
    version: PublishedVersion
    new: bool  # False: it was retired already; the index was written again
    index: FormIndex


def _write(centre: Centre, signed: SignedFile) -> None:
    folder = share_folder(centre.share, forms_folder(centre.share))  # never into a link
    write_signed_file(folder / signed.name, signed.data, signed.signature)


def serial_on_share(centre: Centre) -> int:
    """The serial of `forms/index.json` on the share if it verifies with this centre's own
    receipt key, else 0 (none there, unreadable, or not this centre's: never trusted). Read by
    the share's reading rules."""
    path = forms_folder(centre.share) / INDEX_NAME
    try:
        data, signature = read_signed_share_file(
            path, MAX_INDEX_SIZE, MAX_SIGNATURE_SIZE, root=centre.share
        )
    except FileNotFoundError:
        return 0
    except (OSError, KnownError) as exc:
        logger.warning("forms: the index on the share could not be read (%s)", type(exc).__name__)
        return 0
    try:
        index = verify_index(
            data, signature, centre_id=centre.centre_id, receipt_key=centre.profile.receipt_key
        )
    except FormPackageRefused as refused:
        logger.warning(
            "forms: the index on the share does not verify (%s); its serial is not used",
            refused.problem.value,
        )
        return 0
    return index.serial


def _write_index(centre: Centre, serial: int, published: list[PublishedVersion]) -> FormIndex:
    index = FormIndex(
        centre.centre_id, serial, utc_now(), tuple(v.index_entry() for v in published)
    )
    try:
        _write(centre, sign_index(index, centre.receipt_key))
    except KnownError as exc:
        raise FormsNotOnShare(reason=exc.translated()) from exc
    return index


def chosen_draft(centre: Centre, form_id: str | None) -> StagedForm:
    """The draft to publish: that of `form_id`, or the only draft there is."""
    with centre.vault.reading() as conn:
        staged = versions.drafts(conn)
    if form_id is None:
        if not staged:
            raise NoFormDraft()
        if len(staged) > 1:
            raise FormDraftAmbiguous(forms=", ".join(draft.form_id for draft in staged))
        return staged[0]
    for draft in staged:
        if draft.form_id == form_id:
            return draft
    raise FormDraftNotFound(form=form_id)


def publish_draft(
    centre: Centre, form_id: str | None, *, shipped: Iterable[Form], by: str
) -> Published:
    """Publish the staged draft of `form_id` (or the only draft) as a new version."""
    built_in = list(shipped)
    draft = chosen_draft(centre, form_id)
    with centre.vault.reading() as conn:
        data = versions.draft_data(conn, draft.form_id)
        if data is None:  # dropped meanwhile
            raise FormDraftNotFound(form=draft.form_id)
        versions.check_new_version(conn, built_in, data)
    _write(centre, sign_package(data, centre_id=centre.centre_id, secret_key=centre.receipt_key))
    on_share = serial_on_share(centre)
    with centre.vault.transaction() as conn:
        new = versions.check_new_version(conn, built_in, data)
        if new:
            version = versions.insert_version(conn, data, at=utc_now(), by=by)
        else:
            held = versions.published_version(conn, draft.form_id, draft.version)
            assert held is not None
            version = held
        versions.drop_draft(conn, draft.form_id)
        serial = versions.next_index_serial(conn, above=on_share)
        published = versions.published_versions(conn)
    return Published(version, new, _write_index(centre, serial, published))


def retire_form(centre: Centre, form_id: str, version: str, *, by: str) -> Retired:
    """Retire a published version: laptops finish the interviews they have, start none new."""
    on_share = serial_on_share(centre)
    with centre.vault.transaction() as conn:
        if versions.published_version(conn, form_id, version) is None:
            raise FormVersionNotFound(form=form_id, version=version)
        new = versions.retire_version(conn, form_id, version, at=utc_now(), by=by)
        retired = versions.published_version(conn, form_id, version)
        serial = versions.next_index_serial(conn, above=on_share)
        published = versions.published_versions(conn)
    assert retired is not None
    return Retired(retired, new, _write_index(centre, serial, published))


def write_forms_to_share(centre: Centre) -> FormIndex:
    """Write every published version's package and the index to the share again."""
    with centre.vault.reading() as conn:
        packages = [
            versions.package_data(conn, v.form_id, v.version)
            for v in versions.published_versions(conn)
        ]
    for data in packages:
        assert data is not None
        _write(
            centre, sign_package(data, centre_id=centre.centre_id, secret_key=centre.receipt_key)
        )
    on_share = serial_on_share(centre)
    with centre.vault.transaction() as conn:
        serial = versions.next_index_serial(conn, above=on_share)
        published = versions.published_versions(conn)
    return _write_index(centre, serial, published)
