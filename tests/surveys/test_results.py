"""Results pages: figures, charts, privacy suppression, the district filter and centre staff's district view."""

from __future__ import annotations

from participation.surveys.services.results import survey_results
from tests.factories import post_form, sign_in, text_of


async def populate(make, sizes: dict[str, int], answers: dict | None = None) -> tuple[int, dict[str, int]]:
    """A survey with `sizes[name]` responses from each named district, all with the same answers."""
    survey = await make.survey()
    ids = {}
    for name, n in sizes.items():
        ids[name] = await make.district(name)
        for _ in range(n):
            await make.response(survey, ids[name], answers or {"betreuung": "kita", "zufriedenheit": "4"})
    await make.close(survey)
    return survey, ids


async def as_office(client, make) -> None:
    await make.office_user()
    await sign_in(client, "buero@example.org")


async def test_office_sees_counts_percentages_means_and_a_chart_with_its_data_table(client, make):
    survey = await make.survey()
    nord = await make.district("Nord")
    for i in range(12):
        await make.response(survey, nord, {
            "betreuung": "kita" if i < 6 else "tagespflege", "zufriedenheit": "4" if i < 6 else "5",
            "wuensche": ["sprachkurs", "elterncafe"] if i < 9 else ["sprachkurs"],
            "berufstaetig": "yes", "stunden": str(20 + i),
        })
    await make.close(survey)
    await as_office(client, make)
    response = await client.get(f"/verwaltung/umfragen/{survey}/ergebnisse")
    assert response.status_code == 200, response.text
    text = text_of(response.text)
    assert "Antworten insgesamt: 12" in text
    assert "Kita 6 50 % Tagespflege 6 50 % Zu Hause 0 0 %" in text
    assert "Mittelwert (1–5): 4,5" in text
    # multiple choice: percentages of respondents, so they add up to more than 100 %
    assert "Sprachkurs 12 100 % Elterncafé 9 75 %" in text
    # number question: mean and median; minimum and maximum would be single people's values
    assert "Mittelwert 25,5 Median 25,5" in text
    assert "Kleinster Wert" not in text and "31,0" not in text
    assert 'id="chart-betreuung"' in response.text and 'role="img"' in response.text
    assert "<caption>Antworten: Wie wird Ihr Kind betreut?" in response.text


async def test_a_district_with_three_responses_is_left_out_and_no_large_district_is_hidden(client, make):
    survey, _ids = await populate(make, {"Nord": 9, "Süd": 6, "West": 3})
    await as_office(client, make)
    text = text_of((await client.get(f"/verwaltung/umfragen/{survey}/ergebnisse")).text)
    assert "Antworten insgesamt: 18" in text
    # Süd keeps its results; West's 3 answers are in no figure, so subtracting cannot reveal them.
    assert "Nord 9" in text and "Süd 6" in text and "West weniger als 5" in text
    assert "Kita 15 100 %" in text
    assert "Ohne 3 Antworten aus Stadtteilen, die zu wenige Antworten für eine eigene Zahl haben." in text


async def test_cross_tab_shows_districts_and_the_small_ones_combined(client, make):
    survey, _ids = await populate(make, {"Nord": 9, "Ost": 7, "West": 3, "Süd": 2})
    await as_office(client, make)
    response = await client.get(f"/verwaltung/umfragen/{survey}/ergebnisse")
    text = text_of(response.text)
    # One row per district (ten districts fit the page at 1280 px), one column per answer; long words in the
    # narrow column headings may be divided at syllables (soft hyphens).
    assert '<th scope="col">Tages\u00adpflege</th>' in response.text
    text = text.replace("\u00ad", "")
    assert "Nach Stadtteil: Wie wird Ihr Kind betreut? Stadtteil Kita Tagespflege Zu Hause Befragte " \
           "Nord 9 (100 %) 0 (0 %) 0 (0 %) 9 Ost 7 (100 %) 0 (0 %) 0 (0 %) 7 " \
           "weitere Stadtteile: Süd, West 5 (100 %) 0 (0 %) 0 (0 %) 5" in text
    assert "weitere Stadtteile: Süd, West 5" in text


