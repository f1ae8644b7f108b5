"""Writing a survey: sections per topic, questions, options, translations, publishing, copying a round's survey.

Once a survey is published, its structure is locked so answers already given keep their meaning: questions and
options cannot be removed, and a question's key, type, options' codes, bounds and condition cannot change. Wording
and translations stay editable, and new optional questions and new options can be added.
"""

from __future__ import annotations

import json
import re
from collections import OrderedDict
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from piccolo.engine.base import Engine

from participation.dialogues.tables import Round, Topic
from participation.directory.services import slugify
from participation.errors import DomainError
from participation.i18n import gettext as _
from participation.i18n import ngettext
from participation.settings import PARENT_LANGUAGES
from participation.surveys.schemas import (
    KIND_LABELS,
    SECTION_TEXTS,
    OptionDef,
    QuestionDef,
    QuestionKind,
    SectionDef,
    SurveyDef,
    SurveyStatus,
)
from participation.surveys.tables import Option, Question, Response, Section, Survey

KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]{1,59}$")
OPTION_CODE_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_]{0,59}$")


class SurveyError(DomainError):
    """A change to a survey is not possible; `field` names the form field at fault."""


def now() -> datetime:
    return datetime.now(UTC)


def _json(value) -> dict:
    if isinstance(value, str):
        return json.loads(value) if value else {}
    return value or {}


# --- loading -------------------------------------------------------------------------------------------------------

async def load_survey(survey_id: int) -> SurveyDef | None:
    """The whole definition of a survey in four queries (survey, sections, questions, options)."""
    row = await Survey.select(
        Survey.all_columns(),
        Survey.round.title.as_alias("round_title"),
        Survey.round.session_date.as_alias("session_date"),
        Survey.round.session_venue.as_alias("session_venue"),
    ).where(Survey.id == survey_id).first()
    if row is None:
        return None
    survey = SurveyDef(
        id=row["id"], round_id=row["round"], round_title=row["round_title"], session_date=row["session_date"],
        session_venue=row["session_venue"], texts=_json(row["texts"]), published=row["published"],
        opens_at=row["opens_at"], closes_at=row["closes_at"], uses_codes=row["uses_codes"],
    )
    sections = await Section.select().where(Section.survey == survey_id).order_by(Section.position).order_by(
        Section.id
    )
    questions = await Question.select().where(Question.survey == survey_id).order_by(Question.position).order_by(
        Question.id
    )
    options = await Option.select().where(Option.question.survey == survey_id).order_by(Option.position).order_by(
        Option.id
    )
    by_section = {s["id"]: SectionDef(id=s["id"], position=s["position"], topic_id=s["topic"],
                                      texts=_json(s["texts"])) for s in sections}
    by_question: dict[int, QuestionDef] = {}
    for q in questions:
        question = QuestionDef(
            id=q["id"], section_id=q["section"], key=q["key"], kind=QuestionKind(q["kind"]), required=q["required"],
            position=q["position"], min_value=q["min_value"], max_value=q["max_value"], allow_other=q["allow_other"],
            condition_key=q["condition_key"], condition_value=q["condition_value"], texts=_json(q["texts"]),
            whole_number=bool(q["whole_number"]),
        )
        by_question[question.id] = question
        by_section[question.section_id].questions.append(question)
    for o in options:
        by_question[o["question"]].options.append(
            OptionDef(id=o["id"], value=o["value"], position=o["position"], texts=_json(o["texts"]))
        )
    survey.sections = list(by_section.values())
    return survey


#: A kept definition: its key (creation time, version), the definition, its complete languages once asked for.
_Kept = tuple[tuple, SurveyDef, list[str] | None]
#: Published definitions by survey id, per engine (so apps on different databases never share one). Keyed by the
#: engine's id while the entry holds the engine itself (engines cannot be weakly referenced), so an id is never reused.
_published: OrderedDict[int, tuple[Engine, OrderedDict[int, _Kept]]] = OrderedDict()
_ENGINES_KEPT = 4
_PUBLISHED_KEPT = 64


def _published_cache() -> OrderedDict[int, _Kept]:
    engine = Survey._meta.db
    entry = _published.get(id(engine))
    if entry is None or entry[0] is not engine:
        entry = _published[id(engine)] = (engine, OrderedDict())
        while len(_published) > _ENGINES_KEPT:
            _published.popitem(last=False)
    _published.move_to_end(id(engine))
    return entry[1]

