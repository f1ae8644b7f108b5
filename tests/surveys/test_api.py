"""The surveys' JSON API: documented in OpenAPI, guarded, and with the same privacy rules as the pages."""

from __future__ import annotations

from tests.factories import sign_in

API_PATHS = ["/api/surveys", "/api/surveys/{survey_id}", "/api/surveys/{survey_id}/results",
             "/api/surveys/{survey_id}/tables"]


async def populate(make):
    survey = await make.survey()
    nord, west = await make.district("Nord"), await make.district("West")
    for _ in range(7):
        await make.response(survey, nord, {"betreuung": "kita", "zufriedenheit": "4", "anregung": "Gut so"})
    for _ in range(3):
        await make.response(survey, west, {"betreuung": "zuhause", "zufriedenheit": "2"})
    await make.close(survey)
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
                 f"/api/surveys/{survey}/tables"):
        response = await client.get(path)
        assert response.status_code == 401 and response.json()["status_code"] == 401, path


async def test_results_leave_out_the_small_district_and_keep_the_large_one(client, make):
    survey, nord, west = await populate(make)
    await make.office_user()
    await sign_in(client, "buero@example.org")
    data = (await client.get(f"/api/surveys/{survey}/results")).json()
    assert data["total"] == 10
    counts = {d["name"]: d["count"] for d in data["districts"]}
    assert counts == {"Nord": 7, "West": None}  # West (3) has no number of its own
    betreuung = next(q for q in data["questions"] if q["key"] == "betreuung")
    # West's 3 answers are in no figure: 10 − 7 yields nothing about them.
    assert betreuung["respondents"] == 7 and {o["value"]: o["count"] for o in betreuung["options"]} == {
        "kita": 7, "tagespflege": 0, "zuhause": 0}
    small = (await client.get(f"/api/surveys/{survey}/results", params={"district": west})).json()
    assert [q["respondents"] for q in small["questions"] if q["key"] in ("betreuung", "zufriedenheit")] == [None, None]
    assert (await client.get(f"/api/surveys/{survey}/results", params={"district": "x"})).status_code == 400
    assert (await client.get("/api/surveys/999/results")).status_code == 404
    listed = (await client.get("/api/surveys")).json()
    assert listed[0]["responses"] == 10
    assert nord


async def test_centre_staff_get_their_district_only(client, make):
    survey, nord, _west = await populate(make)  # closed; the answers below came in just before it closed
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
    assert (await client.get(f"/api/surveys/{survey}/tables")).status_code == 403
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


async def test_tables_hold_the_pages_figures_and_no_single_response(client, make):
    survey, _nord, _west = await populate(make)
    await make.office_user()
    await sign_in(client, "buero@example.org")
    data = (await client.get(f"/api/surveys/{survey}/tables")).json()
    rows = {(r["question_key"], r["group"], r["measure"]): r["count"] for r in data["rows"]}
    assert rows[("betreuung", "Nord", "Kita")] == 7 and rows[("betreuung", "Nord", "Befragte")] == 7
    assert rows[("", "West", "Antworten")] is None
    assert not any(group == "West" for _key, group, _measure in rows if _key)
    assert "submission_id" not in str(data) and "Gut so" not in str(data)


async def test_open_survey_shows_rounded_counts_and_no_figures(client, make):
    survey = await make.survey()
    nord = await make.district("Nord")
    for _ in range(6):
        await make.response(survey, nord, {"betreuung": "kita", "zufriedenheit": "4"})
    await make.office_user()
    await sign_in(client, "buero@example.org")
    data = (await client.get(f"/api/surveys/{survey}/results")).json()
    assert data["pending"] is True and data["questions"] == [] and data["total"] == 5
    assert (await client.get("/api/surveys")).json()[0]["responses"] == 5
    assert (await client.get(f"/api/surveys/{survey}/tables")).status_code == 409
