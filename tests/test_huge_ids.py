"""Ids past the id columns (2^31 on PostgreSQL's `integer`, 2^63 on SQLite) in a path, a form field or a filter
are a 404 or a 400, never a 500."""

from __future__ import annotations

import re

import pytest
from litestar.routes import HTTPRoute

from tests.factories import csrf_token, sign_in
from tests.test_authorization import ROLES, walk_ids  # noqa: F401 - the walk's fixture

HUGE_IDS = (2**31, 2**63, 2**64 + 1, 10**40)


def _routes_with_int_parameters(app) -> list[tuple[str, str]]:
    found = []
    for route in app.routes:
        if isinstance(route, HTTPRoute) and re.search(r"\{\w+:int\}", route.path):
            found += [(method, route.path) for method in sorted(route.methods - {"HEAD", "OPTIONS"})]
    return found


def test_the_walk_finds_the_routes_with_ids(app):
    paths = {path for _method, path in _routes_with_int_parameters(app)}
    assert "/umfrage/{survey_id:int}" in paths and "/verwaltung/stammdaten/zentren/{centre_id:int}" in paths


@pytest.mark.parametrize("role", ROLES)
async def test_huge_ids_in_a_path_are_not_found(app, client, make, role):
    centre = await make.centre("Zentrum Mitte")
    await make.office_user("buero@example.org")
    await make.centre_user("zentrum@example.org", centre=centre)
    if role != "anonymous":
        await sign_in(client, f"{'buero' if role == 'office' else 'zentrum'}@example.org")
    token = await csrf_token(client)
    failures = []
    for method, path in _routes_with_int_parameters(app):
        for huge in HUGE_IDS:
            url = re.sub(r"\{\w+:int\}", str(huge), path)
            if method == "GET":
                response = await client.get(url)
            else:
                response = await client.post(url, data={"_csrf_token": token})
            status = response.status_code
            redirected_to_sign_in = status == 303 and response.headers["location"].startswith("/anmelden")
            if status >= 500 or not (status in (400, 401, 403, 404) or redirected_to_sign_in):
                failures.append(f"{role} {method} {url} -> {status}")
    assert not failures, "\n".join(failures)


def _forms_taking_ids(ids: dict, HUGE: str) -> list[tuple[str, str, str, dict]]:
    """(role, method, url, fields) of every form and filter that takes an id, each with an id past the id columns.

    The theme editor answers every edit with a redirect back to the run and a message (also for ids it does not
    know), so there a 303 is the refusal.
    """
    survey, run, open_survey = ids["survey_id"], ids["run_id"], ids["open_survey_id"]
    return [
        ("anonymous", "POST", f"/umfrage/{open_survey}/antworten", {"page": "0", "district": HUGE}),
        ("anonymous", "POST", f"/umfrage/{open_survey}/antworten", {"page": "1", "district": str(ids["district_id"]),
                                                               "centre": HUGE}),
        ("anonymous", "POST", f"/umfrage/{open_survey}/antworten", {"page": HUGE, "district": HUGE, "centre": HUGE,
                                                               "nav": "submit"}),
        ("office", "POST", "/verwaltung/stammdaten/zentren/neu", {"name": "Neu", "district": HUGE, "operator": HUGE}),
        ("office", "POST", f"/verwaltung/stammdaten/zentren/{ids['centre_id']}",
         {"name": "Neu", "district": HUGE, "operator": HUGE}),
        ("office", "POST", "/verwaltung/benutzer/neu", {"email": "neu@example.org", "role": "centre", "centre": HUGE}),
        ("office", "POST", f"/verwaltung/benutzer/{ids['user_id']}", {"email": "buero@example.org", "centre": HUGE}),
        ("office", "GET", f"/verwaltung/umfragen/{survey}/ergebnisse?district={HUGE}", {}),
        ("office", "POST", f"/verwaltung/umfragen/{survey}/themen", {"target": f"q:{HUGE}", "district": HUGE}),
        ("office", "POST", f"/verwaltung/themen/{run}/bearbeiten",
         {"action": "move", "theme": HUGE, "answer": HUGE, "target_theme": HUGE}),
        ("office", "POST", f"/verwaltung/themen/{run}/bearbeiten", {"action": "rename", "theme": HUGE, "label": "x"}),
        ("office", "POST", f"/verwaltung/themen/{run}/bearbeiten", {"action": "merge", "source": HUGE,
                                                                    "target_theme": HUGE}),
        ("office", "POST", f"/verwaltung/umfragen/{survey}/codes", {"centre": HUGE, "count": "5"}),
        ("anonymous", "GET", f"/api/centres?district={HUGE}", {}),
        ("office", "GET", f"/api/surveys/{survey}/results?district={HUGE}", {}),
        ("office", "GET", f"/api/surveys/{survey}/results?centre={HUGE}", {}),
        ("centre", "POST", f"/zentrum/massnahmen/{ids['action_id']}/annehmen", {"offering": HUGE}),
    ]


@pytest.mark.parametrize("role", ROLES)
async def test_huge_ids_in_forms_and_filters_are_refused(client, make, walk_ids, role):  # noqa: F811
    walk_ids["open_survey_id"] = await make.survey(round_id=await make.round("autumn", 2027))
    if role != "anonymous":
        await sign_in(client, f"{'buero' if role == 'office' else 'zentrum'}@example.org")
    token = await csrf_token(client)
    failures = []
    cases = [case for huge in (2**31, 2**63) for case in _forms_taking_ids(walk_ids, str(huge))]
    for form_role, method, url, fields in cases:
        if form_role != role:
            continue
        if method == "GET":
            response = await client.get(url)
        else:
            response = await client.post(url, data={**fields, "_csrf_token": token})
        refused = (400, 404, 303) if "/bearbeiten" in url else (400, 404)
        if response.status_code not in refused:
            failures.append(f"{role} {method} {url} {fields} -> {response.status_code}")
    assert not failures, "\n".join(failures)