_CURRENT_SQL = (
    "SELECT s.created_at, s.definition_version, s.published, s.opens_at, s.closes_at, s.uses_codes, "
    "r.title AS round_title, r.session_date, r.session_venue "
    "FROM survey s JOIN dialogue_round r ON r.id = s.round WHERE s.id = {}"
)


async def load_published_survey(survey_id: int) -> SurveyDef | None:
    """A published survey for the parents' pages (None for a draft or an unknown id), in one query while current.

    Every parent's page needs the whole definition; loading it took four queries and a quarter of a submission's
    time. Each process keeps the definitions it loaded, keyed by the survey's creation time and
    `definition_version`, which every change to the definition raises: one small query reads both (and the dates
    and round details, which are always taken fresh), and the definition is loaded again only when they changed.
    So an edit or a new publication made through any process is seen by every other one on its next request.
    """
    rows = await Survey.raw(_CURRENT_SQL, survey_id)
    if not rows or not rows[0]["published"]:
        return None
    row = rows[0]
    key = (row["created_at"], row["definition_version"])
    cache = _published_cache()
    entry = cache.get(survey_id)
    if entry is not None and entry[0] == key:
        cache.move_to_end(survey_id)
        survey = entry[1]
    else:
        # Read after the version, so the definition is at least as new as the key it is kept under.
        loaded = await load_survey(survey_id)
        if loaded is None:
            return None
        survey = loaded
        cache[survey_id] = (key, survey, None)
        while len(cache) > _PUBLISHED_KEPT:
            cache.popitem(last=False)
    # A copy: the shared definition is never handed out, and dates and round details are as current as the row.
    return replace(
        survey, published=bool(row["published"]), opens_at=row["opens_at"], closes_at=row["closes_at"],
        uses_codes=bool(row["uses_codes"]), round_title=row["round_title"], session_date=row["session_date"],
        session_venue=row["session_venue"],
    )


async def _definition_changed(survey_id: int) -> None:
    """Mark the survey's definition as changed, so every process loads it again (see `load_published_survey`)."""
    await Survey.update({Survey.definition_version: Survey.definition_version + 1}).where(Survey.id == survey_id)


@dataclass(frozen=True, slots=True)
class SurveyListItem:
    id: int
    round_id: int
    round_title: str
    title: str
    status: SurveyStatus
    opens_at: datetime | None
    closes_at: datetime | None
    responses: int
    uses_codes: bool


async def list_surveys() -> list[SurveyListItem]:
    """Every survey with its status and number of responses (two queries)."""
    from piccolo.query.functions.aggregate import Count

    rows = await Survey.select(
        Survey.id, Survey.round, Survey.round.title.as_alias("round_title"), Survey.round.year.as_alias("year"),
        Survey.texts, Survey.published, Survey.opens_at, Survey.closes_at, Survey.uses_codes,
    ).order_by(Survey.round.year, ascending=False).order_by(Survey.id, ascending=False)
    counts = {
        row["survey"]: row["count"]
        for row in await Response.select(Response.survey, Count()).group_by(Response.survey)
    }
    moment = now()
    items = []
    for row in rows:
        texts = _json(row["texts"])
        probe = SurveyDef(id=row["id"], round_id=row["round"], round_title=row["round_title"], session_date=None,
                          session_venue="", texts=texts, published=row["published"], opens_at=row["opens_at"],
                          closes_at=row["closes_at"], uses_codes=row["uses_codes"])
        items.append(SurveyListItem(
            id=row["id"], round_id=row["round"], round_title=row["round_title"], title=probe.title("de"),
            status=probe.status(moment), opens_at=row["opens_at"], closes_at=row["closes_at"],
            responses=counts.get(row["id"], 0), uses_codes=row["uses_codes"],
        ))
    return items


async def open_surveys() -> list[SurveyDef]:
    """Surveys parents can answer right now."""
    moment = now()
    rows = await Survey.select(Survey.id).where(
        Survey.published.eq(True) & (Survey.opens_at <= moment) & (Survey.closes_at > moment)
    ).order_by(Survey.closes_at)
    surveys = [await load_survey(row["id"]) for row in rows]  # only the few open ones
    return [s for s in surveys if s is not None and s.status(moment) is SurveyStatus.OPEN]


