"""Known errors of publishing interview forms at the centre (issue 18).

Their fields are form ids, version numbers, counts and file names the administrator chose;
a form holds no answers, so none of them can carry personal data.
"""

from __future__ import annotations

from intake_app.errors import KnownError
from intake_app.i18n.core import N_


class FormVersionPublished(KnownError):
    """The version is already published with other contents: a published version never changes."""

    code = "form-version-published"
    message = N_(
        "Form {form} version {version} is already published with other contents, and a "
        "published version is never changed. Give the corrected form a new version number "
        "(the version row of the settings sheet), then import it again. Nothing was published."
    )


class FormVersionUnchanged(KnownError):
    """A workbook gives exactly a version already published: nothing to import."""

    code = "form-version-unchanged"
    message = N_(
        "Form {form} version {version} is already published with exactly these contents. "
        "Nothing was kept: laptops have it, or get it at their next sync."
    )


class FormVersionShipped(KnownError):
    """The version is one built into the application: laptops already have it."""

    code = "form-version-shipped"
    message = N_(
        "Form {form} version {version} is built into Intake, and every laptop already has it. "
        "Give the form a new version number, then import it again. Nothing was published."
    )


class FormVersionNotNewer(KnownError):
    """New interviews start with the highest version, so a new one must be the highest."""

    code = "form-version-not-newer"
    message = N_(
        "Form {form} version {version} is not newer than version {newest}, which the centre "
        "already has. New interviews always start with the highest version, so give the form a "
        "version number higher than {newest}, then import it again. Nothing was published."
    )


class FormVersionNotFound(KnownError):
    code = "form-version-not-found"
    message = N_(
        "The centre has not published form {form} version {version}. Only versions the centre "
        "published can be retired; see “intake-app centre form list”."
    )


class FormDraftNotFound(KnownError):
    code = "form-draft-not-found"
    message = N_(
        "No imported form {form} is waiting to be published. Import its workbook first "
        "(“intake-app centre form import FILE.xlsx”)."
    )


class NoFormDraft(KnownError):
    code = "no-form-draft"
    message = N_(
        "No imported form is waiting to be published. Import a workbook first "
        "(“intake-app centre form import FILE.xlsx”)."
    )


class FormDraftAmbiguous(KnownError):
    code = "form-draft-ambiguous"
    message = N_(
        "Several imported forms are waiting to be published ({forms}). Name the one you mean "
        "with --form."
    )


class FormsNotOnShare(KnownError):
    """The vault changed but the share's form list could not be written: say so and how to
    write it again, instead of the share's own error alone."""

    code = "forms-not-on-share"
    message = N_(
        "The change is saved at the centre, but the list of forms on the share could not be "
        "written: {reason} Laptops pick the change up once it is written; write it again with "
        "“intake-app centre form publish --again” (or Write to the share again in the Forms "
        "tab) when the share is back."
    )
