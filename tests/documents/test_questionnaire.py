"""The paper questionnaire: numbered questions with boxes and lines, filter instructions, district and centre choice,
closing date and a QR code to the online form, in every parents' language (Arabic right to left)."""

from __future__ import annotations

from datetime import UTC, datetime

import jinja2
import pytest
import segno

from participation.documents.questionnaire import qr_data_uri, questionnaire_html, questionnaire_pdf
from participation.i18n import gettext, ngettext, pgettext
from participation.settings import PACKAGE_ROOT
from participation.surveys.schemas import OptionDef, QuestionDef, QuestionKind, SectionDef, SurveyDef
from participation.surveys.services.definition import question_numbers
from participation.surveys.services.paper import in_language, paper_form, skip_target
from tests.documents.conftest import TEMPLATES_DIR
from tests.documents.helpers import pdf_text, read_pdf

FORM_URL = "https://familiendialog.example.org/umfrage/7?lang=de"
DISTRICTS = ["Eglosheim", "Grünbühl", "Oßweil", "Weststadt"]
CENTRES = ["KiFaZ Eglosheim", "KiFaZ Grünbühl"]


def flat(text: str) -> str:
    return " ".join(text.split())


def _question(qid: int, section: int, position: int, key: str, kind: QuestionKind, de: str, ar: str = "", *,
              options: list[tuple[str, str, str]] = (), condition: tuple[str, str] | None = None,
              **extra) -> QuestionDef:
    texts = {"de": {"text": de, **extra.pop("de_texts", {})}}
    if ar:
        texts["ar"] = {"text": ar}
    return QuestionDef(
        id=qid, section_id=section, key=key, kind=kind, required=extra.pop("required", False), position=position,
        min_value=extra.pop("min_value", None), max_value=extra.pop("max_value", None),
        allow_other=extra.pop("allow_other", False), condition_key=condition[0] if condition else None,
        condition_value=condition[1] if condition else None, texts=texts,
        options=[OptionDef(id=qid * 10 + i, value=v, position=i, texts={"de": de_label, "ar": ar_label})
                 for i, (v, de_label, ar_label) in enumerate(options)],
        whole_number=extra.pop("whole_number", False),
    )


def survey() -> SurveyDef:
    """Two sections; ids deliberately not in form order (numbers follow positions, not ids)."""
    k = QuestionKind
    first = SectionDef(id=1, position=0, topic_id=None, texts={"de": {"title": "Vereinbarkeit",
                                                                        "parents_title": "Familie und Beruf"}})
    second = SectionDef(id=2, position=1, topic_id=None, texts={"de": {"title": "Angebote"}})
    first.questions = [
        _question(30, 1, 0, "berufstaetig", k.YESNO, "Sind Sie zurzeit berufstätig?", "هل تعملون حاليًا؟",
                  required=True),
        _question(12, 1, 1, "arbeitsstunden", k.NUMBER, "Wie viele Stunden arbeiten Sie pro Woche?",
                  "كم ساعة تعملون في الأسبوع؟", condition=("berufstaetig", "yes"), min_value=0, max_value=60),
        _question(11, 1, 2, "vereinbarkeit", k.SCALE, "Wie gut gelingt die Vereinbarkeit?",
                  condition=("berufstaetig", "yes"), de_texts={"low": "sehr schlecht", "high": "sehr gut"}),
        _question(5, 1, 3, "betreuung", k.SINGLE, "Wie wird Ihr Kind betreut?", "كيف تتم رعاية طفلكم؟",
                  options=[("kita", "Kita", "روضة"), ("zuhause", "Zu Hause", "في المنزل")]),
    ]
    second.questions = [
        _question(4, 2, 0, "angebote", k.MULTIPLE, "Welche Angebote nutzen Sie?",
                  options=[("cafe", "Elterncafé", "مقهى الآباء"), ("beratung", "Beratung", "استشارة")],
                  allow_other=True),
        _question(3, 2, 1, "wuensche", k.LONG_TEXT, "Was wünschen Sie sich?", "ماذا تتمنون؟"),
        _question(2, 2, 2, "zufrieden", k.SCALE, "Wie zufrieden sind Sie?"),
        _question(1, 2, 3, "warum", k.SHORT_TEXT, "Warum nicht zufrieden?", condition=("zufrieden", "1")),
    ]
    return SurveyDef(
        id=7, round_id=1, round_title="Frühjahr 2027", session_date=None, session_venue="",
        texts={"de": {"title": "Familienumfrage 2027", "intro": "Ihre Meinung zählt."},
               "ar": {"title": "استبيان الأسر 2027", "intro": ""}},
        published=True, opens_at=datetime(2027, 3, 1, tzinfo=UTC), closes_at=datetime(2027, 3, 31, 12, tzinfo=UTC),
        uses_codes=False, sections=[first, second],
    )


@pytest.fixture(scope="module")
def env() -> jinja2.Environment:
    from participation.documents.pdf import pdf_environment

    return pdf_environment(TEMPLATES_DIR, gettext=gettext, ngettext=ngettext, pgettext=pgettext)


def form(language: str = "de", **kwargs):
    return in_language(language, lambda: paper_form(
        survey(), language, districts=DISTRICTS, centres=CENTRES, site_title="Familiendialog Musterstadt",
        form_url=FORM_URL, privacy=["Wir speichern Ihre Antworten."], privacy_url="https://x.example/datenschutz",
        **kwargs))