def question_numbers(survey: SurveyDef) -> dict[int, int]:
    """Every question's number on paper and on the entry screen: 1..n in form order across sections, by question id."""
    return {question.id: number for number, question in enumerate(survey.questions, start=1)}


async def response_count(survey_id: int) -> int:
    return await Response.count().where(Response.survey == survey_id)


# --- translations --------------------------------------------------------------------------------------------------

def translatable_texts(survey: SurveyDef) -> list[tuple[str, str]]:
    """Every German text of the survey as (field name, German text); the field name addresses it for translation."""
    fields: list[tuple[str, str]] = []
    for name in ("title", "intro"):
        if survey.texts.get("de", {}).get(name):
            fields.append((f"survey.{name}", survey.texts["de"][name]))
    for section in survey.sections:
        for name in SECTION_TEXTS:
            if section.texts.get("de", {}).get(name):
                fields.append((f"section.{section.id}.{name}", section.texts["de"][name]))
        for question in section.questions:
            for name in ("text", "help", "low", "high"):
                value = question.texts.get("de", {}).get(name)
                if value:
                    fields.append((f"question.{question.id}.{name}", value))
            for option in question.options:
                if option.texts.get("de"):
                    fields.append((f"option.{option.id}", option.texts["de"]))
    return fields


def translation_of(survey: SurveyDef, language: str) -> dict[str, str]:
    """The existing translation of every translatable text, by field name."""
    values: dict[str, str] = {}
    for name in ("title", "intro"):
        values[f"survey.{name}"] = survey.texts.get(language, {}).get(name, "")
    for section in survey.sections:
        for name in SECTION_TEXTS:
            values[f"section.{section.id}.{name}"] = section.texts.get(language, {}).get(name, "")
        for question in section.questions:
            for name in ("text", "help", "low", "high"):
                values[f"question.{question.id}.{name}"] = question.texts.get(language, {}).get(name, "")
            for option in question.options:
                values[f"option.{option.id}"] = option.texts.get(language, "")
    return values


def complete_languages(survey: SurveyDef) -> list[str]:
    """German plus every language in which all of the survey's texts are translated (worked out once per kept
    published definition: every parent's page asks)."""
    entry = _published_cache().get(survey.id)
    kept = entry is not None and entry[1].sections is survey.sections and entry[1].texts is survey.texts
    if kept and entry[2] is not None:
        return list(entry[2])
    languages = _complete_languages(survey)
    if kept:
        _published_cache()[survey.id] = (entry[0], entry[1], languages)
    return list(languages)


def _complete_languages(survey: SurveyDef) -> list[str]:
    fields = translatable_texts(survey)
    complete = ["de"]
    for language in PARENT_LANGUAGES[1:]:
        values = translation_of(survey, language)
        if fields and all(values.get(name, "").strip() for name, _text in fields):
            complete.append(language)
    return complete


async def save_translation(survey_id: int, language: str, values: dict[str, str]) -> None:
    """Store the translations of one language (missing or empty values clear that text)."""
    if language not in PARENT_LANGUAGES or language == "de":
        raise SurveyError(_("Diese Sprache wird nicht angeboten."))
    survey = await load_survey(survey_id)
    if survey is None:
        raise SurveyError(_("Diese Umfrage gibt es nicht."))

    def clean(name: str) -> str:
        return (values.get(name) or "").strip()

    texts = dict(survey.texts)
    texts[language] = {name: clean(f"survey.{name}") for name in ("title", "intro")}
    await Survey.update({Survey.texts: texts}).where(Survey.id == survey_id)
    for section in survey.sections:
        section_texts = dict(section.texts)
        section_texts[language] = {name: clean(f"section.{section.id}.{name}") for name in SECTION_TEXTS}
        await Section.update({Section.texts: section_texts}).where(Section.id == section.id)
        for question in section.questions:
            question_texts = dict(question.texts)
            question_texts[language] = {
                name: clean(f"question.{question.id}.{name}") for name in ("text", "help", "low", "high")
            }
            await Question.update({Question.texts: question_texts}).where(Question.id == question.id)
            for option in question.options:
                option_texts = dict(option.texts)
                option_texts[language] = clean(f"option.{option.id}")
                await Option.update({Option.texts: option_texts}).where(Option.id == option.id)
    await _definition_changed(survey_id)


# --- creating and editing ------------------------------------------------------------------------------------------

