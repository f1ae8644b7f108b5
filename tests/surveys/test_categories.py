"""Guided categories: the office keeps a category scheme per round, labels answers, and a classifier sorts the rest."""

from __future__ import annotations

import pytest

from participation.analysis import categories as classifier
from participation.surveys.services import categories
from participation.surveys.services.definition import load_survey
from participation.surveys.tables import Answer, CategoryLabel
from tests.factories import post_form, sign_in, text_of

OPENING_HOURS = [
    "Die Öffnungszeiten der Kita sind zu kurz, wir brauchen Betreuung bis 17 Uhr.",
    "Längere Öffnungszeiten am Nachmittag wären eine große Hilfe für berufstätige Eltern.",
    "Kita schließt um 14 Uhr, das passt nicht zu meiner Arbeitszeit. Bitte längere Öffnungszeiten.",
    "Öffnungszeiten bis 17 Uhr, sonst schaffe ich die Arbeit nicht.",
    "Wir wünschen uns flexiblere Öffnungszeiten in der Kita, auch in den Ferien.",
    "Die Kita macht zu früh zu. Längere Öffnungszeiten bitte!",
]
PLAYGROUND = [
    "Der Spielplatz im Stadtteil ist kaputt und dreckig, bitte reparieren.",
    "Wir brauchen einen sauberen Spielplatz mit Schatten für kleine Kinder.",
    "Auf dem Spielplatz liegen Scherben, das ist gefährlich für die Kinder.",
    "Ein neuer Spielplatz mit Klettergerüst wäre schön.",
    "Der Spielplatz braucht dringend neue Schaukeln und eine Rutsche.",
    "Spielplatz am Park ist in schlechtem Zustand, die Geräte sind kaputt.",
]
QUESTION = [{"key": "wunsch", "kind": "long_text", "text": "Was wünschen Sie sich?"}]


@pytest.fixture
async def answered(make):
    big = await make.district("Eglosheim")
    small = await make.district("Hoheneck")
    survey_id = await make.survey(QUESTION)
    for text in OPENING_HOURS + PLAYGROUND:
        await make.response(survey_id, big, {"wunsch": text})
    secret = "Geheimnis aus Hoheneck: <script>alert(1)</script> Spielplatz"
    await make.response(survey_id, small, {"wunsch": secret})  # one answer: no figure may show it
    await make.close(survey_id)
    await make.office_user()
    survey = await load_survey(survey_id)
    question = survey.questions[0].id
    rows = await Answer.select(Answer.id, Answer.text).where(Answer.question == question).order_by(Answer.id)
    return {"survey": survey, "question": question, "ids": {r["text"]: r["id"] for r in rows}, "secret": secret}


async def _scheme_with(survey, *names) -> dict[str, int]:
    scheme = await categories.open_scheme(survey.round_id)
    return {name: await categories.add_category(scheme.id, name, f"Alles zu {name}") for name in names}


# --- pure classifier -----------------------------------------------------------------------------------------------

def test_uncertainty_proposal_returns_the_least_confident_rows():
    import numpy as np

    probabilities = np.array([[0.9, 0.1], [0.55, 0.45], [0.2, 0.8], [0.5, 0.5], [0.6, 0.4]])
    assert classifier.least_certain(probabilities, exclude=set(), count=2) == [3, 1]
    assert classifier.least_certain(probabilities, exclude={3}, count=3) == [1, 4, 2]


def test_low_confidence_stays_unsorted_and_labels_are_kept():
    texts = OPENING_HOURS + PLAYGROUND + ["Ich habe keine Meinung dazu."]
    labels = {0: "zeit", 1: "zeit", 2: "zeit", 6: "spiel", 7: "spiel", 8: "spiel"}
    strict = classifier.sort_texts(texts, labels, threshold=0.99)
    assert strict.trained
    assert all(strict.predicted[i] == labels[i] and strict.confidence[i] == 1.0 for i in labels)
    assert all(strict.predicted[i] is None for i in range(len(texts)) if i not in labels)  # nobody is that sure
    loose = classifier.sort_texts(texts, labels, threshold=0.5)
    assert [loose.predicted[i] for i in (3, 4, 5)] == ["zeit"] * 3
    assert [loose.predicted[i] for i in (9, 10, 11)] == ["spiel"] * 3


def test_no_model_before_two_categories_have_two_examples():
    result = classifier.sort_texts(OPENING_HOURS + PLAYGROUND, {0: "zeit", 1: "zeit", 6: "spiel"}, propose=4)
    assert not result.trained
    assert len(result.proposals) == 4 and not {0, 1, 6} & set(result.proposals)


