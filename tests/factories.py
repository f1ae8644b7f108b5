"""One-line builders for test data, and helpers to act as a signed-in user."""

from __future__ import annotations

import itertools
import re

from httpx import AsyncClient

from participation.accounts.schemas import Role
from participation.accounts.services import create_user
from participation.directory.services import create_district, create_operator, save_centre

PASSWORD = "correct-horse-battery"
_counter = itertools.count(1)


class DirectoryFactory:
    async def district(self, name: str | None = None) -> int:
        return await create_district(name or f"Stadtteil {next(_counter)}")

    async def operator(self, name: str | None = None) -> int:
        return await create_operator(name or f"Träger {next(_counter)}")

    async def centre(self, name: str | None = None, *, district: int | None = None, operator: int | None = None) -> int:
        return await save_centre(
            None,
            name=name or f"Zentrum {next(_counter)}",
            district_id=district or await self.district(),
            operator_id=operator or await self.operator(),
        )

    async def office_user(self, email: str = "buero@example.org") -> int:
        return await create_user(email=email, display_name="Büro", password=PASSWORD, role=Role.OFFICE)

    async def centre_user(self, email: str = "zentrum@example.org", *, centre: int | None = None) -> int:
        return await create_user(
            email=email, display_name="Zentrum", password=PASSWORD, role=Role.CENTRE,
            centre_id=centre or await self.centre(),
        )


async def csrf_token(client: AsyncClient) -> str:
    if "fd_csrf" not in client.cookies:
        await client.get("/")
    return client.cookies["fd_csrf"]


async def post_form(client: AsyncClient, url: str, data: dict | list | None = None, **kwargs):
    """POST a form like a browser does, CSRF token included."""
    token = await csrf_token(client)
    pairs = data if isinstance(data, list) else list((data or {}).items())
    fields: dict[str, list[str]] = {"_csrf_token": [token]}
    for name, value in pairs:
        fields.setdefault(name, []).extend(value if isinstance(value, list) else [value])
    return await client.post(url, data=fields, **kwargs)


async def sign_in(client: AsyncClient, email: str, password: str = PASSWORD) -> None:
    response = await post_form(client, "/anmelden", {"email": email, "password": password})
    assert response.status_code in (200, 303), response.text
    assert "fd_session" in client.cookies, "sign-in did not set a session"


def text_of(html: str) -> str:
    """The visible text of a page, whitespace folded, for assertions."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


# --- surveys -------------------------------------------------------------------------------------------------------

#: A survey with one question of every kind, used by many tests.
STANDARD_QUESTIONS = [
    {"key": "betreuung", "kind": "single", "text": "Wie wird Ihr Kind betreut?", "required": True,
     "options": [("kita", "Kita"), ("tagespflege", "Tagespflege"), ("zuhause", "Zu Hause")]},
    {"key": "wuensche", "kind": "multiple", "text": "Welche Angebote wünschen Sie sich?", "allow_other": True,
     "options": [("sprachkurs", "Sprachkurs"), ("elterncafe", "Elterncafé"), ("beratung", "Beratung")]},
    {"key": "zufriedenheit", "kind": "scale", "text": "Wie zufrieden sind Sie mit der Betreuung?",
     "low_label": "gar nicht", "high_label": "sehr", "required": True},
    {"key": "berufstaetig", "kind": "yesno", "text": "Sind Sie berufstätig?"},
    {"key": "stunden", "kind": "number", "text": "Wie viele Stunden arbeiten Sie pro Woche?",
     "min_value": 0, "max_value": 60, "condition_key": "berufstaetig", "condition_value": "yes"},
    {"key": "anregung", "kind": "long_text", "text": "Was möchten Sie dem Bürgermeister sagen?"},
]


class SurveyFactory:
    async def round(self, season: str = "spring", year: int = 2027) -> int:
        from participation.dialogues.schemas import Season
        from participation.dialogues.services.rounds import create_round

        return await create_round(Season(season), year, topics=["Betreuungsarrangements"])

    async def survey(
        self, questions: list[dict] | None = None, *, round_id: int | None = None, published: bool = True,
        uses_codes: bool = False, title: str = "Familienumfrage",
    ) -> int:
        """A survey (default: STANDARD_QUESTIONS in one section), published and open unless told otherwise."""
        from datetime import UTC, datetime, timedelta

        from participation.surveys.schemas import QuestionKind
        from participation.surveys.services import definition

        round_id = round_id or await self.round()
        survey_id = await definition.create_survey(round_id, title, "Ihre Meinung zählt.")
        if uses_codes:
            await definition.update_survey_texts(survey_id, title, "Ihre Meinung zählt.", True)
        survey = await definition.load_survey(survey_id)
        section_id = survey.sections[0].id
        for spec in questions if questions is not None else STANDARD_QUESTIONS:
            spec = dict(spec)
            kind = QuestionKind(spec.pop("kind"))
            await definition.save_question(survey_id, section_id, None, definition.QuestionInput(kind=kind, **spec))
        if published:
            now = datetime.now(UTC)
            await definition.publish_survey(survey_id, now - timedelta(days=1), now + timedelta(days=30))
        return survey_id

    async def close(self, survey_id: int) -> None:
        """Close a survey now: per-group results are shown only from then on."""
        from participation.surveys.services import definition

        await definition.close_survey(survey_id)

    async def response(
        self, survey_id: int, district: int, answers: dict[str, str | list[str]] | None = None, *,
        centre: int | None = None, language: str = "de", channel: str = "online",
    ) -> str:
        """Store one response given as form values by question key (e.g. {"betreuung": "kita"})."""
        from participation.surveys.services import answering, definition

        survey = await definition.load_survey(survey_id)
        raw: dict[str, list[str]] = {}
        for key, value in (answers or {}).items():
            raw[key if key.startswith("q_") else f"q_{key}"] = value if isinstance(value, list) else [value]
        parsed, errors = answering.evaluate(survey, raw)
        assert not errors, errors
        outcome = await answering.save_response(
            survey, district_id=district, centre_id=centre, language=language, answers=parsed,
            submission_id=answering.new_submission_id(), channel=channel,
        )
        assert outcome is answering.SaveOutcome.SAVED
        return outcome


class Factory(DirectoryFactory, SurveyFactory):
    """Builds districts, centres, users, rounds, surveys and responses in one line each."""