async def create_survey(round_id: int, title: str, intro: str = "") -> int:
    """A draft survey for a round, with one section per topic of the round."""
    if await Survey.exists().where(Survey.round == round_id):
        raise SurveyError(_("Für diese Runde gibt es schon eine Umfrage."))
    if not await Round.exists().where(Round.id == round_id):
        raise SurveyError(_("Diese Runde gibt es nicht."))
    rows = await Survey.insert(
        Survey(round=round_id, texts={"de": {"title": title.strip(), "intro": intro.strip()}})
    ).returning(Survey.id)
    survey_id = rows[0]["id"]
    topics = await Topic.select().where(Topic.round == round_id).order_by(Topic.position).order_by(Topic.id)
    if topics:
        await Section.insert(*[
            Section(survey=survey_id, topic=t["id"], position=i, texts={"de": {"title": t["title"]}})
            for i, t in enumerate(topics)
        ])
    else:
        await Section.insert(Section(survey=survey_id, position=0, texts={"de": {"title": _("Allgemein")}}))
    return survey_id


async def update_survey_texts(survey_id: int, title: str, intro: str, uses_codes: bool) -> None:
    survey = await _editable(survey_id, structure=False)
    texts = dict(survey.texts)
    texts["de"] = {"title": title.strip(), "intro": intro.strip()}
    values = {Survey.texts: texts}
    if uses_codes != survey.uses_codes:
        if survey.published:
            raise SurveyError(_("Ob Einladungscodes nötig sind, lässt sich nach der Veröffentlichung nicht mehr "
                                "ändern."), "uses_codes")
        values[Survey.uses_codes] = uses_codes
    values[Survey.definition_version] = Survey.definition_version + 1
    await Survey.update(values).where(Survey.id == survey_id)


async def add_section(survey_id: int, title: str) -> int:
    survey = await _editable(survey_id, structure=False)
    rows = await Section.insert(
        Section(survey=survey_id, position=len(survey.sections), texts={"de": {"title": title.strip()}})
    ).returning(Section.id)
    await _definition_changed(survey_id)
    return rows[0]["id"]


async def rename_section(
    survey_id: int, section_id: int, title: str, parents_title: str | None = None, parents_intro: str | None = None,
) -> None:
    """Change a section's German texts: its topic name for the office and (when given) the parents' heading and
    intro. Translations are kept."""
    survey = await _editable(survey_id, structure=False)
    section = _section(survey, section_id)
    texts = dict(section.texts)
    german = dict(texts.get("de", {}))
    german["title"] = title.strip()
    if parents_title is not None:
        german["parents_title"] = parents_title.strip()
    if parents_intro is not None:
        german["parents_intro"] = parents_intro.strip()
    texts["de"] = german
    await Section.update({Section.texts: texts}).where(Section.id == section_id)
    await _definition_changed(survey_id)


async def delete_section(survey_id: int, section_id: int) -> None:
    survey = await _editable(survey_id, structure=True)
    section = _section(survey, section_id)
    if section.questions:
        raise SurveyError(_("Bitte entfernen oder verschieben Sie zuerst die Fragen dieses Abschnitts."))
    await Section.delete().where(Section.id == section_id)
    await _definition_changed(survey_id)


@dataclass
class QuestionInput:
    """A question as the office writes it (German texts)."""

    key: str
    kind: QuestionKind
    text: str
    help: str = ""
    required: bool = False
    options: list[tuple[str, str]] = field(default_factory=list)  # (code, German label)
    allow_other: bool = False
    low_label: str = ""
    high_label: str = ""
    min_value: float | None = None
    max_value: float | None = None
    whole_number: bool = False
    condition_key: str | None = None
    condition_value: str | None = None


def parse_options(text: str) -> list[tuple[str, str]]:
    """Options from a textarea, one per line: "Label" or "code | Label"."""
    options = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        if "|" in line:
            code, _sep, label = line.partition("|")
            code, label = code.strip(), label.strip()
        else:
            code, label = slugify(line).replace("-", "_")[:60], line
        options.append((code, label))
    return options


