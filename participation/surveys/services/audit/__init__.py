"""The privacy audit: plays the attacker against everything one role can see of a round (DESIGN.md, "Privacy and
trust"). `participation audit ROUND_ID` and the office's page "Datenschutzprüfung" show its report.

The audit runs in three steps, one module each:

* `collect` – everything a role (the office, one centre's staff, the public) sees of a round, read through the same
  services the pages, exports and PDFs use, turned into figures: a measure summed over a set of cells.
* `model` and `solver` – per question and per theme run one integer program (`model`); `solver.solve` finds the
  least and largest value the figures allow for every value of a small group, and judges it: a value pinned is a
  finding, one narrowed to two neighbouring values or pinned because a whole published group answered alike a warning.
* `report` – `audit_round` runs the steps for one round and role and returns an `AuditReport` with the findings,
  warnings, notes and the information loss; `report_text` is the report for the command line.

The names importers use are re-exported here.
"""

from participation.surveys.services.audit.collect import (
    CENTRE,
    OFFICE,
    PUBLIC,
    AuditError,
    Role,
    collect,
    parse_role,
    question_model,
    question_values,
    role_label,
)
from participation.surveys.services.audit.model import (
    ALIKE,
    FINDING,
    MISMATCH,
    NARROWED,
    PINNED,
    SMALL_FIGURE,
    SUM,
    TEXTS,
    THEME,
    WARNING,
    Figure,
    Issue,
    Measure,
    N,
    Names,
    Progress,
    QuestionModel,
    RunModel,
    Solution,
    theme_measure,
)
from participation.surveys.services.audit.report import (
    AuditReport,
    InformationLoss,
    audit_round,
    information_loss,
    interval_text,
    percent_text,
    report_text,
)
from participation.surveys.services.audit.solver import NUMBER_NARROW_WIDTH, NUMBER_PIN_WIDTH, solve

__all__ = [
    "ALIKE",
    "CENTRE",
    "FINDING",
    "MISMATCH",
    "NARROWED",
    "NUMBER_NARROW_WIDTH",
    "NUMBER_PIN_WIDTH",
    "OFFICE",
    "PINNED",
    "PUBLIC",
    "SMALL_FIGURE",
    "SUM",
    "TEXTS",
    "THEME",
    "WARNING",
    "AuditError",
    "AuditReport",
    "Figure",
    "InformationLoss",
    "Issue",
    "Measure",
    "N",
    "Names",
    "Progress",
    "QuestionModel",
    "Role",
    "RunModel",
    "Solution",
    "audit_round",
    "collect",
    "information_loss",
    "interval_text",
    "parse_role",
    "percent_text",
    "question_model",
    "question_values",
    "report_text",
    "role_label",
    "solve",
    "theme_measure",
]
