"""Guided categories: the office's category scheme per round, its labels on free-text answers, and the classifier
that sorts the rest (`analysis.categories`).

The scheme belongs to the round (names and descriptions of categories); when the office first opens a round's
scheme it is a copy of the previous round's, then edited on its own. Per free-text question the office labels
answers by category or as "passt in keine"; the classifier sorts the other answers with a confidence, and answers
under the chosen confidence stay unsorted. Training and sorting run inline when the page is read (in a thread): on
a question's answers (hundreds to a few thousand) one retrain with its proposals takes one to two seconds of one core
for 2,000 answers and 200 labels once the answers' features are made, and those are kept per process for the last
few questions (see `benchmarks/categories.py` for figures).

Privacy: only answers that a figure of their question may show are labelled, sorted or counted — the same members
the themes use (`themes.protected_members`), so a category's count is a figure of the same kind as a theme's size,
and a survey's answers are sorted only once it is closed.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import threading
from collections import Counter, OrderedDict
from dataclasses import dataclass, field

from participation.analysis import categories as classifier
from participation.dialogues.tables import Round
from participation.errors import DomainError
from participation.i18n import gettext as _
from participation.surveys.schemas import QuestionKind, SurveyDef
from participation.surveys.services.themes import protected_members
from participation.surveys.tables import Answer, Category, CategoryLabel, CategoryScheme

#: The key of "passt in keine" among the classifier's classes (categories are keyed by their id).
NONE = "none"
#: How many answers the page proposes to label at a time.
PROPOSALS = 5
#: The confidence (percent) under which an answer stays unsorted, unless the office chooses another.
DEFAULT_CONFIDENCE = round(classifier.DEFAULT_THRESHOLD * 100)
MIN_CONFIDENCE, MAX_CONFIDENCE = 30, 99


class CategoryError(DomainError):
    """A change to a category scheme or a label cannot be done as asked."""


# --- the scheme ----------------------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class CategoryDef:
    id: int
    name: str
    description: str


@dataclass(slots=True)
class SchemeView:
    id: int
    round_id: int
    carried_from: str | None
    categories: list[CategoryDef] = field(default_factory=list)


async def open_scheme(round_id: int) -> SchemeView:
    """The round's scheme; on first opening, a copy of the latest earlier round's scheme (or an empty one)."""
    scheme = await CategoryScheme.select().where(CategoryScheme.round == round_id).first()
    if scheme is None:
        scheme = await _create_scheme(round_id)
    carried = None
    if scheme["carried_from"] is not None:
        row = await Round.select(Round.title).where(Round.id == scheme["carried_from"]).first()
        carried = row["title"] if row else None
    rows = await Category.select().where(Category.scheme == scheme["id"]).order_by(Category.position).order_by(
        Category.id)
    return SchemeView(id=scheme["id"], round_id=round_id, carried_from=carried,
                      categories=[CategoryDef(r["id"], r["name"], r["description"]) for r in rows])


async def _create_scheme(round_id: int) -> dict:
    this = await Round.select(Round.id, Round.year, Round.created_at).where(Round.id == round_id).first()
    if this is None:
        raise CategoryError(_("Diese Runde gibt es nicht."))
    earlier = await CategoryScheme.select(CategoryScheme.id, CategoryScheme.round).where(
        (CategoryScheme.round.created_at < this["created_at"])
        | ((CategoryScheme.round.created_at == this["created_at"]) & (CategoryScheme.round < round_id))
    ).order_by(CategoryScheme.round.created_at, ascending=False).order_by(CategoryScheme.round, ascending=False).first()
    async with CategoryScheme._meta.db.transaction():
        created = await CategoryScheme.insert(CategoryScheme(
            round=round_id, carried_from=earlier["round"] if earlier else None,
        )).on_conflict(action="DO NOTHING").returning(CategoryScheme.id)
        if not created:  # another request made it a moment ago
            return await CategoryScheme.select().where(CategoryScheme.round == round_id).first()
        if earlier is not None:
            old = await Category.select().where(Category.scheme == earlier["id"]).order_by(Category.position)
            if old:
                await Category.insert(*[
                    Category(scheme=created[0]["id"], name=c["name"], description=c["description"],
                             position=c["position"]) for c in old
                ])
    return await CategoryScheme.select().where(CategoryScheme.id == created[0]["id"]).first()


def _clean(name: str, description: str) -> tuple[str, str]:
    name, description = (name or "").strip(), (description or "").strip()
    if not name:
        raise CategoryError(_("Bitte geben Sie einen Namen für die Kategorie ein."), "name")
    if len(name) > 120:
        raise CategoryError(_("Der Name darf höchstens 120 Zeichen lang sein."), "name")
    if len(description) > 2000:
        raise CategoryError(_("Die Beschreibung darf höchstens 2000 Zeichen lang sein."), "description")
    return name, description


async def _check_unique(scheme_id: int, name: str, except_id: int | None = None) -> None:
    rows = await Category.select(Category.id, Category.name).where(Category.scheme == scheme_id)
    if any(r["name"].casefold() == name.casefold() and r["id"] != except_id for r in rows):
        raise CategoryError(_("Eine Kategorie mit diesem Namen gibt es schon."), "name")


async def add_category(scheme_id: int, name: str, description: str = "") -> int:
    """A new category at the end of the scheme."""
    name, description = _clean(name, description)
    await _check_unique(scheme_id, name)
    count = await Category.count().where(Category.scheme == scheme_id)
    rows = await Category.insert(Category(scheme=scheme_id, name=name, description=description,
                                          position=count)).returning(Category.id)
    return rows[0]["id"]


async def _category_of(scheme_id: int, category_id: int | None) -> None:
    if category_id is None or not await Category.exists().where(
        (Category.id == category_id) & (Category.scheme == scheme_id)
    ):
        raise CategoryError(_("Diese Kategorie gehört nicht zu dieser Runde."))


async def update_category(scheme_id: int, category_id: int | None, name: str, description: str = "") -> None:
    await _category_of(scheme_id, category_id)
    name, description = _clean(name, description)
    await _check_unique(scheme_id, name, category_id)
    await Category.update({Category.name: name, Category.description: description}).where(
        Category.id == category_id)


async def delete_category(scheme_id: int, category_id: int | None) -> None:
    """Remove a category; its labels go with it (those answers are sorted again by the classifier)."""
    await _category_of(scheme_id, category_id)
    await Category.delete().where(Category.id == category_id)


# --- labels and sorting --------------------------------------------------------------------------------------------

def free_text_questions(survey: SurveyDef) -> list[tuple[int, str]]:
    """(id, German text) of the questions whose answers are free text (also "other" of multiple choice)."""
    return [(q.id, q.text("de")) for q in survey.questions
            if q.kind.is_text or (q.kind is QuestionKind.MULTIPLE and q.allow_other)]


async def _answers(survey: SurveyDef, question_id: int, threshold: int) -> tuple[bool, list[dict]]:
    """Whether the survey is closed, and the question's free-text answers that a figure may show, by id."""
    from participation.surveys.services.protected import load_protected

    view = await load_protected(survey.id, threshold, survey=survey)
    if view is None or not view.closed:
        return False, []
    rows = await Answer.select(
        Answer.id, Answer.text, Answer.question, Answer.response.district.as_alias("district"),
        Answer.response.centre.as_alias("centre"),
    ).where((Answer.question == question_id) & Answer.text.is_not_null() & Answer.hidden.eq(False)).order_by(
        Answer.id)
    rows = [r for r in rows if r["text"] and r["text"].strip()]
    kept, _plan, _label = await protected_members(survey.id, rows, threshold)
    return True, kept