def _validate_question(survey: SurveyDef, data: QuestionInput, question_id: int | None) -> None:
    if not KEY_PATTERN.match(data.key):
        raise SurveyError(_("Der Schlüssel besteht aus 2–60 Kleinbuchstaben, Ziffern oder _ und beginnt mit einem "
                            "Buchstaben, z. B. betreuung_zufriedenheit."), "key")
    clash = survey.question_by_key(data.key)
    if clash is not None and clash.id != question_id:
        raise SurveyError(_("Diesen Schlüssel hat schon eine andere Frage dieser Umfrage."), "key")
    if not data.text.strip():
        raise SurveyError(_("Bitte geben Sie den Fragetext ein."), "text")
    if data.kind.has_options:
        if len(data.options) < 2:
            raise SurveyError(_("Eine Auswahlfrage braucht mindestens zwei Antwortmöglichkeiten."), "options")
        codes = [code for code, _label in data.options]
        if len(set(codes)) != len(codes):
            raise SurveyError(_("Zwei Antwortmöglichkeiten haben denselben Code."), "options")
        for code, label in data.options:
            if not OPTION_CODE_PATTERN.match(code) or code == "other":
                raise SurveyError(_("Der Code „%(code)s“ ist ungültig: Kleinbuchstaben, Ziffern und _, "
                                    "nicht „other“.", code=code), "options")
            if not label:
                raise SurveyError(_("Jede Antwortmöglichkeit braucht einen Text."), "options")
    if data.whole_number and data.kind is QuestionKind.NUMBER and any(
        bound is not None and not float(bound).is_integer() for bound in (data.min_value, data.max_value)
    ):
        raise SurveyError(_("Bei ganzen Zahlen müssen auch die Grenzen ganze Zahlen sein."), "min_value")
    if data.kind is QuestionKind.NUMBER and data.min_value is not None and data.max_value is not None:
        if data.min_value > data.max_value:
            raise SurveyError(_("Der kleinste Wert ist größer als der größte."), "min_value")
    if data.condition_key:
        earlier = [q.key for q in survey.questions if q.id != question_id]
        if question_id is not None:
            ordered = [q.key for q in survey.questions]
            own = next(q.key for q in survey.questions if q.id == question_id)
            earlier = ordered[: ordered.index(own)]
        condition = survey.question_by_key(data.condition_key)
        if condition is None or condition.key not in earlier:
            raise SurveyError(_("Eine Bedingung kann sich nur auf eine frühere Frage beziehen."), "condition_key")
        if condition.kind.is_text or condition.kind is QuestionKind.NUMBER:
            raise SurveyError(_("Bedingungen gehen nur mit Auswahl-, Ja/Nein- oder Skalenfragen."), "condition_key")
        if data.condition_value not in condition.option_values():
            raise SurveyError(
                _("„%(value)s“ ist keine Antwort der Frage „%(key)s“. Möglich: %(values)s.",
                  value=data.condition_value or "", key=condition.key, values=", ".join(condition.option_values())),
                "condition_value",
            )


def _question_texts(existing: dict, data: QuestionInput) -> dict:
    texts = dict(existing)
    texts["de"] = {"text": data.text.strip(), "help": data.help.strip(), "low": data.low_label.strip(),
                   "high": data.high_label.strip()}
    return texts


async def save_question(survey_id: int, section_id: int, question_id: int | None, data: QuestionInput) -> int:
    """Create or change a question; on a published survey only wording and additions are allowed."""
    survey = await _editable(survey_id, structure=False)
    _section(survey, section_id)
    data.key = data.key.strip()
    data.condition_key = (data.condition_key or "").strip() or None
    data.condition_value = (data.condition_value or "").strip() or None
    if not data.condition_key:
        data.condition_value = None
    _validate_question(survey, data, question_id)
    await _check_key_keeps_its_kind(survey, data)
    if question_id is None:
        if survey.published and data.required:
            raise SurveyError(_("Nach der Veröffentlichung können nur freiwillige Fragen hinzukommen, damit frühere "
                                "Antworten vollständig bleiben."), "required")
        section = _section(survey, section_id)
        rows = await Question.insert(Question(
            survey=survey_id, section=section_id, key=data.key, kind=data.kind.value, required=data.required,
            position=len(section.questions), min_value=data.min_value, max_value=data.max_value,
            whole_number=data.whole_number and data.kind is QuestionKind.NUMBER,
            allow_other=data.allow_other and data.kind is QuestionKind.MULTIPLE,
            condition_key=data.condition_key, condition_value=data.condition_value,
            texts=_question_texts({}, data),
        )).returning(Question.id)
        question_id = rows[0]["id"]
        existing_options: list[OptionDef] = []
    else:
        current = next((q for q in survey.questions if q.id == question_id), None)
        if current is None:
            raise SurveyError(_("Diese Frage gibt es nicht."))
        if survey.published:
            _check_locked_changes(current, data)
        await Question.update({
            Question.key: data.key, Question.kind: data.kind.value, Question.required: data.required,
            Question.min_value: data.min_value, Question.max_value: data.max_value,
            Question.whole_number: data.whole_number and data.kind is QuestionKind.NUMBER,
            Question.allow_other: data.allow_other and data.kind is QuestionKind.MULTIPLE,
            Question.condition_key: data.condition_key, Question.condition_value: data.condition_value,
            Question.texts: _question_texts(current.texts, data),
            Question.section: section_id,
        }).where(Question.id == question_id)
        existing_options = current.options
    await _save_options(question_id, data, existing_options, survey.published)
    await _definition_changed(survey_id)
    return question_id