TOPICS = {
    "ferien": ["Ferienbetreuung", "Sommerferien", "Schließtage"],
    "essen": ["Mittagessen", "Essensgeld", "Speiseplan"],
    "sprache": ["Sprachkurs", "Deutschkurs", "Dolmetscher"],
    "sport": ["Turnhalle", "Schwimmkurs", "Sportverein"],
    "weg": ["Radweg", "Zebrastreifen", "Schulweg"],
    "geld": ["Elternbeitrag", "Gebühren", "Zuschuss"],
    "beratung": ["Erziehungsberatung", "Beratungsstelle", "Sprechstunde"],
    "digital": ["Elternapp", "Anmeldeportal", "WLAN"],
}
FRAMES = [
    "Wir wünschen uns mehr {0} und bessere {1}.",
    "Das Thema {1} ist wichtig, auch {2} fehlt uns.",
    "Bitte kümmern Sie sich um {2} und um {0}.",
    "{0}: das ist für unsere Familie ein Problem.",
    "Mehr {1} wäre gut, {0} auch.",
    "Es gibt zu wenig {2}.",
]


def test_many_small_categories_are_learned_from_two_labels_each_and_never_claim_certainty():
    texts, truth = [], []
    for topic, words in TOPICS.items():
        for frame in FRAMES:
            texts.append(frame.format(*words))
            truth.append(topic)
    labels = {}
    for topic in TOPICS:
        labels.update({i: topic for i in [i for i, t in enumerate(truth) if t == topic][:2]})
    result = classifier.sort_texts(texts, labels, threshold=0.0)
    assert result.trained
    rest = [i for i in range(len(texts)) if i not in labels]
    right = sum(result.predicted[i] == truth[i] for i in rest)
    assert right >= 0.8 * len(rest), f"{right} of {len(rest)}"
    # sixteen labelled answers cannot make the model sure beyond what sixteen examples can show
    assert max(result.confidence[i] for i in rest) <= (16 + 1) / (16 + len(TOPICS)) + 1e-9
    classes, probabilities = classifier.fit_predict(classifier.vectorise(texts), labels)
    assert all(abs(row.sum() - 1) < 1e-9 for row in probabilities)
    assert [classes[j] for j in probabilities.argmax(axis=1)][:1] == [truth[0]]


def test_a_categorys_description_sorts_answers_that_share_no_word_with_its_labelled_ones():
    """The office describes a category in its own words; answers using those words belong to it, before any
    labelled answer has used them."""
    texts = OPENING_HOURS[:2] + PLAYGROUND[:2] + [
        "Frühdienst und Spätdienst.", "Sandkasten, Wippe.", "Weniger Schließtage.", "Eine Rutsche.", "Die Abholzeit.",
        "Schaukel!",
    ]
    truth = {4: "zeit", 5: "spiel", 6: "zeit", 7: "spiel", 8: "zeit", 9: "spiel"}
    labels = {0: "zeit", 1: "zeit", 2: "spiel", 3: "spiel"}
    descriptions = {"zeit": "Öffnungszeiten. Abholzeit, Schließtage, Frühdienst, Spätdienst",
                    "spiel": "Spielplatz. Rutsche, Sandkasten, Schaukel, Wippe"}
    described = classifier.sort_texts(texts, labels, threshold=0.0, descriptions=descriptions)
    assert {i: described.predicted[i] for i in truth} == truth
    assert described.proposals and max(described.proposals) < len(texts)  # descriptions are never proposed
    assert len(described.predicted) == len(texts)
    blind = classifier.sort_texts(texts, labels, threshold=0.0)
    assert {i: blind.predicted[i] for i in truth} != truth


# --- scheme --------------------------------------------------------------------------------------------------------

async def test_a_new_rounds_scheme_is_a_copy_of_the_previous_one(make):
    autumn = await make.round("autumn", 2026)
    spring = await make.round("spring", 2027)
    old = await categories.open_scheme(autumn)
    await categories.add_category(old.id, "Öffnungszeiten", "Wann die Kita offen hat")
    await categories.add_category(old.id, "Spielplätze")
    new = await categories.open_scheme(spring)
    assert [(c.name, c.description) for c in new.categories] == [
        ("Öffnungszeiten", "Wann die Kita offen hat"), ("Spielplätze", "")]
    assert {c.id for c in new.categories}.isdisjoint({c.id for c in old.categories})
    # editable on its own: a change in the new round leaves the old one alone, and an emptied scheme stays empty
    for category in new.categories:
        await categories.delete_category(new.id, category.id)
    assert (await categories.open_scheme(spring)).categories == []
    assert len((await categories.open_scheme(autumn)).categories) == 2


