"""Piccolo tables of surveys and responses.

Texts a parent reads are stored per language in JSON columns (`texts`): {"de": …, "en": …}. German is required;
another language is offered to parents only when every text of the survey has it.

Responses are anonymous by construction: no address, no browser data, no time beyond the day, no account, and no
link to the invitation code that was used.
"""

from piccolo.columns import (
    JSON,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Integer,
    OnDelete,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from participation.accounts.tables import User
from participation.dialogues.tables import Round, Topic
from participation.directory.tables import Centre, District


class Survey(Table, tablename="survey"):
    """The survey that prepares one round's session."""

    round = ForeignKey(references=Round, on_delete=OnDelete.restrict, null=False, unique=True)
    #: {"de": {"title": …, "intro": …}, "en": {…}}
    texts = JSON(default={})
    published = Boolean(default=False)
    opens_at = Timestamptz(null=True, default=None)
    closes_at = Timestamptz(null=True, default=None)
    published_at = Timestamptz(null=True, default=None)
    uses_codes = Boolean(default=False)
    created_at = Timestamptz(default=TimestamptzNow())
    #: Raised by every change to the survey's definition (texts, sections, questions, options, translations, dates),
    #: so each app process can keep a published definition and check with one cheap read that it is still current.
    definition_version = Integer(default=1)


class Section(Table, tablename="survey_section"):
    """A page of the survey, usually one topic."""

    survey = ForeignKey(references=Survey, on_delete=OnDelete.cascade, null=False)
    topic = ForeignKey(references=Topic, on_delete=OnDelete.set_null, null=True, default=None)
    position = Integer(default=0)
    #: {"de": {"title": …}, …}
    texts = JSON(default={})


class Question(Table, tablename="survey_question"):
    """A question. `key` is stable across rounds so the same question can be compared over time."""

    survey = ForeignKey(references=Survey, on_delete=OnDelete.cascade, null=False)
    section = ForeignKey(references=Section, on_delete=OnDelete.cascade, null=False)
    key = Varchar(length=60)
    kind = Varchar(length=20)  # see surveys.schemas.QuestionKind
    required = Boolean(default=False)
    position = Integer(default=0)
    min_value = Float(null=True, default=None)
    max_value = Float(null=True, default=None)
    #: A number question that asks for a count ("Wie viele Kinder …"): only whole numbers are accepted.
    whole_number = Boolean(default=False)
    allow_other = Boolean(default=False)
    #: Show only when the question with this key was answered with `condition_value`.
    condition_key = Varchar(length=60, null=True, default=None)
    condition_value = Varchar(length=60, null=True, default=None)
    #: {"de": {"text": …, "help": …, "low": …, "high": …}, …}
    texts = JSON(default={})



class Option(Table, tablename="survey_option"):
    """An answer option of a choice question; `value` is its stable code."""

    question = ForeignKey(references=Question, on_delete=OnDelete.cascade, null=False)
    value = Varchar(length=60)
    position = Integer(default=0)
    #: {"de": "Label", "en": "Label", …}
    texts = JSON(default={})



class InvitationCode(Table, tablename="invitation_code"):
    """A one-time code a centre hands to a family. Deliberately not linked to the response it allowed."""

    survey = ForeignKey(references=Survey, on_delete=OnDelete.cascade, null=False)
    centre = ForeignKey(references=Centre, on_delete=OnDelete.restrict, null=False)
    code = Varchar(length=20, unique=True)
    used = Boolean(default=False)
    created_at = Timestamptz(default=TimestamptzNow())


class Response(Table, tablename="survey_response"):
    """One family's submitted answers. Only the day is kept, never the time, address or browser."""

    survey = ForeignKey(references=Survey, on_delete=OnDelete.cascade, null=False)
    district = ForeignKey(references=District, on_delete=OnDelete.restrict, null=False)
    centre = ForeignKey(references=Centre, on_delete=OnDelete.restrict, null=True, default=None)
    language = Varchar(length=5, default="de")
    submitted_on = Date()
    #: A random id carried by the form, so a double click or a retry records one response.
    submission_id = Varchar(length=64, unique=True)
    #: How the answers came in: "online" (the parents' form) or "paper" (a paper form typed in by centre staff).
    #: Never who typed it: that is counted apart, per day, in `PaperEntryCount`.
    channel = Varchar(length=10, default="online")


class PaperEntryCount(Table, tablename="paper_entry_count"):
    """How many paper forms a staff member typed in for a survey on one day: counts only, for the office.

    Deliberately no link to the responses and nothing finer than the day, so no response can be traced to its typist.
    """

    user = ForeignKey(references=User, on_delete=OnDelete.cascade, null=False)
    survey = ForeignKey(references=Survey, on_delete=OnDelete.cascade, null=False)
    day = Date()
    forms = Integer(default=0)


class PaperDraft(Table, tablename="paper_draft"):
    """A paper form typed once and waiting for a second staff member to type it blind (double entry).

    Not a response: counted nowhere and shown in no result. Deleted when the second entry is saved, and by the
    retention job when its survey has closed or after `PAPER_DRAFT_DAYS` days (see `participation/retention`).
    """

    survey = ForeignKey(references=Survey, on_delete=OnDelete.cascade, null=False)
    centre = ForeignKey(references=Centre, on_delete=OnDelete.cascade, null=False)
    #: Who typed it first: the second entry must be someone else's.
    typed_by = ForeignKey(references=User, on_delete=OnDelete.cascade, null=False)
    created_on = Date()
    district = Varchar(length=20, default="")
    #: The raw form values as typed ({"q_key": ["value", …]}).
    answers = JSON(default={})
    #: The submission id the saved response will carry, so saving twice stores one response.
    submission_id = Varchar(length=64)


class Answer(Table, tablename="survey_answer"):
    """One answer value. A multiple-choice question has one row per chosen option."""

    response = ForeignKey(references=Response, on_delete=OnDelete.cascade, null=False)
    question = ForeignKey(references=Question, on_delete=OnDelete.cascade, null=False)
    choice = Varchar(length=60, null=True, default=None)
    number = Float(null=True, default=None)
    text = Text(null=True, default=None)
    #: Abusive free text is hidden from results, never deleted.
    hidden = Boolean(default=False)
    #: German translation of a free-text answer in another language (staff or machine), used for clustering and
    #: search instead of the original; the original is never changed.
    translation = Text(null=True, default=None)
    #: Who translated: "staff" or "machine" (a staff translation is never overwritten by a machine one).
    translated_by = Varchar(length=10, null=True, default=None)


class SurveyCounts(Table, tablename="survey_counts"):
    """A survey's answers counted per cell up to one response: kept so reading them stays cheap (see
    `surveys/services/counts.py`). Derived data: dropping a row only makes the next reader count again."""

    survey = ForeignKey(references=Survey, on_delete=OnDelete.cascade, null=False, unique=True)
    #: Random, new with every write: each process keeps its copy while the stored row carries the same token.
    token = Varchar(length=32)
    #: The questions' ids and kinds the counts were made for.
    signature = Text()
    last_response = Integer()
    #: The number of responses up to `last_response` when the counts were made.
    responses = Integer()
    counts = Text()


class ModerationEntry(Table, tablename="survey_moderation"):
    """Who hid or showed a free-text answer, and when."""

    answer = ForeignKey(references=Answer, on_delete=OnDelete.cascade, null=False)
    user = ForeignKey(references=User, on_delete=OnDelete.set_null, null=True)
    action = Varchar(length=10)  # "hide" | "show"
    at = Timestamptz(default=TimestamptzNow())


class AnalysisRun(Table, tablename="analysis_run"):
    """One clustering of free-text answers into themes: of a question or of a topic's free text, optionally one
    district. Re-running makes a new version; a version staff have edited is kept as it is."""

    survey = ForeignKey(references=Survey, on_delete=OnDelete.cascade, null=False)
    question = ForeignKey(references=Question, on_delete=OnDelete.cascade, null=True, default=None)
    section = ForeignKey(references=Section, on_delete=OnDelete.cascade, null=True, default=None)
    district = ForeignKey(references=District, on_delete=OnDelete.cascade, null=True, default=None)
    version = Integer(default=1)
    requested_k = Integer(null=True, default=None)
    status = Varchar(length=10, default="queued")  # queued | running | done | failed
    job = Integer(null=True, default=None)
    answer_count = Integer(default=0)
    #: Answers in another language without a German translation: not clustered, listed for staff to translate.
    untranslated_count = Integer(default=0)
    edited = Boolean(default=False)
    created_by = ForeignKey(references=User, on_delete=OnDelete.set_null, null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())


class Theme(Table, tablename="analysis_theme"):
    """A theme of a run. `number` -1 is "Sonstiges" (answers that fit no theme)."""

    run = ForeignKey(references=AnalysisRun, on_delete=OnDelete.cascade, null=False)
    number = Integer()
    label = Varchar(length=200)
    #: The phrase the clustering suggested as the name (from the theme's own answers).
    suggested_label = Varchar(length=200, default="")
    #: Staff named the theme or took over the suggestion; only then may it go onto an agenda or into minutes.
    confirmed = Boolean(default=False)
    terms = JSON(default=[])
    #: Answer ids of up to three representative answers.
    example_answers = JSON(default=[])
    position = Integer(default=0)
    #: The office picked this theme for the dialogue session's agenda.
    agenda_candidate = Boolean(default=False)


class ThemeAssignment(Table, tablename="analysis_assignment"):
    """Which theme an answer belongs to in a run; staff may move or exclude it."""

    run = ForeignKey(references=AnalysisRun, on_delete=OnDelete.cascade, null=False)
    answer = ForeignKey(references=Answer, on_delete=OnDelete.cascade, null=False)
    theme = ForeignKey(references=Theme, on_delete=OnDelete.cascade, null=False)
    excluded = Boolean(default=False)


# --- guided categories (a scheme per round, labels by the office, the rest sorted by a classifier) ----------------


class CategoryScheme(Table, tablename="category_scheme"):
    """A round's category scheme. Made when the office first opens it, as a copy of the previous round's scheme
    (`carried_from`), then edited on its own; the row marks that the copy was made, so an emptied scheme stays
    empty."""

    round = ForeignKey(references=Round, on_delete=OnDelete.cascade, null=False, unique=True)
    carried_from = ForeignKey(references=Round, on_delete=OnDelete.set_null, null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())


class Category(Table, tablename="category"):
    """A category of a round's scheme: a name and a description of what belongs in it."""

    scheme = ForeignKey(references=CategoryScheme, on_delete=OnDelete.cascade, null=False)
    name = Varchar(length=120)
    description = Text(default="")
    position = Integer(default=0)


class CategoryLabel(Table, tablename="category_label"):
    """The office's decision for one free-text answer: its category, or none (`category` null: "passt in keine")."""

    answer = ForeignKey(references=Answer, on_delete=OnDelete.cascade, null=False, unique=True)
    category = ForeignKey(references=Category, on_delete=OnDelete.cascade, null=True, default=None)
    labelled_by = ForeignKey(references=User, on_delete=OnDelete.set_null, null=True, default=None)
    labelled_at = Timestamptz(default=TimestamptzNow())
