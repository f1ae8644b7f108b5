"""Trends: a question with the same key over two rounds, per district, with small district-round points hidden."""

from __future__ import annotations

from participation.offerings.services import trends
from tests.factories import sign_in, text_of

QUESTIONS = [
    {"key": "zufriedenheit", "kind": "scale", "text": "Wie zufrieden sind Sie mit der Betreuung?",
     "low_label": "gar nicht", "high_label": "sehr", "required": True},
    {"key": "berufstaetig", "kind": "yesno", "text": "Sind Sie berufstätig?", "required": True},
]


async def _two_rounds(make):
    a = await make.district("Eglosheim")
    b = await make.district("Oßweil")
    c = await make.district("Hoheneck")
    spring = await make.survey(QUESTIONS, round_id=await make.round("spring", 2027))
    autumn = await make.survey(QUESTIONS, round_id=await make.round("autumn", 2027))
    # Spring: A 10 × 4, B 6 × 2, C 6 × 3. Autumn: A 7 × 5, B only 2 answers (left out of every figure, so C keeps
    # its own point: subtracting cannot give B).
    for survey, district, value, n in ((spring, a, "4", 10), (spring, b, "2", 6), (spring, c, "3", 6),
                                       (autumn, a, "5", 7), (autumn, b, "1", 2), (autumn, c, "3", 6)):
        for i in range(n):
            await make.response(survey, district, {"zufriedenheit": value, "berufstaetig": "yes" if i % 2 else "no"})
    await make.close(spring)
    await make.close(autumn)
    return a, b, c


async def test_scale_trend_per_district_over_two_rounds_with_small_points_suppressed(make):
    await _two_rounds(make)
    keys = {k.key: k for k in await trends.trend_keys()}
    assert set(keys) == {"zufriedenheit", "berufstaetig"} and keys["zufriedenheit"].rounds == 2
    trend = await trends.district_trend("zufriedenheit", threshold=5)
    assert [title for _id, title in trend.rounds] == ["Frühjahr 2027", "Herbst 2027"]
    assert [p.value for p in trend.series["Eglosheim"]] == [4.0, 5.0]
    spring_c, autumn_c = trend.series["Hoheneck"]
    assert spring_c.value == 3.0 and autumn_c.value == 3.0
    spring_b, autumn_b = trend.series["Oßweil"]
    assert spring_b.value == 2.0
    assert autumn_b.value is None and autumn_b.suppressed
    assert "<svg" in trends.trend_chart(trend)


async def test_yes_no_trend_is_the_share_of_yes(make):
    await _two_rounds(make)
    trend = await trends.district_trend("berufstaetig", threshold=5)
    spring_a, autumn_a = trend.series["Eglosheim"]
    assert spring_a.value == 50.0  # 5 of 10
    assert autumn_a.value == 42.9  # 3 of 7: a share within a group of 7 who answered
    assert "Ja" in trend.measure


async def test_one_district_only(make):
    a, _b, _c = await _two_rounds(make)
    trend = await trends.district_trend("zufriedenheit", threshold=5, district_id=a)
    assert list(trend.series) == ["Eglosheim"]


async def test_office_trend_page_shows_chart_and_table(client, make):
    await _two_rounds(make)
    await make.office_user()
    await sign_in(client, "buero@example.org")
    page = await client.get("/verwaltung/trends?frage=zufriedenheit")
    assert page.status_code == 200
    text = text_of(page.text)
    assert "<svg" in page.text and "Frühjahr 2027" in text and "unterdrückt" in text
    assert (await client.get("/verwaltung/trends?frage=gibtsnicht")).status_code == 400


async def test_centre_dashboard_shows_its_districts_trend(client, make):
    a, _b, _c = await _two_rounds(make)
    centre = await make.centre("Kinder- und Familienzentrum Eglosheim", district=a)
    await make.centre_user(centre=centre)
    await sign_in(client, "zentrum@example.org")
    page = await client.get("/zentrum")
    assert page.status_code == 200
    text = text_of(page.text)
    assert "Entwicklung über die Runden" in text and "Wie zufrieden sind Sie mit der Betreuung?" in text
    assert "Oßweil" not in text.split("Entwicklung über die Runden", 1)[1]


async def test_centre_dashboard_defaults_to_the_last_round_with_results_and_looks_back(client, make):
    a, _b, _c = await _two_rounds(make)
    open_round = await make.round("spring", 2028)
    await make.survey(QUESTIONS, round_id=open_round)  # open: no results per group yet
    centre = await make.centre("Kinder- und Familienzentrum Eglosheim", district=a)
    await make.centre_user(centre=centre)
    await sign_in(client, "zentrum@example.org")
    page = await client.get("/zentrum")
    assert page.status_code == 200
    text = text_of(page.text)
    assert "Familiendialog Herbst 2027, Umfrage" in text
    selector = page.text[page.text.index('<select id="runde"'):page.text.index("</select>")]
    assert "Herbst 2027" in selector and "Frühjahr 2027" in selector and "Frühjahr 2028" not in selector
    from participation.dialogues.tables import Round

    spring = await Round.select(Round.id).where((Round.year == 2027) & (Round.season == "spring")).first()
    back = await client.get(f"/zentrum?runde={spring['id']}")
    assert back.status_code == 200
    assert "Familiendialog Frühjahr 2027, Umfrage" in text_of(back.text)
    assert f'href="/zentrum/zusammenfassung.pdf?runde={spring["id"]}"' in back.text
    refused = await client.get(f"/zentrum?runde={open_round}")
    assert refused.status_code == 400 and "Für diese Runde gibt es noch keine Ergebnisse." in refused.text
    assert (await client.get("/zentrum?runde=abc")).status_code == 400


async def test_centre_dashboard_draws_no_trend_from_a_single_round(client, make):
    a = await make.district("Eglosheim")
    survey = await make.survey(QUESTIONS, round_id=await make.round("spring", 2027))
    await make.survey(QUESTIONS, round_id=await make.round("autumn", 2027))  # asked again, still open
    for i in range(6):
        await make.response(survey, a, {"zufriedenheit": "4", "berufstaetig": "yes" if i % 2 else "no"})
    await make.close(survey)
    centre = await make.centre("Kinder- und Familienzentrum Eglosheim", district=a)
    await make.centre_user(centre=centre)
    await sign_in(client, "zentrum@example.org")
    page = await client.get("/zentrum")
    trend_part = text_of(page.text).split("Entwicklung über die Runden", 1)[1]
    assert "<svg" not in page.text
    assert "sobald eine Frage in mindestens zwei Runden mit Ergebnissen gestellt wurde" in trend_part
