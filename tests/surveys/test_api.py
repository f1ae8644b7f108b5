"""The surveys' JSON API: documented in OpenAPI, guarded, and with the same privacy rules as the pages."""

from __future__ import annotations

from tests.factories import sign_in

API_PATHS = ["/api/surveys", "/api/surveys/{survey_id}", "/api/surveys/{survey_id}/results",
             "/api/surveys/{survey_id}/responses"]


async def populate(make):
    survey = await make.survey()
    nord, west = await make.district("Nord"), await make.district("West")
    for _ in range(7):
        await make.response(survey, nord, {"betreuung": "kita", "zufriedenheit": "4", "anregung": "Gut so"})
    for _ in range(3):
        await make.response(survey, west, {"betreuung": "zuhause", "zufriedenheit": "2"})
    return survey, nord, west


async def test_openapi_documents_every_survey_api_path_under_its_tag(client):
    schema = (await client.get("/api/schema/openapi.json")).json()
    documented = [path for path in schema["paths"] if path.startswith("/api/surveys")]
    assert sorted(documented) == sorted(API_PATHS)
    for path in API_PATHS:
        assert schema["paths"][path]["get"]["tags"] == ["Umfragen"]
    assert "SurveyResults" in str(schema["components"]["schemas"].keys())


async def test_anonymous_gets_401_json(client, make):
    survey, _nord, _west = await populate(make)
    for path in ("/api/surveys", f"/api/surveys/{survey}", f"/api/surveys/{survey}/results",
                 f"/api/surveys/{survey}/responses"):
        response = await client.get(path)
        assert response.status_code == 401 and response.json()["status_code"] == 401, path


async def test_results_suppress_the_small_district(client, make):
    survey, _nord, west = await populate(make)
    await make.office_user()
    await sign_in(client, "buero@example.org")
    data = (await client.get(f"/api/surveys/{survey}/results")).json()
    assert data["total"] == 10
    counts = {d["name"]: d["count"] for d in data["districts"]}
    assert counts == {"Nord": None, "West": None}  # West is 3; Nord would give it away as 10 − 7
    small = (await client.get(f"/api/surveys/{survey}/results", params={"district": west})).json()
    assert small["suppressed"] is True and small["questions"] == []
    assert (await client.get(f"/api/surveys/{survey}/results", params={"district": "x"})).status_code == 400
    assert (await client.get("/api/surveys/999/results")).status_code == 404


async def test_centre_staff_get_their_district_only(client, make):
    survey, nord, _west = await populate(make)
    ost, sued = await make.district("Ost"), await make.district("Süd")
    await make.response(survey, sued, {"betreuung": "kita", "zufriedenheit": "1"})
    for _ in range(6):
        await make.response(survey, ost, {"betreuung": "tagespflege", "zufriedenheit": "5"})
    centre = await make.centre("Zentrum Ost", district=ost)
    await make.centre_user(centre=centre)
    await sign_in(client, "zentrum@example.org")
    data = (await client.get(f"/api/surveys/{survey}/results")).json()
    assert data["district_name"] == "Ost" and data["total"] == 6
    betreuung = next(q for q in data["questions"] if q["key"] == "betreuung")
    assert {o["value"]: o["count"] for o in betreuung["options"]} == {"kita": 0, "tagespflege": 6, "zuhause": 0}
    assert (await client.get(f"/api/surveys/{survey}/results", params={"district": nord})).status_code == 403
    assert (await client.get(f"/api/surveys/{survey}/responses")).status_code == 403
    assert [s["id"] for s in (await client.get("/api/surveys")).json()] == [survey]
    assert (await client.get(f"/api/surveys/{survey}")).json()["questions"][0]["key"] == "betreuung"


async def test_drafts_are_listed_for_the_office_only(client, make):
    draft = await make.survey(published=False, round_id=await make.round("autumn", 2027))
    await make.office_user()
    await make.centre_user()
    await sign_in(client, "buero@example.org")
    assert [s["id"] for s in (await client.get("/api/surveys")).json()] == [draft]
    client.cookies.clear()
    await sign_in(client, "zentrum@example.org")
    assert (await client.get("/api/surveys")).json() == []
    assert (await client.get(f"/api/surveys/{draft}")).status_code == 404


async def test_responses_follow_the_export_rules(client, make):
    survey, _nord, _west = await populate(make)
    await make.office_user()
    await sign_in(client, "buero@example.org")
    data = (await client.get(f"/api/surveys/{survey}/responses")).json()
    assert len(data["rows"]) == 10
    assert {r["district"] for r in data["rows"]} == {"unterdrückt"}
    assert "submission_id" not in str(data) and "id" not in data["rows"][0]
    assert data["rows"][0]["answers"]["betreuung"] in ("Kita", "Zu Hause")
