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


def test_a_word_written_after_numbers_measures_and_does_not_name():
    answers = [
        "Die Kita schließt um 14 Uhr, viel zu früh für Berufstätige.",
        "Bis 17 Uhr bräuchten wir die Öffnungszeiten, nicht nur bis 15 Uhr.",
        "Um 16 Uhr ist Schluss, das schafft kein Schichtdienst.",
        "Öffnungszeiten ab 7 Uhr wären gut.",
        "Flexiblere Öffnungszeiten am Morgen, vor 8 Uhr.",
        "Abholen bis 18 Uhr muss möglich sein.",
    ]
    assert phrase_name(answers, PLAYGROUND) == "Öffnungszeiten"  # not "Uhr", though every answer writes it


def test_a_word_spread_over_compounds_names_the_theme():
    # "Gebühren" stands alone in fewer answers than "Anfang", but inside a compound in all the others.
    answers = [
        "Die Kitagebühren sind zu hoch, ein Anfang wäre eine Ermäßigung.",
        "Gebührenfreie Krippe wäre ein Anfang, die Gebühren sind zu hoch.",
        "Die Gebührenerhöhung trifft uns hart.",
        "Kitagebühren nach Einkommen staffeln, das wäre ein Anfang.",
        "Gebühren für Geschwister senken.",
        "Die Essensgebühren steigen jedes Jahr, wenigstens ein Anfang bei der Ermäßigung.",
    ]
    name = phrase_name(answers, PLAYGROUND + OPENING_HOURS)
    assert "gebühr" in name.lower(), name


def test_zum_beispiel_frames_and_does_not_name():
    answers = [
        "Mehr Angebote für Väter, zum Beispiel Werken oder Kochen.",
        "Für Papas etwas am Samstag, zum Beispiel Werken oder Kochen.",
        "Zum Beispiel Werken oder Kochen mit den Kindern.",
        "Angebote am Wochenende, zum Beispiel Fußball.",
    ]
    assert phrase_name(answers, PLAYGROUND + OPENING_HOURS) == "Werken oder Kochen"


def test_an_dieser_stelle_frames_and_does_not_name():
    """Feedback about places says "an dieser Stelle" in nearly every answer; the place's problem names the theme."""
    answers = [
        "An dieser Stelle fehlt ein Zebrastreifen, die Kinder kommen nicht über die Straße.",
        "Ein Zebrastreifen an der Stelle vor der Schule wäre gut.",
        "An der Stelle beim Bäcker ist kein Zebrastreifen, das ist gefährlich.",
        "Vor dem Kindergarten rasen die Autos an dieser Stelle, ein Zebrastreifen muss her.",
        "An dieser Stelle ist es zu unübersichtlich, die Kinder kommen kaum über die Straße.",
    ]
    assert phrase_name(answers, PLAYGROUND + OPENING_HOURS) == "Zebrastreifen"
