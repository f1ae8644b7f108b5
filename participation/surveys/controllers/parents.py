"""The parents' form: no account, phone first, works without JavaScript.

The form is paged (first the district, then one page per section). Every page carries the answers of the other pages
as hidden fields, so nothing is stored before the parent submits, the back button works, and an invalid page comes
back with every answer kept. A random submission id makes a double click or a retry record one response.

Nothing of the form lives in a cookie: the answers so far, the language and the form's token are all in the page, so
a browser that lost or expired its cookies mid-form goes on where it was (see `web.cookieless_csrf`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from participation.dialogues.schemas import translated_round_title
from participation.directory.services import list_centres, list_districts
from participation.i18n import current_language, ngettext, set_language
from participation.i18n import gettext as _
from participation.ids import parse_id
from participation.notifications.services.subscriptions import round_to_follow
from participation.offerings.services.outcomes import outcomes_link_before
from participation.settings import Settings
from participation.surveys.dependencies import provide_published_survey
from participation.surveys.schemas import QuestionDef, SurveyDef, SurveyStatus
from participation.surveys.services import answering, codes, definition
from participation.web.context import LANGUAGE_COOKIE
from participation.web.cookieless_csrf import EXCLUDE_FROM_COOKIE_CSRF, form_is_genuine, issue_token
from participation.web.forms import FormInput, read_form
from participation.web.redirects import redirect_to

ANSWERED_COOKIE = "fd_answered"


@dataclass
class FormState:
    """Where a parent is in the form and what they entered so far."""

    page: int = 0
    submission_id: str = ""
    district: str = ""
    centre: str = ""
    code: str = ""
    raw: dict[str, list[str]] = field(default_factory=dict)


def _int_or_none(value: str) -> int | None:
    return parse_id(value)


def _read_state(survey: SurveyDef, form: FormInput) -> FormState:
    return FormState(
        page=max(0, _int_or_none(form.get("page", "0") or "0") or 0),
        submission_id=(form.get("submission_id") or "")[:64] or answering.new_submission_id(),
        district=form.get("district") or "",
        centre=form.get("centre") or "",
        code=(form.get("code") or "").strip()[:20],
        raw=answering.read_answers(survey, form.getlist),
    )


def _survey_language(survey: SurveyDef, form_language: str | None = None) -> list[str]:
    """Languages the survey is complete in; the page falls back to German when the visitor's is not among them.

    A form page names its language in a field of its own, so the form stays in the parent's language without the
    language cookie."""
    languages = definition.complete_languages(survey)
    if form_language in languages:
        set_language(form_language)
    if current_language() not in languages:
        set_language("de")
    return languages


def _answered_surveys(request: Request) -> set[str]:
    return set(filter(None, request.cookies.get(ANSWERED_COOKIE, "").split(".")))


class ParentSurveyController(Controller):
    """Start page, form pages and confirmation of a survey."""

    path = "/umfrage"
    dependencies = {"survey": Provide(provide_published_survey)}

    @get("/{survey_id:int}", name="survey_start")
    async def start(
        self, request: Request, survey: NamedDependency[SurveyDef], code: FromQuery[str | None] = None,
    ) -> Template:
        _survey_language(survey)
        return await _start_page(request, survey, (code or "")[:20])

    @get("/{survey_id:int}/antworten", name="survey_form")
    async def first_page(
        self, request: Request, survey: NamedDependency[SurveyDef], code: FromQuery[str | None] = None,
    ) -> Template:
        _survey_language(survey)
        if survey.status(definition.now()) is not SurveyStatus.OPEN:
            return await _closed(survey)
        state = FormState(submission_id=answering.new_submission_id(), code=(code or "").strip()[:20])
        if survey.uses_codes and code is not None:
            # The code was typed on the start page: it is checked there, before the parent answers anything.
            if wait := await _code_wait(request, survey, state):
                response = await _start_page(request, survey, state.code, _throttled_message(wait), 429)
                response.headers["Retry-After"] = str(wait)
                return response
            if code_error := await _code_error(request, survey, state):
                return await _start_page(request, survey, state.code, code_error, 400)
        return await _render_page(survey, state, {})

    @post("/{survey_id:int}/antworten", name="survey_form_submit", opt=EXCLUDE_FROM_COOKIE_CSRF)
    async def submit_page(
        self, request: Request, settings: NamedDependency[Settings], survey_id: FromPath[int],
    ) -> Template | Redirect:
        form = await read_form(request)  # before taking a database connection
        issue_token(request)
        genuine = form_is_genuine(request, form.get("_csrf_token"))
        switch_to = form.get("switch_lang")
        nav = form.get("nav", "next")
        async with answering.request_transaction(writes=nav == "submit" and genuine):
            survey = await provide_published_survey(survey_id)
            _survey_language(survey, switch_to or form.get("lang"))
            if survey.status(definition.now()) is not SurveyStatus.OPEN:
                return await _closed(survey)
            state = _read_state(survey, form)
            page_count = len(survey.sections) + 1
            state.page = min(state.page, page_count - 1)
            if switch_to:
                response = await _render_page(survey, state, {})
                if switch_to == current_language():
                    response.set_cookie(LANGUAGE_COOKIE, switch_to, max_age=365 * 24 * 3600, samesite="lax",
                                        secure=settings.secure_cookies)
                return response
            if not genuine:
                # Not this site's form (or a forged one): nothing is checked or saved; the page comes back with the
                # answers as sent and a fresh token, so a parent's own form goes through with one more click.
                return await _render_page(survey, state, {"_form": _(
                    "Bitte prüfen Sie Ihre Angaben auf dieser Seite und senden Sie sie noch einmal."
                )}, status_code=400)
            if nav == "back":
                state.page = max(0, state.page - 1)
                return await _render_page(survey, state, {})
            wait = await _code_wait(request, survey, state)
            if wait:
                return await _code_throttled(survey, state, wait)
            if nav != "submit" or state.page < page_count - 1:
                errors = await _page_errors(survey, state, request)
                if errors:
                    return await _render_page(survey, state, errors, status_code=400)
                state.page = min(state.page + 1, page_count - 1)
                return await _render_page(survey, state, {})
            return await _submit(request, settings, survey, state)

    @get("/{survey_id:int}/danke", name="survey_thanks")
    async def thanks(self, survey: NamedDependency[SurveyDef]) -> Template:
        _survey_language(survey)
        return Template("surveys/parent_thanks.html", context={
            "survey": survey, "lang": current_language(), "notify_round": await round_to_follow(survey.round_id)})


async def _submit(request: Request, settings: Settings, survey: SurveyDef, state: FormState) -> Template | Redirect:
    """The final page: check every page again (hidden fields can be altered), then save once.

    The answers are evaluated once for all pages. The page shown with errors is the one the parent is on when it
    has any, else the first page that has some, as if each page were checked again in turn.
    """
    answers, question_errors = answering.evaluate(survey, state.raw)
    page_errors: list[dict[str, str]] = [await _place_and_code_errors(request, survey, state)]
    if "code" in page_errors[0] and await answering.is_saved(state.submission_id):
        # A retry (or the second of a double click) of a submission that was saved: its code is used by itself.
        # Asked after the code check, so a submission that committed in between is found too.
        return _thanks(request, settings, survey)
    place_problem = page_errors[0].pop("_place", None)
    for number, section in enumerate(survey.sections, start=1):
        errors: dict[str, str] = {}
        if number == 1 and state.centre and place_problem:
            errors[place_problem[0]] = place_problem[1]
        keys = {q.key for q in section.questions}
        errors.update((key, message) for key, message in question_errors.items() if key in keys)
        page_errors.append(errors)
    for page in (state.page, *range(len(page_errors))):
        if page_errors[page]:
            state.page = page
            return await _render_page(survey, state, page_errors[page], status_code=400)
    if not await request.app.state.submission_limiter.allow(request.scope):
        return await _render_page(
            survey, state,
            {"_form": _("Von diesem Anschluss kamen gerade sehr viele Antworten. Bitte senden Sie das Formular "
                        "in einigen Minuten noch einmal – Ihre Antworten bleiben auf dieser Seite erhalten.")},
            status_code=429,
        )
    outcome = await answering.save_response(
        survey, district_id=int(state.district), centre_id=_int_or_none(state.centre),
        language=current_language(), answers=answers, submission_id=state.submission_id, code=state.code or None,
    )
    if outcome is answering.SaveOutcome.CODE_INVALID:
        await request.app.state.code_throttle.failed(request.scope)
        state.page = 0
        return await _render_page(
            survey, state, {"code": _("Dieser Einladungscode wurde schon benutzt oder ist ungültig.")},
            status_code=400,
        )
    return _thanks(request, settings, survey)


def _thanks(request: Request, settings: Settings, survey: SurveyDef) -> Redirect:
    """On to the thank-you page, remembering in this browser that the survey was answered."""
    answered = _answered_surveys(request) | {str(survey.id)}
    redirect = redirect_to(request, "survey_thanks", survey_id=survey.id)
    redirect.set_cookie(ANSWERED_COOKIE, ".".join(sorted(answered)), max_age=180 * 24 * 3600, httponly=True,
                        samesite="lax", secure=settings.secure_cookies)
    return redirect


async def _place_and_code_errors(request: Request, survey: SurveyDef, state: FormState) -> dict:
    """The first page's errors on the final submission, with the district/centre check made once for both first
    pages: its (field, message) under "_place", its district error (the first page's) under "district"."""
    errors: dict = {}
    problem = await answering.place_error(_int_or_none(state.district), _int_or_none(state.centre or ""))
    if problem:
        errors["_place"] = problem
        if problem[0] == "district":
            errors["district"] = problem[1]
    if code_error := await _code_error(request, survey, state):
        errors["code"] = code_error
    return errors


async def _code_error(request: Request, survey: SurveyDef, state: FormState) -> str | None:
    """The invitation code's error on the first page (a wrong code counts towards the client's back-off)."""
    if not survey.uses_codes:
        return None
    if not state.code:
        return _("Bitte geben Sie Ihren Einladungscode ein. Sie finden ihn auf der Karte Ihres Zentrums.")
    if not await codes.code_is_valid(survey.id, state.code):
        await request.app.state.code_throttle.failed(request.scope)
        return _("Dieser Einladungscode wurde schon benutzt oder ist ungültig.")
    return None


async def _start_page(
    request: Request, survey: SurveyDef, code: str, code_error: str | None = None, status_code: int = 200,
) -> Template:
    previous = await outcomes_link_before(survey.round_id)
    return Template("surveys/parent_start.html", context={
        "survey": survey, "lang": current_language(), "available_languages": definition.complete_languages(survey),
        "status": survey.status(definition.now()), "code": code, "code_error": code_error,
        "answered_here": str(survey.id) in _answered_surveys(request),
        "previous_outcomes": previous and {**previous, "title": translated_round_title(previous["title"])},
    }, status_code=status_code)


async def _closed(survey: SurveyDef) -> Template:
    return Template(
        "surveys/parent_closed.html",
        context={"survey": survey, "lang": current_language(), "status": survey.status(definition.now())},
        status_code=409,
    )


async def _code_wait(request: Request, survey: SurveyDef, state: FormState) -> int:
    """Seconds this client must wait before a code is checked again (0: now); only when a code is to be checked."""
    if not survey.uses_codes or not state.code:
        return 0
    return await request.app.state.code_throttle.wait_seconds(request.scope)


def _throttled_message(wait: int) -> str:
    return ngettext(
        "Von diesem Anschluss wurden zu viele ungültige Einladungscodes eingegeben. Bitte warten Sie %(seconds)s "
        "Sekunde und versuchen Sie es dann noch einmal.",
        "Von diesem Anschluss wurden zu viele ungültige Einladungscodes eingegeben. Bitte warten Sie %(seconds)s "
        "Sekunden und versuchen Sie es dann noch einmal.",
        wait, seconds=wait,
    )


async def _code_throttled(survey: SurveyDef, state: FormState, wait: int) -> Template:
    state.page = 0
    response = await _render_page(survey, state, {"code": _throttled_message(wait)}, status_code=429)
    response.headers["Retry-After"] = str(wait)
    return response


async def _page_errors(survey: SurveyDef, state: FormState, request: Request) -> dict[str, str]:
    """Errors of the current page, keyed by question key (or "district", "centre", "code")."""
    if state.page == 0:
        errors: dict[str, str] = {}
        problem = await answering.place_error(_int_or_none(state.district), None)
        if problem:
            errors[problem[0]] = problem[1]
        if code_error := await _code_error(request, survey, state):
            errors["code"] = code_error
        return errors
    section = survey.sections[state.page - 1]
    errors = {}
    if state.page == 1 and state.centre:
        problem = await answering.place_error(_int_or_none(state.district), _int_or_none(state.centre))
        if problem:
            errors[problem[0]] = problem[1]
    _answers, question_errors = answering.evaluate(survey, state.raw, [section])
    errors.update(question_errors)
    return errors


@dataclass
class QuestionView:
    """A question as the form page shows it."""

    question: QuestionDef
    values: list[str]
    other: str
    error: str | None
    condition_hint: str | None


async def _render_page(
    survey: SurveyDef, state: FormState, errors: dict[str, str], *, status_code: int = 200,
) -> Template:
    language = current_language()
    page_count = len(survey.sections) + 1
    answers, _errors = answering.evaluate(survey, state.raw)
    context: dict = {
        "survey": survey, "lang": language, "state": state, "errors": errors, "page_count": page_count,
        "page_number": state.page + 1, "is_last": state.page == page_count - 1,
    }
    context["available_languages"] = definition.complete_languages(survey)
    shown_keys: set[str] = set()
    if state.page == 0:
        context["districts"] = await list_districts()
    else:
        section = survey.sections[state.page - 1]
        context["section"] = section
        if state.page == 1 and _int_or_none(state.district):
            context["centres"] = await list_centres(district_id=int(state.district))
        page_keys = {q.key for q in section.questions}
        views = []
        for question in section.questions:
            if question.condition_key and question.condition_key not in page_keys and not answering.is_visible(
                question, answers
            ):
                continue  # its condition was answered on an earlier page and is not met
            hint = None
            if question.condition_key and question.condition_key in page_keys:
                hint = answering.condition_hint(survey, question, language)
            shown_keys.add(question.key)
            views.append(QuestionView(
                question=question,
                values=state.raw.get(answering.field_name(question), []),
                other=" ".join(state.raw.get(answering.other_field_name(question), [])),
                error=errors.get(question.key),
                condition_hint=hint,
            ))
        context["questions"] = views
    context["error_items"] = _error_items(survey, state, errors, context, language)
    hidden: list[tuple[str, str]] = []
    for name, values in state.raw.items():
        key = name.removeprefix("q_").removesuffix("_other")
        if key in shown_keys:
            continue
        hidden.extend((name, value) for value in values)
    context["hidden_answers"] = hidden
    return Template("surveys/parent_form.html", context=context, status_code=status_code)



@dataclass
class ErrorItem:
    """One line of the error summary: the question it is about, the message, the field it links to."""

    anchor: str | None
    label: str
    message: str


def _error_items(
    survey: SurveyDef, state: FormState, errors: dict[str, str], context: dict, language: str,
) -> list[ErrorItem]:
    """The error summary in the order of the page, each line naming its question and linking to its first field."""
    items: list[tuple[str, ErrorItem]] = []
    for key, message in errors.items():
        if key == "_form":
            items.append((key, ErrorItem(None, "", message)))
        elif key == "district":
            districts = context.get("districts") or []
            anchor = f"district-{districts[0].id}" if districts else None
            items.append((key, ErrorItem(anchor, _("In welchem Stadtteil wohnen Sie?"), message)))
        elif key == "code":
            items.append((key, ErrorItem("code" if state.page == 0 else None, _("Einladungscode"), message)))
        elif key == "centre":
            items.append((key, ErrorItem(
                "centre", _("Welches Kinder- und Familienzentrum besuchen Sie? (freiwillig)"), message)))
        elif (question := survey.question_by_key(key)) is not None:
            values = question.option_values()
            anchor = f"q-{key}-{values[0]}" if values else f"q-{key}"
            items.append((key, ErrorItem(anchor, question.text(language), message)))
    order = {view.question.key: n for n, view in enumerate(context.get("questions", []))}
    return [item for key, item in sorted(items, key=lambda pair: order.get(pair[0], -1))]


PARENT_CONTROLLERS: list = [ParentSurveyController]
