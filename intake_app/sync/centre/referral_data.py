"""What a referral summary of one imported interview shows: the centre, the interview's head,
the laptop it came from by name, its answers in words and its attached files. Gathered on the
centre's vault thread; the window lays it out."""

from __future__ import annotations

from dataclasses import dataclass

from intake_app.domain.registry import FormRegistry
from intake_app.storage import AttachmentInfo
from intake_app.sync.centre.answer_text import AnswerLine, answer_lines
from intake_app.sync.centre.devices import get_device
from intake_app.sync.centre.errors import DeviceNotFound
from intake_app.sync.centre.records import (
    ImportedInterview,
    attachments,
    get_document,
    get_interview,
)
from intake_app.sync.centre.vault import Centre


@dataclass(frozen=True)
class ReferralData:
    """What the summary shows."""

    centre: str
    interview: ImportedInterview
    answers: list[AnswerLine]
    laptop: str = ""  # the laptop's name as it enrolled ("" when the registry lacks it)
    attachments: tuple[AttachmentInfo, ...] = ()


def laptop_name(centre: Centre, device_id: str) -> str:
    """The name a laptop enrolled with, "" when the registry does not know it."""
    try:
        return get_device(centre.vault, device_id).device_name
    except DeviceNotFound:
        return ""


def load_referral(centre: Centre, registry: FormRegistry, record_id: str, lang: str
                  ) -> ReferralData:
    """Read what a referral summary of `record_id` needs, answers in words in `lang`."""
    head = get_interview(centre.vault, record_id)
    document = get_document(centre.vault, record_id)
    answers = [] if document is None else answer_lines(registry, document, lang)
    return ReferralData(centre.profile.name, head, answers, laptop_name(centre, head.device_id),
                        tuple(attachments(centre.vault, record_id)))