async def test_the_results_page_opens_with_an_index_linking_every_section_and_question(client, make):
    survey, _ids = await populate(make, {"Nord": 9})
    await as_office(client, make)
    html = (await client.get(f"/verwaltung/umfragen/{survey}/ergebnisse")).text
    index = html.split('<nav aria-labelledby="index-heading"')[1].split("</nav>")[0]
    assert index.index("Inhalt") < index.index('href="#responses-heading"')
    for key, text in (("betreuung", "Wie wird Ihr Kind betreut?"), ("zufriedenheit", "Wie zufrieden sind Sie mit"),
                      ("anregung", "Was möchten Sie dem Bürgermeister sagen?")):
        assert f'<a href="#q-{key}">{text}' in index
        assert f'<h3 id="q-{key}">' in html  # the link's target
    assert html.index("index-heading") < html.index('id="responses-heading"')


async def test_sonstiges_texts_are_counted_and_the_same_words_grouped(client, make):
    survey = await make.survey()
    nord = await make.district("Nord")
    others = ["Schwimmkurs", "schwimmkurs ", "Schwimmkurs.", "Babymassage", "Babymassage", "<b>Töpfern</b>"]
    for i in range(8):
        answers = {"betreuung": "kita", "zufriedenheit": "4", "wuensche": ["sprachkurs"]}
        if i < len(others):
            answers = {**answers, "wuensche": ["sprachkurs", "other"], "wuensche_other": others[i]}
        await make.response(survey, nord, answers)
    await make.close(survey)
    await as_office(client, make)
    html = (await client.get(f"/verwaltung/umfragen/{survey}/ergebnisse")).text
    text = text_of(html)
    assert "6 Angaben, 3 verschiedene" in text
    assert "Schwimmkurs (3-mal) Babymassage (2-mal) &lt;b&gt;Töpfern&lt;/b&gt;" in text
    assert "<b>Töpfern</b>" not in html


async def test_district_filter_shows_that_districts_column_only(client, make):
    survey, ids = await populate(make, {"Nord": 9, "Ost": 7, "West": 2, "Süd": 1})
    await as_office(client, make)
    response = await client.get(f"/verwaltung/umfragen/{survey}/ergebnisse?district={ids['Ost']}")
    assert response.status_code == 200
    text = text_of(response.text)
    assert "Ergebnisse: Familienumfrage – Ost" in text
    assert "Antworten insgesamt: 7" in text and "Kita 7 100 %" in text
    assert '<label for="district">Stadtteil</label>' in response.text


async def test_a_small_district_sees_the_figures_of_its_combined_group(client, make):
    survey, ids = await populate(make, {"Nord": 9, "West": 3, "Süd": 3})
    await as_office(client, make)
    text = text_of((await client.get(f"/verwaltung/umfragen/{survey}/ergebnisse?district={ids['West']}")).text)
    assert "gezeigt wird die Gruppe „weitere Stadtteile: Süd, West“" in text
    assert "Kita 6 100 %" in text


async def test_filtering_a_district_left_out_shows_a_clear_message_instead_of_figures(client, make):
    survey, ids = await populate(make, {"Nord": 9, "West": 3})
    await as_office(client, make)
    text = text_of((await client.get(f"/verwaltung/umfragen/{survey}/ergebnisse?district={ids['West']}")).text)
    assert "zu wenige Personen haben sie beantwortet, auch zusammen mit anderen kleinen Gruppen" in text
    assert "Kita" not in text.split("Ergebnisse je Frage")[1]


async def test_too_few_responses_overall_show_nothing(client, make):
    survey, _ids = await populate(make, {"Nord": 4})
    await as_office(client, make)
    text = text_of((await client.get(f"/verwaltung/umfragen/{survey}/ergebnisse")).text)
    assert "Ergebnisse werden erst ab 5 Antworten gezeigt" in text
    assert "Nord 4" not in text


