"""The paper questionnaire: numbered questions with boxes and lines, filter instructions, district and centre choice,
closing date and a QR code to the online form, in every parents' language (Arabic right to left)."""

from __future__ import annotations

from datetime import UTC, datetime

import jinja2
import pytest
import segno

from participation.documents.questionnaire import qr_data_uri, questionnaire_html, questionnaire_pdf
from participation.i18n import gettext, ngettext, pgettext
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
              options: list[tuple[str, str, str]] = (), condition: tuple[str, str] | None = None, **extra) -> QuestionDef:
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
    return in_language(language, lambda: questionnaire_pdf(paper, env=env, page_label=gettext("Seite {page} von {pages}")))