async def label_answer(
    survey: SurveyDef, question_id: int, answer_id: int | None, category: str | None, *, user_id: int | None,
    threshold: int,
) -> None:
    """Record the office's category for one answer ("none": passt in keine), replacing an earlier label."""
    if question_id not in {q for q, _t in free_text_questions(survey)}:
        raise CategoryError(_("Bitte wählen Sie eine Frage mit Freitext-Antworten."))
    closed, answers = await _answers(survey, question_id, threshold)
    if not closed:
        raise CategoryError(_("Die Umfrage läuft noch. Antworten lassen sich einordnen, wenn sie geschlossen ist."))
    if answer_id is None or answer_id not in {a["id"] for a in answers}:
        raise CategoryError(_("Diese Antwort gehört nicht zu dieser Frage."))
    scheme = await open_scheme(survey.round_id)
    category_id: int | None = None
    if category != NONE:
        category_id = next((c.id for c in scheme.categories if str(c.id) == (category or "")), None)
        if category_id is None:
            raise CategoryError(_("Diese Kategorie gehört nicht zu dieser Runde."))
    async with CategoryLabel._meta.db.transaction():
        await CategoryLabel.delete().where(CategoryLabel.answer == answer_id)
        await CategoryLabel.insert(CategoryLabel(answer=answer_id, category=category_id, labelled_by=user_id))


async def remove_label(survey: SurveyDef, question_id: int, answer_id: int | None) -> None:
    """Take back the office's label of one answer (it is sorted by the classifier again)."""
    rows = await CategoryLabel.delete().where(
        (CategoryLabel.answer == answer_id) & (CategoryLabel.answer.question == question_id)
        & (CategoryLabel.answer.question.survey == survey.id)
    ).returning(CategoryLabel.id) if answer_id is not None else []
    if not rows:
        raise CategoryError(_("Diese Antwort ist nicht eingeordnet."))


def parse_confidence(raw: str | None) -> int:
    """The confidence threshold in percent from the page's field; empty means the default."""
    raw = (raw or "").strip()
    if not raw:
        return DEFAULT_CONFIDENCE
    if not raw.isdigit() or not MIN_CONFIDENCE <= int(raw) <= MAX_CONFIDENCE:
        raise CategoryError(_("Bitte geben Sie eine ganze Zahl von %(low)s bis %(high)s ein.",
                              low=MIN_CONFIDENCE, high=MAX_CONFIDENCE), "sicherheit")
    return int(raw)