async def test_category_names_are_required_and_unique(make):
    scheme = await categories.open_scheme(await make.round())
    await categories.add_category(scheme.id, "Kosten")
    with pytest.raises(categories.CategoryError, match="gibt es schon"):
        await categories.add_category(scheme.id, " kosten ")
    with pytest.raises(categories.CategoryError, match="Namen"):
        await categories.add_category(scheme.id, "   ")


# --- labelling and sorting -----------------------------------------------------------------------------------------

async def test_office_labels_answers_and_the_rest_is_sorted_with_confidence(answered):
    survey, question, ids = answered["survey"], answered["question"], answered["ids"]
    cats = await _scheme_with(survey, "Öffnungszeiten", "Spielplatz")
    for text in OPENING_HOURS[:2]:
        await categories.label_answer(survey, question, ids[text], str(cats["Öffnungszeiten"]), user_id=None,
                                      threshold=5)
    for text in PLAYGROUND[:2]:
        await categories.label_answer(survey, question, ids[text], str(cats["Spielplatz"]), user_id=None,
                                      threshold=5)
    await categories.label_answer(survey, question, ids[PLAYGROUND[2]], categories.NONE, user_id=None, threshold=5)
    # labelling again replaces the label
    await categories.label_answer(survey, question, ids[PLAYGROUND[2]], str(cats["Spielplatz"]), user_id=None,
                                  threshold=5)
    assert await CategoryLabel.count() == 5

    view = await categories.sorting(survey, question, confidence=50, threshold=5)
    assert view.trained
    counts = {c.name: (c.labelled, c.sorted) for c in view.counts}
    assert counts["Öffnungszeiten"][0] == 2 and counts["Spielplatz"][0] == 3
    by_text = {a.text: a for a in view.answers}
    for text in OPENING_HOURS[2:]:
        assert by_text[text].category in (str(cats["Öffnungszeiten"]), None)
    assert sum(by_text[t].category == str(cats["Öffnungszeiten"]) for t in OPENING_HOURS[2:]) >= 3
    assert sum(by_text[t].category == str(cats["Spielplatz"]) for t in PLAYGROUND[3:]) >= 2
    # the proposal is the least certain of the unlabelled answers
    unlabelled = [a for a in view.answers if not a.labelled]
    most_unsure = sorted(unlabelled, key=lambda a: a.confidence)[0]
    assert view.proposals and view.proposals[0].confidence <= min(a.confidence for a in unlabelled) + 0.2
    assert most_unsure.id in {p.id for p in view.proposals}
    assert not {p.id for p in view.proposals} & {a.id for a in view.answers if a.labelled}

    strict = await categories.sorting(survey, question, confidence=99, threshold=5)
    assert len(strict.unsorted) == len(unlabelled)  # nothing reaches 99 %: a person decides
    assert sum(c.sorted for c in strict.counts) == 0


async def test_the_sorting_page_learns_from_the_categories_descriptions_and_follows_their_edits(make):
    district = await make.district("Eglosheim")
    survey_id = await make.survey(QUESTION)
    short = {"Frühdienst und Spätdienst.": "zeit", "Sandkasten, Wippe.": "spiel", "Weniger Schließtage.": "zeit",
             "Eine Rutsche.": "spiel", "Die Abholzeit.": "zeit", "Schaukel!": "spiel"}
    for text in OPENING_HOURS[:2] + PLAYGROUND[:2] + list(short):
        await make.response(survey_id, district, {"wunsch": text})
    await make.close(survey_id)
    survey = await load_survey(survey_id)
    question = survey.questions[0].id
    rows = await Answer.select(Answer.id, Answer.text).where(Answer.question == question)
    ids = {r["text"]: r["id"] for r in rows}
    scheme = await categories.open_scheme(survey.round_id)
    key = {
        "zeit": str(await categories.add_category(scheme.id, "Öffnungszeiten",
                                                  "Abholzeit, Schließtage, Frühdienst, Spätdienst")),
        "spiel": str(await categories.add_category(scheme.id, "Spielplatz", "Rutsche, Sandkasten, Schaukel, Wippe")),
    }
    for text, category in [*((t, "zeit") for t in OPENING_HOURS[:2]), *((t, "spiel") for t in PLAYGROUND[:2])]:
        await categories.label_answer(survey, question, ids[text], key[category], user_id=None, threshold=5)

    def guesses(view) -> dict[str, str | None]:
        return {a.text: a.guess for a in view.answers if a.text in short}

    view = await categories.sorting(survey, question, confidence=0, threshold=5)
    assert guesses(view) == {text: key[category] for text, category in short.items()}
    for category_key, name in ((key["zeit"], "Öffnungszeiten"), (key["spiel"], "Spielplatz")):
        await categories.update_category(scheme.id, int(category_key), name, "")
    blind = await categories.sorting(survey, question, confidence=0, threshold=5)
    assert guesses(blind) != guesses(view)  # the page follows the edit, not the features kept from before


