"""A throwaway vault full of fictional interviews, so a newcomer sees a working application.

Every alias starts with "Fictional"; the accounts are invented sentences in several languages.
The answers are generated from whatever form is installed: visible questions are filled by type
until nothing new appears, so the demo keeps working as the form changes. Qt-free.
"""

from __future__ import annotations

import datetime as dt
import random
from concurrent.futures import Future
from typing import TYPE_CHECKING, Any

from intake_app.domain.ages import (
    AGE_BAND,
    BIRTH_DATE,
    CONSENT_AGE,
    band_of_age,
    consent_age_of_band,
    possible_ages,
)
from intake_app.domain.answers import is_empty
from intake_app.domain.document import Interview, new_interview
from intake_app.domain.form import Form, Question
from intake_app.domain.relevance import State, walk
from intake_app.domain.validation import normalise, validate
from intake_app.services.interviews import withdrawn

if TYPE_CHECKING:
    from intake_app.services.worker import WorkerService

DEMO_PASSPHRASE = "demo passphrase only"  # noqa: S105 - shown on screen: fictional data only
DEMO_COUNT = 20

ALIASES = (
    "Fictional Aino",
    "Fictional Bao",
    "Fictional Chidi",
    "Fictional Dunya",
    "Fictional Elif",
    "Fictional Farah",
    "Fictional Gulnara",
    "Fictional Hoa",
    "Fictional Ifeoma",
    "Fictional Jamal",
    "Fictional Kanya",
    "Fictional Lina",
    "Fictional Malee",
    "Fictional Nasrin",
    "Fictional Olena",
    "Fictional Pedro",
    "Fictional Qadir",
    "Fictional Rosa",
    "Fictional Somchai",
    "Fictional Tuyet",
)
# Invented accounts (no real person), in the languages interviews are held in.
ACCOUNTS = (
    ("fi", "Tulin Suomeen marjanpoimintaan. Passi otettiin heti lentokentällä."),
    ("en", "I came to work in a restaurant kitchen. We slept in the storeroom."),
    ("ar", "جئت إلى فنلندا للعمل في قطف التوت، ولم أحصل على أجري."),
    ("th", "ฉันมาฟินแลนด์เพื่อเก็บผลเบอร์รี่ แต่ต้องจ่ายหนี้ค่าเดินทางก่อน"),
    ("vi", "Tôi đến Phần Lan để làm việc trong một tiệm làm móng, mười hai giờ mỗi ngày."),
    ("ru", "Я приехала в Финляндию работать на уборке, документы забрал работодатель."),
    ("uk", "Я приїхала до Фінляндії працювати на фермі, але зарплату не платили."),
    ("so", "Waxaan u imid Finland si aan uga shaqeeyo nadiifinta, mushaar lama i siin."),
    ("fa-AF", "من برای کار در رستوران به فنلاند آمدم و پاسپورتم را گرفتند."),
)
COUNTRIES = ("TH", "VN", "UA", "IQ", "SO", "AF", "NG", "PH", "MA", "RU")


def _fill(form: Form, question: Question, rng: random.Random, n: int, lang: str) -> Any:
    kind = question.type
    choice_list = form.choice_list(question)
    codes = list(choice_list.codes()) if choice_list is not None else []
    if kind == "select_one" or kind == "yes_no_unknown":
        if "yes" in codes and (question.name.startswith("consent") or kind == "select_one"):
            return "yes"
        return rng.choice(codes) if codes else None
    if kind == "select_multiple":
        return sorted(rng.sample(codes, k=min(2, len(codes))), key=codes.index) if codes else None
    if kind == "text":
        return ALIASES[n % len(ALIASES)] if question.name == "alias" else f"DEMO-{n:02d}"
    if kind == "long_text":
        allowed = question.languages
        if allowed and lang not in allowed:
            return {"text": "Fictional translation of the account.", "lang": allowed[0]}
        return {"text": ACCOUNTS[n % len(ACCOUNTS)][1], "lang": lang}
    if kind in ("integer", "decimal"):
        return int(question.minimum or 0) + 1 if question.maximum != question.minimum else 0
    if kind == "date":
        if "birth" in question.name:
            return f"{1975 + n}-{1 + n % 12:02d}"
        return (dt.date(2026, 10, 1) + dt.timedelta(days=n)).isoformat()
    if kind == "language":
        return [lang] if question.multiple else lang
    if kind == "country":
        country = COUNTRIES[n % len(COUNTRIES)]
        return [country] if question.multiple else country
    return None


