"""Theme names are phrases parents wrote, in their spelling, shaped like a German noun phrase."""

from __future__ import annotations

from participation.analysis.naming import phrase_name, phrase_names
from tests.surveys.test_themes import OPENING_HOURS, PLAYGROUND


def test_a_recurring_phrase_names_the_theme_not_a_keyword_list():
    assert phrase_name(OPENING_HOURS, PLAYGROUND) == "Längere Öffnungszeiten"
    assert phrase_name(PLAYGROUND, OPENING_HOURS) == "Spielplatz"


def test_a_phrase_with_a_preposition_keeps_the_parents_spelling():
    answers = [
        "Kinderbetreuung während des Kurses fehlt uns.",
        "Ohne Kinderbetreuung während des Kurses kann ich nicht hingehen.",
        "Deutschkurs nur mit Kinderbetreuung während des Kurses möglich.",
        "Bitte Kinderbetreuung anbieten.",
    ]
    assert phrase_name(answers, PLAYGROUND) == "Kinderbetreuung während des Kurses"


def test_a_verb_never_ends_up_in_the_name():
    answers = [
        "Die Ferienbetreuung muss fairer werden.",
        "Ferienbetreuung muss fairer verteilt werden.",
        "Ferienbetreuung muss fairer sein, die Anmeldung ist Glück.",
        "Die Ferienbetreuung muss fairer vergeben werden.",
    ]
    assert phrase_name(answers, PLAYGROUND) == "Ferienbetreuung"


def test_without_a_shared_word_there_is_no_name():
    assert phrase_name([]) == ""
    assert phrase_name(["Danke!", "Ok", "Weiter so", "Gut"], PLAYGROUND) == ""


def test_two_themes_never_get_the_same_name():
    nouns = "Apfel Birne Dose Eimer Feder Gabel Hose Igel Jacke Kamm Lampe Mond".split()
    larger = [f"Öffnungszeiten! {noun}." for noun in nouns[:8]]
    smaller = [f"Öffnungszeiten! {noun}." for noun in nouns[8:]] + ["Öffnungszeiten! Frühdienst."] * 2
    assert phrase_name(smaller, larger + PLAYGROUND) == "Öffnungszeiten"  # alone, it would take the same name
    assert phrase_names([larger, smaller, PLAYGROUND]) == ["Öffnungszeiten", "Frühdienst", "Spielplatz"]