@dataclass(frozen=True, slots=True)
class BankEntry:
    """A question of an earlier round, offered for reuse under its key (its newest wording)."""

    question_id: int
    survey_id: int
    key: str
    kind: QuestionKind
    text: str
    round_title: str


async def question_bank(survey: SurveyDef) -> list[BankEntry]:
    """Every key asked in any other round's survey and not yet in this one, each with its newest wording, by key.

    One query; newest rounds first, so the first question seen for a key is its latest version."""
    rows = await Question.select(
        Question.id, Question.survey, Question.key, Question.kind, Question.texts,
        Question.survey.round.title.as_alias("round_title"),
    ).where(Question.survey != survey.id).order_by(Question.survey.round.year, ascending=False).order_by(
        Question.survey.round.season, ascending=True).order_by(Question.id, ascending=False)
    own = {q.key for q in survey.questions}
    bank: dict[str, BankEntry] = {}
    for row in rows:
        if row["key"] in own or row["key"] in bank:
            continue
        bank[row["key"]] = BankEntry(
            question_id=row["id"], survey_id=row["survey"], key=row["key"], kind=QuestionKind(row["kind"]),
            text=_json(row["texts"]).get("de", {}).get("text", ""), round_title=row["round_title"])
    return sorted(bank.values(), key=lambda entry: entry.key)


async def bank_question(survey: SurveyDef, question_id: int) -> QuestionDef | None:
    """A question of the bank (another survey's), to fill a new question's form with; None if it is not one."""
    entry = next((e for e in await question_bank(survey) if e.question_id == question_id), None)
    if entry is None:
        return None
    source = await load_survey(entry.survey_id)
    return next((q for q in source.questions if q.id == question_id), None) if source else None


async def _check_key_keeps_its_kind(survey: SurveyDef, data: QuestionInput) -> None:
    """A key names the same question across rounds (trends compare them): another survey's question with this key
    and another kind refuses the change."""
    other = await Question.select(
        Question.kind, Question.survey.round.title.as_alias("round_title")
    ).where((Question.key == data.key) & (Question.survey != survey.id) & (Question.kind != data.kind.value)).first()
    if other is not None:
        raise SurveyError(_(
            "Der Schlüssel „%(key)s“ gehört in der Runde %(round)s zu einer Frage vom Typ „%(kind)s“. Ein Schlüssel "
            "bezeichnet über alle Runden dieselbe Frage, damit sich Ergebnisse vergleichen lassen: Wählen Sie diesen "
            "Fragetyp oder einen anderen Schlüssel.", key=data.key, round=other["round_title"],
            kind=KIND_LABELS[QuestionKind(other["kind"])]), "key")


def _check_locked_changes(current: QuestionDef, data: QuestionInput) -> None:
    locked = []
    if data.key != current.key:
        locked.append(_("Schlüssel"))
    if data.kind is not current.kind:
        locked.append(_("Fragetyp"))
    if (data.min_value, data.max_value) != (current.min_value, current.max_value):
        locked.append(_("Wertebereich"))
    if data.whole_number and not current.whole_number and current.kind is QuestionKind.NUMBER:
        locked.append(_("nur ganze Zahlen"))
    if (data.condition_key, data.condition_value) != (current.condition_key, current.condition_value):
        locked.append(_("Bedingung"))
    if data.required and not current.required:
        locked.append(_("Pflichtfrage"))
    if bool(data.allow_other) != current.allow_other and current.kind is QuestionKind.MULTIPLE:
        locked.append(_("„Sonstiges“-Feld"))
    new_codes = {code for code, _label in data.options}
    removed = [o.value for o in current.options if o.value not in new_codes]
    if removed:
        locked.append(_("entfernte Antwortmöglichkeiten (%(codes)s)", codes=", ".join(removed)))
    if locked:
        raise SurveyError(
            _("Die Umfrage ist veröffentlicht; damit gegebene Antworten ihre Bedeutung behalten, ist gesperrt: "
              "%(locked)s. Änderbar bleiben Texte, Übersetzungen, neue Antwortmöglichkeiten und neue freiwillige "
              "Fragen.", locked=", ".join(str(x) for x in locked))
        )


