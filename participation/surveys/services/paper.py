"""The paper questionnaire of a survey: its definition in one language, numbered, with filter instructions.

`paper_form` is pure (no database): the survey definition, the districts and centres and the site's texts in, a
`documents.questionnaire.PaperForm` out; `questionnaire_pdf_bytes` reads those from the database and renders. Texts
are taken in the form's language with German where a translation is missing, as the online form does; fixed strings
come in the current language, so build the form with the form's language current (see `in_language`).
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, TypeVar

from participation.directory.schemas import CentreOut
from participation.directory.services import list_centres, list_districts
from participation.documents.formatting import day, number
from participation.documents.questionnaire import (
    PaperChoice,
    PaperForm,
    PaperQuestion,
    PaperSection,
    questionnaire_pdf,
)
from participation.i18n import gettext as _
from participation.i18n import reset_language, set_language, text_direction
from participation.settings import PACKAGE_ROOT
from participation.site.services import site_settings
from participation.surveys.schemas import NO, YES, QuestionDef, QuestionKind, SurveyDef
from participation.surveys.services.answering import choice_label
from participation.surveys.services.definition import question_numbers

if TYPE_CHECKING:
    import jinja2

#: Kinds whose answer is one box: after one of them a filter can send the reader on ("Wenn Nein: weiter mit …").
ONE_ANSWER_KINDS = (QuestionKind.SINGLE, QuestionKind.YESNO, QuestionKind.SCALE)
#: Number of boxes of a number question without an upper bound.
DEFAULT_DIGITS = 4

T = TypeVar("T")


def in_language(language: str, make: Callable[[], T]) -> T:
    """`make()` with `language` as the current language (fixed strings, the site's name, "Seite x von y")."""
    token = set_language(language)
    try:
        return make()
    finally:
        reset_language(token)


def skip_target(questions: Sequence[QuestionDef], index: int, value: str, numbers: dict[int, int]) -> int | None:
    """Where a reader goes on after answering `questions[index]` with `value`: None for the next question, else
    the number of the first question still shown (0: the end of the form).

    A question is left out when its condition names this question with another answer, or names a question that is
    itself left out (the online form hides it as well: its condition has no answer)."""
    asked = questions[index]
    hidden: set[str] = set()
    for position in range(index + 1, len(questions)):
        candidate = questions[position]
        skipped = (candidate.condition_key == asked.key and candidate.condition_value != value) or (
            candidate.condition_key in hidden)
        if not skipped:
            return None if position == index + 1 else numbers[candidate.id]
        hidden.add(candidate.key)
    return 0


def _skip_words(target: int) -> str:
    if target == 0:
        return _("weiter am Ende des Fragebogens")
    return _("weiter mit Frage %(n)s", n=target)


def _range_note(question: QuestionDef) -> str:
    low, high = question.min_value, question.max_value
    if low is not None and high is not None:
        return _("Eine Zahl von %(min)s bis %(max)s", min=number(low, None, thousands=""),
                 max=number(high, None, thousands=""))
    if high is not None:
        return _("Bitte geben Sie eine Zahl bis %(max)s ein.", max=number(high, None, thousands=""))
    if low is not None:
        return _("Bitte geben Sie eine Zahl ab %(min)s ein.", min=number(low, None, thousands=""))
    return ""


def _digits(question: QuestionDef) -> int:
    bounds = [abs(b) for b in (question.min_value, question.max_value) if b is not None]
    if question.max_value is None or not bounds:
        return DEFAULT_DIGITS
    largest = max(bounds)
    return max(1, len(str(math.floor(largest)))) + (1 if question.min_value is not None and question.min_value < 0
                                                      else 0)


def _question(survey: SurveyDef, questions: list[QuestionDef], index: int, numbers: dict[int, int],
              language: str) -> PaperQuestion:
    question = questions[index]
    kind = question.kind
    values: list[tuple[str, str]] = []
    if kind is QuestionKind.YESNO:
        values = [(YES, _("Ja")), (NO, _("Nein"))]
    elif kind is QuestionKind.SCALE:
        values = [(str(n), str(n)) for n in range(1, 6)]
    elif kind.has_options:
        values = [(option.value, option.label(language)) for option in question.options]
    can_skip = kind in ONE_ANSWER_KINDS
    choices = []
    for value, label in values:
        target = skip_target(questions, index, value, numbers) if can_skip else None
        choices.append(PaperChoice(label, target, "" if target is None else _skip_words(target)))
    only_if = ""
    if question.condition_key:
        condition = survey.question_by_key(question.condition_key)
        if condition is not None:
            only_if = _("Nur beantworten, wenn Sie bei Frage %(n)s „%(answer)s“ angekreuzt haben.",
                        n=numbers[condition.id],
                        answer=choice_label(condition, question.condition_value or "", language))
    return PaperQuestion(
        number=numbers[question.id], kind=kind.value, text=question.text(language), required=question.required,
        help=question.text(language, "help"), choices=choices,
        other=question.allow_other and kind is QuestionKind.MULTIPLE,
        low=question.text(language, "low"), high=question.text(language, "high"), only_if=only_if,
        skip_notes=_skip_notes(choices) if kind is QuestionKind.SCALE else [],
        range_note=_range_note(question) if kind is QuestionKind.NUMBER else "",
        digits=_digits(question), decimals=kind is QuestionKind.NUMBER and not question.whole_number,
    )


def _skip_notes(choices: list[PaperChoice]) -> list[str]:
    """A scale's filter instructions as sentences ("Wenn 1, 2: weiter mit Frage 7"), one per target."""
    targets: dict[int, list[str]] = {}
    for choice in choices:
        if choice.skip_to is not None:
            targets.setdefault(choice.skip_to, []).append(choice.label)
    return [_("Wenn %(answers)s: %(then)s", answers=", ".join(labels), then=_skip_words(target))
            for target, labels in targets.items()]


def paper_form(
    survey: SurveyDef, language: str, *, districts: Sequence[str], centres: Sequence[str], site_title: str,
    form_url: str, privacy: Sequence[str] = (), privacy_url: str = "", hand_in: str = "", logo: str = "",
) -> PaperForm:
    """The paper form of `survey` in `language` (call with that language current: fixed strings follow it)."""
    numbers = question_numbers(survey)
    questions = survey.questions
    index_of = {question.id: index for index, question in enumerate(questions)}
    sections = [
        PaperSection(
            title=section.parents_title(language), intro=section.parents_intro(language),
            questions=[_question(survey, questions, index_of[q.id], numbers, language) for q in section.questions],
        )
        for section in survey.sections if section.questions
    ]
    return PaperForm(
        lang=language, direction=text_direction(language), site_title=site_title,
        survey_title=survey.title(language), round_name=survey.round_name(), intro=survey.intro(language),
        closes_on=day(survey.closes_at, locale=language) if survey.closes_at else "", form_url=form_url,
        districts=list(districts), centres=list(centres), sections=sections, privacy=list(privacy),
        privacy_url=privacy_url, hand_in=hand_in, logo=logo,
    )



async def questionnaire_pdf_bytes(
    survey: SurveyDef, language: str, *, env: jinja2.Environment, form_url: str, privacy_url: str, threshold: int,
    retention_months: int, hand_in_centre: CentreOut | None = None,
) -> bytes:
    """The paper questionnaire of `survey` in `language` as PDF bytes: every district and centre to choose from,
    the site's name and logo, the short privacy notice parents read online, and where to hand the form in (the
    printing centre, when a centre prints it). Rendered in a worker thread (WeasyPrint is CPU-bound)."""
    districts = [d.name for d in await list_districts()]
    centres = [c.name for c in await list_centres()]
    site = await site_settings()

    def make() -> bytes:
        privacy = [
            _("Wir speichern Ihre Antworten, Ihren Stadtteil, auf Wunsch Ihr Zentrum, Ihre Sprache und den Tag – "
              "nicht Ihren Namen, Ihre Internetadresse oder Ihr Gerät."),
            _("Ergebnisse erscheinen erst nach dem Ende der Umfrage und nur für Gruppen mit mindestens %(n)s "
              "Antworten. Ihre Texte löschen wir spätestens %(months)s Monate nach der Veröffentlichung der "
              "Ergebnisse.", n=threshold, months=retention_months),
        ]
        hand_in = ""
        if hand_in_centre is not None:
            place = ", ".join(part for part in (hand_in_centre.name, hand_in_centre.address.strip()) if part)
            hand_in = _("Bitte geben Sie den ausgefüllten Bogen hier ab: %(place)s", place=place)
        form = paper_form(
            survey, language, districts=districts, centres=centres, site_title=site.title, form_url=form_url,
            privacy=privacy, privacy_url=privacy_url, hand_in=hand_in, logo=site.logo_data_uri,
        )
        return questionnaire_pdf(form, env=env, page_label=_("Seite {page} von {pages}"),
                                 static_root=PACKAGE_ROOT / "static")

    return await asyncio.to_thread(in_language, language, make)