async def test_an_answer_no_figure_may_show_is_neither_sorted_nor_counted_nor_labelled(answered):
    survey, question = answered["survey"], answered["question"]
    secret_id = answered["ids"][answered["secret"]]
    cats = await _scheme_with(survey, "Spielplatz", "Öffnungszeiten")
    view = await categories.sorting(survey, question, confidence=60, threshold=5)
    assert secret_id not in {a.id for a in view.answers}
    assert len(view.answers) == len(OPENING_HOURS + PLAYGROUND)
    with pytest.raises(categories.CategoryError):
        await categories.label_answer(survey, question, secret_id, str(cats["Spielplatz"]), user_id=None,
                                      threshold=5)


async def test_a_category_of_another_round_or_an_answer_of_another_question_is_refused(answered, make):
    survey, question, ids = answered["survey"], answered["question"], answered["ids"]
    other = await categories.open_scheme(await make.round("autumn", 2030))
    foreign = await categories.add_category(other.id, "Fremd")
    with pytest.raises(categories.CategoryError, match="Runde"):
        await categories.label_answer(survey, question, ids[OPENING_HOURS[0]], str(foreign), user_id=None,
                                      threshold=5)
    with pytest.raises(categories.CategoryError, match="Antwort"):
        await categories.label_answer(survey, question, 10**9, categories.NONE, user_id=None, threshold=5)


async def test_nothing_is_sorted_while_the_survey_is_open(make):
    district = await make.district("Eglosheim")
    survey_id = await make.survey(QUESTION)
    for text in OPENING_HOURS:
        await make.response(survey_id, district, {"wunsch": text})
    survey = await load_survey(survey_id)
    view = await categories.sorting(survey, survey.questions[0].id, confidence=60, threshold=5)
    assert not view.closed and view.answers == []


# --- pages ---------------------------------------------------------------------------------------------------------

async def test_office_pages_define_label_and_show_sorted_answers(client, answered):
    survey, question, ids = answered["survey"], answered["question"], answered["ids"]
    await sign_in(client, "buero@example.org")
    base = f"/verwaltung/umfragen/{survey.id}/kategorien"
    for name in ("Öffnungszeiten", "Spielplatz"):
        response = await post_form(client, base, {"action": "add", "name": name, "description": ""})
        assert response.status_code == 303
    page = await client.get(base)
    assert "Öffnungszeiten" in text_of(page.text) and "Was wünschen Sie sich?" in text_of(page.text)
    empty = await post_form(client, base, {"action": "add", "name": " "})
    assert empty.status_code == 400 and "Bitte geben Sie einen Namen" in empty.text

    scheme = await categories.open_scheme(survey.round_id)
    keys = {c.name: str(c.id) for c in scheme.categories}
    sorting_url = f"{base}/frage/{question}"
    for text, name in [(OPENING_HOURS[0], "Öffnungszeiten"), (OPENING_HOURS[1], "Öffnungszeiten"),
                       (PLAYGROUND[0], "Spielplatz"), (PLAYGROUND[1], "Spielplatz")]:
        response = await post_form(client, sorting_url, {"answer": str(ids[text]), "category": keys[name]})
        assert response.status_code == 303
    page = await client.get(sorting_url + "?sicherheit=50")
    text = text_of(page.text)
    assert page.status_code == 200
    assert "Als Nächstes einordnen" in text and "Unsortiert" in text
    assert "von Ihnen eingeordnet" in text and "%" in text
    assert answered["secret"] not in page.text and "Hoheneck" not in text
    bad = await client.get(sorting_url + "?sicherheit=abc")
    assert bad.status_code == 400 and "ganze Zahl" in bad.text
    wrong = await post_form(client, sorting_url, {"answer": str(ids[answered["secret"]]), "category": "none"})
    assert wrong.status_code == 400 and "gehört nicht zu dieser Frage" in wrong.text


async def test_free_text_is_escaped_on_the_sorting_page(client, make):
    district = await make.district("Eglosheim")
    survey_id = await make.survey(QUESTION)
    for index in range(6):
        await make.response(survey_id, district, {"wunsch": f"<b>fett {index}</b> Spielplatz"})
    await make.close(survey_id)
    await make.office_user()
    survey = await load_survey(survey_id)
    await _scheme_with(survey, "Spielplatz")
    await sign_in(client, "buero@example.org")
    page = await client.get(f"/verwaltung/umfragen/{survey_id}/kategorien/frage/{survey.questions[0].id}")
    assert "&lt;b&gt;fett" in page.text and "<b>fett" not in page.text