def render(env, language: str = "de", **kwargs) -> bytes:
    paper = form(language, **kwargs)
    return in_language(language, lambda: questionnaire_pdf(
        paper, env=env, page_label=gettext("Seite {page} von {pages}"), static_root=PACKAGE_ROOT / "static"))


def test_questions_are_numbered_one_to_n_in_form_order_across_sections() -> None:
    numbers = question_numbers(survey())
    in_form_order = [q.id for section in survey().sections for q in section.questions]
    assert [numbers[qid] for qid in in_form_order] == list(range(1, 9))


def test_the_pdf_prints_every_question_with_its_number_in_order(env) -> None:
    text = flat(pdf_text(render(env)))
    positions = []
    for number, question in enumerate([q for s in survey().sections for q in s.questions], start=1):
        printed = f"{number} {question.text('de')}"
        assert printed in text, printed
        positions.append(text.index(printed))
    assert positions == sorted(positions)
    assert "Familie und Beruf" in text and "Angebote" in text  # the parents' section headings
    assert "(Pflichtfeld)" in text.split("1 Sind Sie zurzeit berufstätig?")[1][:20]
    assert "Mehrfachnennung möglich" in text and "Sonstiges, und zwar:" in text
    assert "sehr schlecht 1 2 3 4 5 sehr gut" in text
    assert "Eine Zahl von 0 bis 60" in text


def test_filter_instructions_follow_the_conditions(env) -> None:
    text = flat(pdf_text(render(env)))
    # After the question the follow-ups depend on: "Nein" skips both follow-ups (2 and 3).
    assert "Ja Nein → weiter mit Frage 4" in text
    # Before each follow-up: when to answer it.
    assert text.count("Nur beantworten, wenn Sie bei Frage 1 „Ja“ angekreuzt haben.") == 2
    assert "Nur beantworten, wenn Sie bei Frage 7 „1“ angekreuzt haben." in text
    # A scale whose only follow-up is the last question: every other answer ends the form.
    assert "Wenn 2, 3, 4, 5: weiter am Ende des Fragebogens" in text


def test_skips_pass_over_follow_ups_of_skipped_questions() -> None:
    k = QuestionKind
    questions = [
        _question(1, 1, 0, "kinder", k.YESNO, "Kinder?"),
        _question(2, 1, 1, "alter", k.SINGLE, "Alter?", options=[("klein", "klein", ""), ("gross", "groß", "")],
                  condition=("kinder", "yes")),
        _question(3, 1, 2, "krippe", k.YESNO, "Krippe?", condition=("alter", "klein")),
        _question(4, 1, 3, "schule", k.YESNO, "Schule?", condition=("alter", "gross")),
        _question(5, 1, 4, "ende", k.SHORT_TEXT, "Sonst noch?"),
    ]
    numbers = {q.id: q.id for q in questions}
    assert skip_target(questions, 0, "yes", numbers) is None
    assert skip_target(questions, 0, "no", numbers) == 5  # 3 and 4 depend on the skipped 2
    assert skip_target(questions, 1, "klein", numbers) is None
    assert skip_target(questions, 1, "gross", numbers) == 4
    assert skip_target(questions, 3, "no", numbers) is None


def test_districts_centres_closing_date_and_hand_in_are_printed(env) -> None:
    text = flat(pdf_text(render(env, hand_in="Bitte im KiFaZ Grünbühl abgeben.")))
    assert "In welchem Stadtteil wohnen Sie? (Pflichtfeld)" in text
    for name in DISTRICTS + CENTRES:
        assert name in text
    assert "Sie können bis 31. März 2027 antworten." in text
    assert "Bitte im KiFaZ Grünbühl abgeben." in text
    assert "Familiendialog Musterstadt" in text and "Seite 1 von 2" in text


def test_the_qr_code_is_the_online_forms_address_and_the_address_is_printed(env) -> None:
    html = questionnaire_html(form(), env=env)
    assert f'src="{qr_data_uri(FORM_URL)}"' in html
    assert qr_data_uri(FORM_URL) == segno.make(FORM_URL, error="m", micro=False).svg_data_uri(scale=1, border=4)
    assert qr_data_uri(FORM_URL) != qr_data_uri(FORM_URL.replace("7", "8"))
    text = flat(pdf_text(render(env))).replace("\u200b", "").replace(" ", "")
    assert "familiendialog.example.org/umfrage/7?lang=de" in text
    # The QR code is drawn in the PDF (an image XObject or vector paths), not fetched.
    assert len(read_pdf(render(env)).pages) == 2


def test_arabic_is_right_to_left_with_german_where_a_text_is_untranslated(env) -> None:
    html = questionnaire_html(form("ar"), env=env)
    assert '<html lang="ar" dir="rtl">' in html
    text = pdf_text(render(env, "ar"))
    assert "هل تعملون حاليًا؟" in text  # a translated question
    assert "Wie zufrieden sind Sie" in text  # untranslated: German, as online
    assert "نعم" in text and "لا" in text  # yes/no in Arabic
    assert "في أي حي تسكن؟" in text  # the district question from the catalogue


def test_rendering_fetches_nothing_from_the_network(env, network_calls) -> None:
    render(env, "de")
    render(env, "ar")
    assert network_calls == []


def test_survey_texts_are_escaped(env) -> None:
    paper = form()
    hostile = type(paper)(**{**{name: getattr(paper, name) for name in paper.__slots__},
                             "survey_title": "<img src=https://evil.example/x>", "districts": ["<b>Ost</b>"]})
    html = questionnaire_html(hostile, env=env)
    assert "<img src=https://evil.example/x>" not in html and "&lt;b&gt;Ost&lt;/b&gt;" in html
