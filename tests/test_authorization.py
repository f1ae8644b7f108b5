"""The authorisation walk: every route, with every role, gets the status its access level promises."""

from __future__ import annotations

import re

import pytest
from litestar.routes import HTTPRoute

from tests.dialogues.route_access_session import sample_ids as session_sample_ids
from tests.factories import csrf_token, sign_in
from tests.notifications.route_access_notifications import sample_token as notification_sample_token
from tests.offerings.route_access_offerings import sample_ids as offering_sample_ids
from tests.route_access import ROUTES, fill_path, job_every_signed_in_user_may_see

ROLES = ("anonymous", "centre", "office")


def _allowed(access: str, role: str) -> bool:
    return access == "public" or (access == "signed_in" and role != "anonymous") or access == role


def _app_routes(app) -> set[tuple[str, str]]:
    found = set()
    for route in app.routes:
        if isinstance(route, HTTPRoute):
            for method in route.methods - {"HEAD", "OPTIONS"}:
                found.add((method, route.path_format if "{" not in route.path else route.path))
    return found


def test_every_route_is_listed_with_its_access_level(app):
    unlisted = _app_routes(app) - set(ROUTES)
    assert not unlisted, f"Routes without an access level in tests/route_access.py: {sorted(unlisted)}"
    stale = set(ROUTES) - _app_routes(app)
    assert not stale, f"Listed routes the app no longer has: {sorted(stale)}"


@pytest.fixture
async def walk_ids(make):
    district = await make.district("Eglosheim")
    centre = await make.centre("Kinder- und Familienzentrum Eglosheim", district=district)
    office = await make.office_user("buero@example.org")
    await make.centre_user("zentrum@example.org", centre=centre)
    survey = await make.survey()
    for text in ("Mehr Plätze in der Kita", "Längere Öffnungszeiten", "Ein sauberer Spielplatz") * 2:
        await make.response(survey, district, {"betreuung": "kita", "zufriedenheit": "4", "anregung": text})
    ids = {"user_id": office, "centre_id": centre, "file_path": "site.css", "path": "openapi.json",
           "district_id": district, "language": "en", **(parts := await survey_part_ids(survey))}
    ids.update(await session_sample_ids(parts["round_id"], centre, parts["topic_id"]))
    ids.update(await offering_sample_ids(parts["round_id"], centre))
    ids["job_id"] = await job_every_signed_in_user_may_see(ids["version_id"])
    ids["token"] = await notification_sample_token()
    return ids


async def survey_part_ids(survey_id: int, run_id: int | None = None) -> dict[str, int]:
    """Ids of a survey's parts, a clustering run with its theme and job, and the survey's round and topic."""
    from participation import jobs
    from participation.dialogues.tables import Topic
    from participation.surveys.services import themes
    from participation.surveys.services.definition import load_survey
    from participation.surveys.tables import Answer

    survey = await load_survey(survey_id)
    text_question = next(q for q in survey.questions if q.kind.is_text)
    if run_id is None:
        from participation.surveys.services.definition import close_survey

        await close_survey(survey_id)  # themes are formed once a survey is closed
        run_id, _job = await themes.start_run(survey_id, question_id=text_question.id)
        await jobs.run_until_idle()
    run = await themes.get_run(run_id, threshold=5)
    theme, job_id = run.themes[0], run.job_id
    answer = await Answer.select(Answer.id).where(Answer.question == text_question.id).first()
    topic = await Topic.select(Topic.id).where(Topic.round == survey.round_id).first()
    return {
        "survey_id": survey_id, "section_id": survey.sections[0].id, "question_id": survey.questions[0].id,
        "round_id": survey.round_id, "topic_id": topic["id"], "run_id": run_id, "theme_id": theme.id,
        "job_id": job_id, "answer_id": answer["id"],
    }


@pytest.mark.parametrize("role", ROLES)
async def test_every_route_answers_each_role_as_promised(client, walk_ids, role):
    if role != "anonymous":
        await sign_in(client, f"{'buero' if role == 'office' else 'zentrum'}@example.org")
    token = await csrf_token(client)
    failures = []
    for (method, path), access in sorted(ROUTES.items()):
        if path in ("/abmelden", "/konto/ueberall-abmelden") and method == "POST":
            continue  # signing out would end the walk; covered by the sign-out tests (tests/test_sessions.py)
        url = fill_path(path, walk_ids)
        if method == "GET":
            response = await client.get(url)
        else:
            response = await client.post(url, data={"_csrf_token": token})
        status = response.status_code
        location = response.headers.get("location", "")
        if _allowed(access, role):
            ok = status < 500 and status not in (401, 403) and not location.startswith("/anmelden")
        elif role == "anonymous":
            ok = status == 401 if path.startswith("/api/") else (status == 303 and location.startswith("/anmelden"))
        else:
            ok = status == 403
        if not ok:
            failures.append(f"{role} {method} {url} ({access}) -> {status} {location}")
        if ok and status == 200 and response.headers.get("content-type", "").startswith("text/html"):
            title = re.search(r"<title>(.*?)</title>", response.text, re.S)
            if title is None or "<" in title.group(1) or "\n" in title.group(1).strip():
                failures.append(f"{role} {method} {url}: the page's title is not one line of text")
    assert not failures, "\n".join(failures)