async def test_centres_with_few_responses_are_combined_within_their_district(client, make):
    survey = await make.survey()
    nord = await make.district("Nord")
    big = await make.centre("Zentrum Groß", district=nord)
    small = await make.centre("Zentrum Klein", district=nord)
    for _ in range(8):
        await make.response(survey, nord, {"betreuung": "kita", "zufriedenheit": "4"}, centre=big)
    for _ in range(2):
        await make.response(survey, nord, {"betreuung": "kita", "zufriedenheit": "4"}, centre=small)
    for _ in range(6):
        await make.response(survey, nord, {"betreuung": "kita", "zufriedenheit": "4"})
    await make.close(survey)
    await as_office(client, make)
    text = text_of((await client.get(f"/verwaltung/umfragen/{survey}/ergebnisse")).text)
    assert "Nord Zentrum Groß 8" in text
    # The small centre (2) with the 6 who named none: the smaller part joins, so no remainder below 5 is left.
    assert "Nord Nord: Zentrum Klein, ohne Angabe eines Zentrums 8" in text
    assert "Zentrum Klein 2" not in text


async def test_invalid_or_unknown_district_is_a_400_page_and_unknown_survey_a_404(client, make):
    survey, _ids = await populate(make, {"Nord": 6})
    await as_office(client, make)
    bad = await client.get(f"/verwaltung/umfragen/{survey}/ergebnisse?district=abc")
    assert bad.status_code == 400 and "Stadtteil" in text_of(bad.text)
    unknown = await client.get(f"/verwaltung/umfragen/{survey}/ergebnisse?district=9999")
    assert unknown.status_code == 400 and "Diesen Stadtteil gibt es nicht" in unknown.text
    assert (await client.get(f"/verwaltung/umfragen/{survey}/ergebnisse?district=")).status_code == 200
    assert (await client.get("/verwaltung/umfragen/9999/ergebnisse")).status_code == 404


async def test_centre_staff_see_only_their_own_district(client, make):
    survey, ids = await populate(make, {"Nord": 9, "Ost": 7, "West": 2, "Süd": 1})
    centre = await make.centre("Zentrum Ost", district=ids["Ost"])
    await make.centre_user(centre=centre)
    await sign_in(client, "zentrum@example.org")
    response = await client.get(f"/zentrum/umfragen/{survey}/ergebnisse?district={ids['Nord']}")
    assert response.status_code == 200
    text = text_of(response.text)
    assert "Familienumfrage – Ost" in text and "Antworten insgesamt: 7" in text
    assert "Nord" not in text.split("Antworten nach Stadtteil")[1]
    own = text_of((await client.get(f"/zentrum/umfragen/{survey}/ergebnisse?ansicht=zentrum")).text)
    assert "Familienumfrage – Zentrum Ost" in own
    assert "Diese Frage hat noch niemand beantwortet." in own  # nobody named the centre
    for url in (f"/verwaltung/umfragen/{survey}/ergebnisse", f"/verwaltung/umfragen/{survey}/freitext",
                f"/verwaltung/umfragen/{survey}/export.csv", f"/verwaltung/umfragen/{survey}/export.xlsx"):
        assert (await client.get(url)).status_code == 403, url
    assert (await post_form(client, f"/verwaltung/umfragen/{survey}/freitext/1/ausblenden")).status_code == 403


async def test_the_district_view_never_shows_a_cell_the_cross_tab_hides(make):
    survey = await make.survey()
    nord, ost = await make.district("Nord"), await make.district("Ost")
    for district, choices in ((nord, ["kita"] * 8 + ["zuhause"] * 2), (ost, ["kita"] * 6 + ["tagespflege"] * 6)):
        for choice in choices:
            await make.response(survey, district, {"betreuung": choice, "zufriedenheit": "3"})
    await make.close(survey)
    overall = await survey_results(survey, threshold=5)
    crosstab = next(q for q in overall.questions if q.key == "betreuung").crosstab
    for column_index, column in enumerate(crosstab.columns):
        view = await survey_results(survey, district_id=column.district_id, threshold=5)
        options = next(q for q in view.questions if q.key == "betreuung").options
        assert [o.count for o in options] == [row.counts[column_index] for row in crosstab.rows]