async def _save_options(question_id: int, data: QuestionInput, existing: list[OptionDef], published: bool) -> None:
    if not data.kind.has_options:
        if existing:
            await Option.delete().where(Option.question == question_id)
        return
    by_code = {option.value: option for option in existing}
    wanted = {code for code, _label in data.options}
    stale = [o.id for o in existing if o.value not in wanted]
    if stale and not published:
        await Option.delete().where(Option.id.is_in(stale))
    for position, (code, label) in enumerate(data.options):
        if code in by_code:
            texts = dict(by_code[code].texts)
            texts["de"] = label
            await Option.update({Option.texts: texts, Option.position: position}).where(
                Option.id == by_code[code].id
            )
        else:
            await Option.insert(Option(question=question_id, value=code, position=position, texts={"de": label}))


async def delete_question(survey_id: int, question_id: int) -> None:
    survey = await _editable(survey_id, structure=True)
    question = next((q for q in survey.questions if q.id == question_id), None)
    if question is None:
        raise SurveyError(_("Diese Frage gibt es nicht."))
    dependants = [q.key for q in survey.questions if q.condition_key == question.key]
    if dependants:
        raise SurveyError(_("Andere Fragen hängen von dieser Frage ab: %(keys)s.", keys=", ".join(dependants)))
    await Question.delete().where(Question.id == question_id)
    await _definition_changed(survey_id)


async def move_question(survey_id: int, question_id: int, offset: int) -> None:
    """Move a question up (-1) or down (+1) within its section; a condition must still point backwards."""
    survey = await _editable(survey_id, structure=False)
    question = next((q for q in survey.questions if q.id == question_id), None)
    if question is None:
        return
    section = _section(survey, question.section_id)
    ids = [q.id for q in section.questions]
    index = ids.index(question_id)
    target = index + offset
    if not 0 <= target < len(ids):
        return
    ids[index], ids[target] = ids[target], ids[index]
    order = {qid: pos for pos, qid in enumerate(ids)}
    reordered = sorted(section.questions, key=lambda q: order[q.id])
    keys_so_far: set[str] = {q.key for s in survey.sections if s.position < section.position for q in s.questions}
    for q in reordered:
        if q.condition_key and q.condition_key not in keys_so_far and q.condition_key in {x.key for x in reordered}:
            raise SurveyError(_("So stünde eine Frage vor der Frage, von der sie abhängt."))
        keys_so_far.add(q.key)
    for qid, position in order.items():
        await Question.update({Question.position: position}).where(Question.id == qid)
    await _definition_changed(survey_id)


async def _editable(survey_id: int, *, structure: bool) -> SurveyDef:
    survey = await load_survey(survey_id)
    if survey is None:
        raise SurveyError(_("Diese Umfrage gibt es nicht."))
    if structure and survey.published:
        raise SurveyError(_("Die Umfrage ist veröffentlicht: Fragen, Abschnitte und Antwortmöglichkeiten können "
                            "nicht mehr entfernt werden, damit gegebene Antworten ihre Bedeutung behalten."))
    return survey


def _section(survey: SurveyDef, section_id: int) -> SectionDef:
    section = next((s for s in survey.sections if s.id == section_id), None)
    if section is None:
        raise SurveyError(_("Diesen Abschnitt gibt es nicht."))
    return section


# --- publishing ----------------------------------------------------------------------------------------------------

