"""Data objects of surveys: the loaded definition of a survey, question kinds, and status."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime

from participation.i18n import lazy_gettext as _l


class QuestionKind(enum.StrEnum):
    SINGLE = "single"
    MULTIPLE = "multiple"
    SCALE = "scale"
    YESNO = "yesno"
    NUMBER = "number"
    SHORT_TEXT = "short_text"
    LONG_TEXT = "long_text"

    @property
    def has_options(self) -> bool:
        return self in (QuestionKind.SINGLE, QuestionKind.MULTIPLE)

    @property
    def is_text(self) -> bool:
        return self in (QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT)


KIND_LABELS = {
    QuestionKind.SINGLE: _l("Einfachauswahl"),
    QuestionKind.MULTIPLE: _l("Mehrfachauswahl"),
    QuestionKind.SCALE: _l("Skala 1–5"),
    QuestionKind.YESNO: _l("Ja/Nein"),
    QuestionKind.NUMBER: _l("Zahl"),
    QuestionKind.SHORT_TEXT: _l("Kurzer Freitext"),
    QuestionKind.LONG_TEXT: _l("Langer Freitext"),
}

#: The stored values of yes/no answers (their labels are translated in the form).
YES, NO = "yes", "no"
#: The stored choice value of "other" in a multiple-choice question; its text goes in Answer.text.
OTHER = "other"
SHORT_TEXT_MAX = 300
LONG_TEXT_MAX = 5000


class SurveyStatus(enum.StrEnum):
    DRAFT = "draft"
    SCHEDULED = "scheduled"
    OPEN = "open"
    CLOSED = "closed"


STATUS_LABELS = {
    SurveyStatus.DRAFT: _l("Entwurf"),
    SurveyStatus.SCHEDULED: _l("Veröffentlicht, noch nicht geöffnet"),
    SurveyStatus.OPEN: _l("Geöffnet"),
    SurveyStatus.CLOSED: _l("Geschlossen"),
}


def text_in(texts: dict, language: str, name: str | None = None, fallback: str = "de") -> str:
    """A text of a `texts` JSON value in `language`, German when missing."""
    for lang in (language, fallback):
        value = texts.get(lang)
        if isinstance(value, dict) and name is not None:
            value = value.get(name)
        if isinstance(value, str) and value.strip():
            return value
    return ""


@dataclass(slots=True)
class OptionDef:
    id: int
    value: str
    position: int
    texts: dict

    def label(self, language: str) -> str:
        return text_in(self.texts, language)


@dataclass(slots=True)
class QuestionDef:
    id: int
    section_id: int
    key: str
    kind: QuestionKind
    required: bool
    position: int
    min_value: float | None
    max_value: float | None
    allow_other: bool
    condition_key: str | None
    condition_value: str | None
    texts: dict
    options: list[OptionDef] = field(default_factory=list)
    whole_number: bool = False

    def text(self, language: str, name: str = "text") -> str:
        return text_in(self.texts, language, name)

    def option_values(self) -> list[str]:
        if self.kind is QuestionKind.YESNO:
            return [YES, NO]
        if self.kind is QuestionKind.SCALE:
            return ["1", "2", "3", "4", "5"]
        return [option.value for option in self.options]


@dataclass(slots=True)
class SectionDef:
    id: int
    position: int
    topic_id: int | None
    texts: dict
    questions: list[QuestionDef] = field(default_factory=list)

    def title(self, language: str) -> str:
        """The office's name of the section: usually the round's topic ("Betreuungsarrangements")."""
        return text_in(self.texts, language, "title")

    def parents_title(self, language: str) -> str:
        """The page heading parents read, in plain language ("Wer betreut Ihre Kinder?"); the topic name when the
        office gave none."""
        if text_in(self.texts, "de", "parents_title"):
            return text_in(self.texts, language, "parents_title")
        return self.title(language)

    def parents_intro(self, language: str) -> str:
        """A sentence or two under the heading that says what the page asks and why (may be empty)."""
        return text_in(self.texts, language, "parents_intro")


#: The texts of a section, each translated: the office's topic name and the parents' heading and intro.
SECTION_TEXTS = ("title", "parents_title", "parents_intro")


@dataclass(slots=True)
class SurveyDef:
    """A survey with its sections, questions and options, loaded in a few queries."""

    id: int
    round_id: int
    round_title: str
    session_date: object
    session_venue: str
    texts: dict
    published: bool
    opens_at: datetime | None
    closes_at: datetime | None
    uses_codes: bool
    sections: list[SectionDef] = field(default_factory=list)

    def title(self, language: str) -> str:
        return text_in(self.texts, language, "title")

    def round_name(self) -> str:
        """The round's name in the current language: "Frühjahr 2027" is "Spring 2027" for an English reader."""
        from participation.dialogues.schemas import translated_round_title

        return translated_round_title(self.round_title)

    def intro(self, language: str) -> str:
        return text_in(self.texts, language, "intro")

    @property
    def questions(self) -> list[QuestionDef]:
        return [question for section in self.sections for question in section.questions]

    def question_by_key(self, key: str) -> QuestionDef | None:
        return next((q for q in self.questions if q.key == key), None)

    def status(self, now: datetime) -> SurveyStatus:
        if not self.published:
            return SurveyStatus.DRAFT
        if self.opens_at and now < self.opens_at:
            return SurveyStatus.SCHEDULED
        if self.closes_at and now >= self.closes_at:
            return SurveyStatus.CLOSED
        return SurveyStatus.OPEN