@dataclass(frozen=True, slots=True)
class SortedAnswer:
    id: int
    text: str
    #: The category key (category id as text, or NONE) the office gave or the classifier chose; None: unsorted.
    category: str | None
    confidence: float
    labelled: bool
    #: For an answer the office has not labelled: the classifier's best category whatever its confidence, if it has
    #: a model.
    guess: str | None = None


@dataclass(frozen=True, slots=True)
class CategoryCount:
    key: str
    name: str
    description: str
    labelled: int
    sorted: int
    #: Whether the classifier has learned it (enough labelled examples).
    learned: bool

    @property
    def total(self) -> int:
        return self.labelled + self.sorted


@dataclass(slots=True)
class SortingView:
    question_id: int
    question_text: str
    closed: bool
    confidence: int
    trained: bool = False
    scheme: SchemeView | None = None
    counts: list[CategoryCount] = field(default_factory=list)
    proposals: list[SortedAnswer] = field(default_factory=list)
    answers: list[SortedAnswer] = field(default_factory=list)

    @property
    def unsorted(self) -> list[SortedAnswer]:
        return sorted((a for a in self.answers if a.category is None), key=lambda a: a.confidence)

    @property
    def labelled_count(self) -> int:
        return sum(a.labelled for a in self.answers)

    def of_category(self, key: str) -> list[SortedAnswer]:
        return sorted((a for a in self.answers if a.category == key), key=lambda a: (not a.labelled, -a.confidence))

    def name(self, key: str | None) -> str:
        return next((c.name for c in self.counts if c.key == key), "")


async def sorting(survey: SurveyDef, question_id: int, *, confidence: int, threshold: int) -> SortingView:
    """The question's answers sorted into the round's categories, the counts per category and the next answers to
    label (the least certain; a seeded random sample before the classifier has two categories to learn)."""
    text = dict(free_text_questions(survey)).get(question_id)
    if text is None:
        raise CategoryError(_("Bitte wählen Sie eine Frage mit Freitext-Antworten."))
    closed, answers = await _answers(survey, question_id, threshold)
    view = SortingView(question_id=question_id, question_text=text, closed=closed, confidence=confidence)
    view.scheme = await open_scheme(survey.round_id)
    if not closed:
        return view
    ids = [a["id"] for a in answers]
    label_rows = await CategoryLabel.select(CategoryLabel.answer, CategoryLabel.category).where(
        CategoryLabel.answer.is_in(ids or [-1]))
    label_of = {r["answer"]: (str(r["category"]) if r["category"] is not None else NONE) for r in label_rows}
    labels = {index: label_of[answer_id] for index, answer_id in enumerate(ids) if answer_id in label_of}
    texts = [a["text"] for a in answers]
    # Each category's own words teach the classifier what it is about, next to the labelled answers.
    descriptions = {str(c.id): f"{c.name}. {c.description}".strip() for c in view.scheme.categories}
    result = await asyncio.to_thread(_sort, question_id, ids, texts, labels, descriptions, confidence / 100)
    view.trained = result.trained
    by_index = []
    for index, answer in enumerate(answers):
        predicted = result.predicted[index]
        labelled = index in labels
        guess = result.guesses[index] if result.trained and not labelled else None
        by_index.append(SortedAnswer(
            id=answer["id"], text=answer["text"], category=predicted, confidence=result.confidence[index],
            labelled=labelled, guess=guess,
        ))
    view.answers = by_index
    view.proposals = [by_index[i] for i in result.proposals]
    learned = Counter(labels.values())
    keys = [(str(c.id), c.name, c.description) for c in view.scheme.categories]
    keys.append((NONE, _("passt in keine"), ""))
    for key, name, description in keys:
        members = [a for a in by_index if a.category == key]
        view.counts.append(CategoryCount(
            key=key, name=name, description=description, labelled=sum(a.labelled for a in members),
            sorted=sum(not a.labelled for a in members),
            learned=result.trained and learned.get(key, 0) >= classifier.MIN_EXAMPLES,
        ))
    return view


#: Features of recently sorted questions, by (question id, digest of its answers and its categories' descriptions),
#: so that labelling one answer after another trains again without vectorising again (the features do not depend
#: on the labels).
_features: OrderedDict[tuple[int, str], object] = OrderedDict()
FEATURES_KEPT = 4
_features_lock = threading.Lock()


def _sort(question_id: int, ids: list[int], texts: list[str], labels: dict, descriptions: dict[str, str],
          threshold: float) -> classifier.Sorting:
    rows = classifier.with_descriptions(texts, descriptions)
    digest = hashlib.sha256(json.dumps([ids, rows]).encode()).hexdigest()
    key = (question_id, digest)
    with _features_lock:
        features = _features.get(key)
    if features is None and texts:
        features = classifier.vectorise(rows)
        with _features_lock:
            _features[key] = features
            while len(_features) > FEATURES_KEPT:
                _features.popitem(last=False)
    return classifier.sort_texts(texts, labels, threshold=threshold, propose=PROPOSALS, seed=question_id,
                                 features=features, descriptions=descriptions)