async def publish_survey(survey_id: int, opens_at: datetime, closes_at: datetime) -> None:
    """Publish for an open/close window; the survey must have questions and a German title."""
    survey = await load_survey(survey_id)
    if survey is None:
        raise SurveyError(_("Diese Umfrage gibt es nicht."))
    if not survey.questions:
        raise SurveyError(_("Eine Umfrage ohne Fragen kann nicht veröffentlicht werden."))
    empty = [section.title("de") or "?" for section in survey.sections if not section.questions]
    if empty:
        # Parents would meet a page with a heading and nothing to answer.
        raise SurveyError(ngettext(
            "Der Abschnitt „%(names)s“ hat noch keine Frage. Bitte fügen Sie eine Frage hinzu oder löschen Sie den "
            "Abschnitt, dann kann die Umfrage veröffentlicht werden.",
            "Die Abschnitte „%(names)s“ haben noch keine Frage. Bitte fügen Sie Fragen hinzu oder löschen Sie die "
            "Abschnitte, dann kann die Umfrage veröffentlicht werden.", len(empty), names="“, „".join(empty)))
    if not survey.title("de"):
        raise SurveyError(_("Bitte geben Sie der Umfrage zuerst einen Titel."))
    if closes_at <= opens_at:
        raise SurveyError(_("Das Ende muss nach dem Beginn liegen."), "closes_at")
    if closes_at <= now():
        raise SurveyError(_("Das Ende muss in der Zukunft liegen."), "closes_at")
    await Survey.update({
        Survey.published: True, Survey.opens_at: opens_at, Survey.closes_at: closes_at,
        Survey.published_at: now(), Survey.definition_version: Survey.definition_version + 1,
    }).where(Survey.id == survey_id)


async def close_survey(survey_id: int) -> None:
    """Close an open (or scheduled) survey now, before its planned end; any other survey is refused."""
    survey = await load_survey(survey_id)
    if survey is None or survey.status(now()) not in (SurveyStatus.OPEN, SurveyStatus.SCHEDULED):
        raise SurveyError(_("Nur eine veröffentlichte, noch offene Umfrage kann geschlossen werden."))
    await Survey.update({
        Survey.closes_at: now(), Survey.definition_version: Survey.definition_version + 1,
    }).where((Survey.id == survey_id) & Survey.published.eq(True))


async def reopen_survey(survey_id: int, closes_at: datetime) -> None:
    """Open a closed survey again until `closes_at`."""
    if closes_at <= now():
        raise SurveyError(_("Das neue Ende muss in der Zukunft liegen."), "closes_at")
    survey = await load_survey(survey_id)
    if survey is None or not survey.published:
        raise SurveyError(_("Nur eine veröffentlichte Umfrage kann wieder geöffnet werden."))
    values = {Survey.closes_at: closes_at, Survey.definition_version: Survey.definition_version + 1}
    if survey.opens_at and survey.opens_at > now():
        values[Survey.opens_at] = now()
    await Survey.update(values).where(Survey.id == survey_id)


# --- copying -------------------------------------------------------------------------------------------------------

async def copy_survey(source_survey_id: int, target_round_id: int) -> int:
    """A draft copy of a survey for another round: same sections, questions (same keys), options, translations.

    Sections are matched to the target round's topics by title; sections without a matching topic are kept.
    """
    source = await load_survey(source_survey_id)
    if source is None:
        raise SurveyError(_("Diese Umfrage gibt es nicht."))
    if await Survey.exists().where(Survey.round == target_round_id):
        raise SurveyError(_("Für diese Runde gibt es schon eine Umfrage."))
    rows = await Survey.insert(
        Survey(round=target_round_id, texts=source.texts, uses_codes=source.uses_codes)
    ).returning(Survey.id)
    survey_id = rows[0]["id"]
    topics = {t["title"]: t["id"] for t in await Topic.select(Topic.id, Topic.title).where(
        Topic.round == target_round_id)}
    for section in source.sections:
        section_rows = await Section.insert(Section(
            survey=survey_id, topic=topics.get(section.title("de")), position=section.position, texts=section.texts,
        )).returning(Section.id)
        for question in section.questions:
            question_rows = await Question.insert(Question(
                survey=survey_id, section=section_rows[0]["id"], key=question.key, kind=question.kind.value,
                required=question.required, position=question.position, min_value=question.min_value,
                max_value=question.max_value, whole_number=question.whole_number, allow_other=question.allow_other,
                condition_key=question.condition_key, condition_value=question.condition_value,
                texts=question.texts,
            )).returning(Question.id)
            if question.options:
                await Option.insert(*[
                    Option(question=question_rows[0]["id"], value=o.value, position=o.position, texts=o.texts)
                    for o in question.options
                ])
    return survey_id
