"""German translations of parents' free-text answers in other languages, so every answer joins the German themes.

Staff type a translation beside the original; where the operator runs a LibreTranslate-compatible service
(`TRANSLATE_URL`), a job fills in the missing ones (`POST /translate` with q, source "auto", target "de", format
"text"; the answer is `{"translatedText": …}`). The original is never changed, and a staff translation is never
overwritten by a machine one. Clustering and search use the translation where there is one.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass

import httpx

from participation import jobs
from participation.errors import DomainError
from participation.i18n import gettext as _
from participation.surveys.tables import Answer, Question

TRANSLATE_JOB = "translate_answers"
MAX_TRANSLATION_CHARS = 5000
#: Seconds one request to the translation service may take.
TRANSLATE_TIMEOUT = 30.0

log = logging.getLogger(__name__)


def _loads(value) -> dict:
    if isinstance(value, str):
        return json.loads(value) if value else {}
    return value or {}


class TranslationError(DomainError):
    """A translation cannot be saved as asked."""


@dataclass(frozen=True, slots=True)
class ForeignAnswer:
    answer_id: int
    #: The German text of the question it answers.
    question: str
    text: str
    #: German name of the language the text appears to be in ("Türkisch").
    language: str
    translation: str
    #: "staff", "machine" or "" (not translated yet).
    translated_by: str


async def foreign_answers(survey_id: int, threshold: int) -> list[ForeignAnswer] | None:
    """The survey's visible free-text answers in another language (or with a translation), untranslated first.

    The same answers the themes may use: none while the survey is open, and none from a group too small to be
    shown (see `themes.protected_members`). None for an unknown survey.
    """
    from participation.analysis import detect_language, language_name
    from participation.surveys.schemas import text_in
    from participation.surveys.services.themes import protected_members

    if not await Question.exists().where(Question.survey == survey_id):
        from participation.surveys.tables import Survey

        if not await Survey.exists().where(Survey.id == survey_id):
            return None
    rows = await Answer.select(
        Answer.id, Answer.text, Answer.translation, Answer.translated_by, Answer.question,
        Answer.question.texts.as_alias("question_texts"),
        Answer.response.district.as_alias("district"), Answer.response.centre.as_alias("centre"),
    ).where((Answer.question.survey == survey_id) & Answer.text.is_not_null() & Answer.hidden.eq(False)).order_by(
        Answer.id)
    rows, _plan, _label = await protected_members(survey_id, rows, threshold)
    found = []
    for row in rows:
        language = detect_language(row["text"] or "")
        if language in (None, "de") and not row["translation"]:
            continue
        found.append(ForeignAnswer(
            answer_id=row["id"], question=text_in(_loads(row["question_texts"]), "de", "text"), text=row["text"],
            language=language_name(language),
            translation=row["translation"] or "", translated_by=row["translated_by"] or "",
        ))
    found.sort(key=lambda a: (bool(a.translation), a.answer_id))
    return found


async def save_translation(survey_id: int, answer_id: int, translation: str) -> None:
    """Keep a staff translation of one answer (an empty one removes the translation)."""
    translation = (translation or "").strip()
    if len(translation) > MAX_TRANSLATION_CHARS:
        raise TranslationError(_("Die Übersetzung ist zu lang (höchstens %(n)s Zeichen).", n=MAX_TRANSLATION_CHARS),
                               "translation")
    rows = await Answer.update({
        Answer.translation: translation or None, Answer.translated_by: "staff" if translation else None,
    }).where((Answer.id == answer_id) & (Answer.question.survey == survey_id) & Answer.text.is_not_null()
             ).returning(Answer.id)
    if not rows:
        raise TranslationError(_("Diese Antwort gehört nicht zu dieser Umfrage."))


async def translate_text(client: httpx.AsyncClient, base_url: str, text: str) -> str | None:
    """One text into German through the service; None when the service fails or answers nonsense."""
    try:
        response = await client.post(f"{base_url}/translate", json={
            "q": text, "source": "auto", "target": "de", "format": "text",
        })
        response.raise_for_status()
        translated = response.json().get("translatedText")
    except (httpx.HTTPError, ValueError, AttributeError) as error:
        log.warning("translation service failed: %s", error)
        return None
    if not isinstance(translated, str) or not translated.strip():
        return None
    return translated.strip()[:MAX_TRANSLATION_CHARS]


async def machine_translate_answers(answer_ids: list[int], base_url: str) -> int:
    """Translate those of the answers that have no translation yet; returns how many were translated.

    An answer the service cannot translate stays untranslated (listed for staff), so a service outage never
    fails a clustering run.
    """
    rows = await Answer.select(Answer.id, Answer.text).where(
        Answer.id.is_in(answer_ids) & Answer.translation.is_null()
    ) if answer_ids else []
    done = 0
    async with httpx.AsyncClient(timeout=TRANSLATE_TIMEOUT) as client:
        for row in rows:
            translated = await translate_text(client, base_url, row["text"] or "")
            if translated is None:
                continue
            await Answer.update({Answer.translation: translated, Answer.translated_by: "machine"}).where(
                (Answer.id == row["id"]) & Answer.translation.is_null())
            done += 1
    return done


async def start_machine_translation(survey_id: int, base_url: str, threshold: int) -> int:
    """Queue the job that translates the survey's untranslated answers in other languages; returns its id."""
    if not base_url:
        raise TranslationError(_("Es ist kein Übersetzungsdienst eingerichtet."))
    return await jobs.enqueue(TRANSLATE_JOB, {
        "survey_id": survey_id, "translate_url": base_url, "threshold": threshold, "audience": jobs.OFFICE,
    })


@jobs.handler(TRANSLATE_JOB)
async def run_machine_translation(params: dict, progress: jobs.Progress) -> dict:
    """The job: every untranslated answer in another language of one survey, through the service."""
    progress(0.05, _("Antworten suchen"))
    found = await foreign_answers(int(params["survey_id"]), int(params.get("threshold") or 5)) or []
    missing = [a.answer_id for a in found if not a.translation]
    progress(0.1, _("Antworten übersetzen"))
    translated = await machine_translate_answers(missing, params["translate_url"])
    return {"survey_id": params["survey_id"], "translated": translated, "left": len(missing) - translated}
