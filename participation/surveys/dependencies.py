"""Surveys and their parts loaded from path ids, for Litestar's dependency injection.

Each provider answers 404 with the page's usual message when the id is unknown (or, for parents and centre staff,
not published). A provider that needs the survey takes it as a dependency, so the survey is checked first and the
database sees one query at a time.
"""

from __future__ import annotations

from litestar.di import NamedDependency, Provide
from litestar.exceptions import NotFoundException, PermissionDeniedException
from litestar.params import FromPath

from participation.accounts.schemas import CurrentUser
from participation.directory.dependencies import existing_centre, own_centre_of
from participation.directory.schemas import CentreOut
from participation.i18n import gettext as _
from participation.settings import PARENT_LANGUAGES
from participation.surveys.schemas import QuestionDef, SectionDef, SurveyDef
from participation.surveys.services import themes
from participation.surveys.services.definition import load_published_survey, load_survey

#: Languages a survey can be translated into (German is the source).
TRANSLATION_LANGUAGES = PARENT_LANGUAGES[1:]


def survey_not_found() -> NotFoundException:
    return NotFoundException(_("Diese Umfrage gibt es nicht."))


async def provide_survey(survey_id: FromPath[int]) -> SurveyDef:
    """Any survey, drafts included (the office's pages)."""
    survey = await load_survey(survey_id)
    if survey is None:
        raise survey_not_found()
    return survey


async def provide_published_survey(survey_id: FromPath[int]) -> SurveyDef:
    """A published survey (parents' pages): a draft answers 404 like an unknown id."""
    survey = await load_published_survey(survey_id)
    if survey is None:
        raise survey_not_found()
    return survey


async def provide_visible_survey(current_user: NamedDependency[CurrentUser], survey_id: FromPath[int]) -> SurveyDef:
    """A survey the signed-in user may see: the office every survey, centre staff published ones."""
    survey = await load_survey(survey_id)
    if survey is None or (not current_user.is_office and not survey.published):
        raise survey_not_found()
    return survey


def provide_section(survey: NamedDependency[SurveyDef], section_id: FromPath[int]) -> SectionDef:
    """A section of the path's survey."""
    section = next((s for s in survey.sections if s.id == section_id), None)
    if section is None:
        raise NotFoundException(_("Diesen Abschnitt gibt es in dieser Umfrage nicht."))
    return section


def provide_question(survey: NamedDependency[SurveyDef], question_id: FromPath[int]) -> QuestionDef:
    """A question of the path's survey."""
    question = next((q for q in survey.questions if q.id == question_id), None)
    if question is None:
        raise NotFoundException(_("Diese Frage gibt es in dieser Umfrage nicht."))
    return question


def provide_translation_language(survey: NamedDependency[SurveyDef], language: FromPath[str]) -> str:
    """A language the path's survey can be translated into (the survey is checked first)."""
    if language not in TRANSLATION_LANGUAGES:
        raise NotFoundException(_("In diese Sprache kann nicht übersetzt werden."))
    return language


async def provide_codes_centre(survey: NamedDependency[SurveyDef], centre_id: FromPath[int]) -> CentreOut:
    """The centre whose invitation codes are asked for (the survey is checked first)."""
    return await existing_centre(centre_id)


async def provide_own_district(current_user: NamedDependency[CurrentUser], survey_id: FromPath[int]) -> int:
    """Centre staff's district, for a published survey's results (403 without a district, 404 for a draft)."""
    if current_user.district_id is None:
        raise PermissionDeniedException(_("Ihrem Zugang ist kein Stadtteil zugeordnet."))
    survey = await load_survey(survey_id)
    if survey is None or not survey.published:
        raise survey_not_found()
    return current_user.district_id


async def provide_results_centre(
    current_user: NamedDependency[CurrentUser], own_district_id: NamedDependency[int]
) -> CentreOut | None:
    """Centre staff's own centre on the results pages, once their district and the survey are checked."""
    return await own_centre_of(current_user)


async def provide_theme_run(run_id: FromPath[int], threshold: NamedDependency[int]) -> themes.RunView:
    """A clustering run with its themes (groups below the threshold suppressed)."""
    run = await themes.get_run(run_id, threshold)
    if run is None:
        raise NotFoundException(_("Diese Auswertung gibt es nicht."))
    return run


def provide_theme(run: NamedDependency[themes.RunView], theme_id: FromPath[int]) -> themes.ThemeView:
    """A theme of the path's run."""
    theme = next((t for t in run.themes if t.id == theme_id), None)
    if theme is None:
        raise NotFoundException(_("Dieses Thema gibt es nicht."))
    return theme


#: The office's editor: the survey and its parts.
EDITOR_DEPENDENCIES = {
    "survey": Provide(provide_survey),
    "section": Provide(provide_section, sync_to_thread=False),
    "question": Provide(provide_question, sync_to_thread=False),
    "translation_language": Provide(provide_translation_language, sync_to_thread=False),
    "centre": Provide(provide_codes_centre),
}
