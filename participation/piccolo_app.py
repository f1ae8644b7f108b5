"""The one Piccolo app: every table of every domain, migrations in the top-level `migrations/` folder."""

from piccolo.conf.apps import AppConfig

from participation.accounts.tables import User
from participation.dialogues.tables import (
    ActionItem,
    AgendaItem,
    Attendance,
    MinutesVersion,
    Poll,
    PollOption,
    PollVote,
    RenderedPdf,
    Round,
    Topic,
)
from participation.directory.tables import Centre, District, Operator
from participation.jobs import DailyRun, Job
from participation.legal.tables import LegalText
from participation.notifications.tables import Mail, SentCount, Subscription
from participation.offerings.tables import ActionFollowUp, ActionStatusChange, Offering
from participation.settings import PROJECT_ROOT
from participation.site.tables import SiteSettingsRow
from participation.surveys.tables import (
    AnalysisRun,
    Answer,
    Category,
    CategoryLabel,
    CategoryScheme,
    InvitationCode,
    ModerationEntry,
    Option,
    PaperDraft,
    PaperEntryCount,
    Question,
    Response,
    Section,
    Survey,
    SurveyCounts,
    Theme,
    ThemeAssignment,
)

APP_CONFIG = AppConfig(
    app_name="participation",
    migrations_folder_path=str(PROJECT_ROOT / "migrations"),
    # In dependency order: the tests empty them in reverse.
    table_classes=[
        SiteSettingsRow, Operator, District, Centre, User,
        Round, Topic,
        Survey, Section, Question, Option, InvitationCode, Response, Answer, ModerationEntry, SurveyCounts,
        PaperEntryCount, PaperDraft,
        Job, AnalysisRun, Theme, ThemeAssignment, CategoryScheme, Category, CategoryLabel,
        AgendaItem, Attendance, ActionItem, MinutesVersion, RenderedPdf, Poll, PollOption, PollVote,
        Offering, ActionFollowUp, ActionStatusChange,
        LegalText, DailyRun,
        Subscription, Mail, SentCount,
    ],
    migration_dependencies=[],
    commands=[],
)