def _agreeing_ages(form: Form, answers: dict[str, Any], on: dt.date) -> None:
    """The age group and the consent age as the fictional birth date says."""
    known = possible_ages(answers.get(BIRTH_DATE), on)
    if known is None:
        return
    band = band_of_age(known[1])
    if AGE_BAND in answers and form.question(AGE_BAND) is not None:
        answers[AGE_BAND] = band
    if CONSENT_AGE in answers and form.question(CONSENT_AGE) is not None:
        answers[CONSENT_AGE] = consent_age_of_band(band)


def fictional_interview(form: Form, n: int, now: dt.datetime) -> Interview:
    """Interview number `n`: every question that applies answered with fictional values."""
    rng = random.Random(n)  # noqa: S311 - repeatable fictional answers, not secrets
    lang = ACCOUNTS[n % len(ACCOUNTS)][0]
    answers: dict[str, Any] = {}
    for _round in range(20):  # each round may reveal new questions
        added = False
        for step in walk(form, answers):
            question = step.question
            if (
                step.state is not State.VISIBLE
                or step.item is not None
                or not question.answerable
                or question.type == "repeat"
                or not is_empty(answers.get(question.name))
                or "withdraw" in question.name  # consent stays given in the demo
            ):
                continue
            value = _fill(form, question, rng, n, lang)
            if value is not None:
                answers[question.name] = value
                added = True
        if not added:
            break
    moment = now - dt.timedelta(days=DEMO_COUNT - n, hours=n)
    _agreeing_ages(form, answers, moment.date())
    return new_interview(form.id, form.version, now=moment).with_answers(answers)


def demo_documents(form: Form, count: int = DEMO_COUNT) -> list[tuple[Interview, str]]:
    """(interview, how to save it): "final", "draft", "unsaved" or "withdrawn"."""
    now = dt.datetime.now(dt.UTC)
    kinds = ("final", "final", "draft", "final", "unsaved", "final", "withdrawn")
    made: list[tuple[Interview, str]] = []
    for n in range(count):
        interview = fictional_interview(form, n, now)
        kind = kinds[n % len(kinds)]
        if kind in ("final", "withdrawn"):
            result = normalise(interview.with_status("final"), form)
            problems = [
                i
                for i in validate(result.interview, form, finalising=True)
                if i.severity == "error"
            ]
            interview = result.interview if not problems else interview
            kind = kind if not problems else "draft"
        made.append((interview, kind))
    return made


def fill_demo_vault(vault: Any, form: Form) -> int:
    """Save the fictional interviews into an open vault; marks some as delivered."""
    store = vault.interviews
    delivered: list[tuple[str, int, str]] = []
    for n, (interview, kind) in enumerate(demo_documents(form)):
        if kind == "unsaved":
            store.save_draft(interview.to_dict())
            continue
        info = store.save_revision(interview.to_dict())
        if kind == "withdrawn":
            consent = form.questions[0]
            keep = tuple(q.name for q in consent.walk() if q.answerable)
            info = store.save_revision(withdrawn(interview, dt.date.today(), keep).to_dict())
        if kind == "final" and n % 3 == 0:
            delivered.append((info.id, info.revision, info.sha256))
    if delivered:
        store.mark_delivered(delivered)
    return DEMO_COUNT


def fill_demo(service: WorkerService) -> Future[int]:
    """Fill the service's open vault with fictional interviews of the current form (on the
    vault thread); the future holds how many."""
    form = service.forms.current_form()
    return service.run(lambda vault: fill_demo_vault(vault, form))
