"""What a referral summary of one imported interview shows: the centre, the interview's head
and its answers in words. Gathered on the centre's vault thread; the window lays it out."""

from __future__ import annotations

from dataclasses import dataclass

from intake_app.domain.registry import FormRegistry
from intake_app.sync.centre.records import ImportedInterview, get_document, get_interview
from intake_app.sync.centre.reports import answer_rows
from intake_app.sync.centre.vault import Centre


@dataclass(frozen=True)
class ReferralData:
    """What the summary shows."""

    centre: str
    interview: ImportedInterview
    answers: list[tuple[str, str]]


def load_referral(centre: Centre, registry: FormRegistry, record_id: str, lang: str
                  ) -> ReferralData:
    """Read what a referral summary of `record_id` needs, answers labelled in `lang`."""
    head = get_interview(centre.vault, record_id)
    document = get_document(centre.vault, record_id)
    answers = [] if document is None else answer_rows(registry, document, lang)
    return ReferralData(centre.profile.name, head, answers)
