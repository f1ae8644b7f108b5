"""Survey controllers, by audience: the office's editor, the parents' form, results, and the JSON API."""

from participation.surveys.controllers.api import API_CONTROLLERS
from participation.surveys.controllers.audit import AUDIT_CONTROLLERS
from participation.surveys.controllers.categories import CATEGORY_CONTROLLERS
from participation.surveys.controllers.office import OFFICE_CONTROLLERS
from participation.surveys.controllers.paper import PAPER_CONTROLLERS
from participation.surveys.controllers.paper_entry import PAPER_ENTRY_CONTROLLERS
from participation.surveys.controllers.parents import PARENT_CONTROLLERS
from participation.surveys.controllers.results import RESULT_CONTROLLERS

SURVEY_CONTROLLERS = [*OFFICE_CONTROLLERS, *PARENT_CONTROLLERS, *RESULT_CONTROLLERS, *API_CONTROLLERS,
                      *AUDIT_CONTROLLERS, *CATEGORY_CONTROLLERS, *PAPER_CONTROLLERS,
                      *PAPER_ENTRY_CONTROLLERS]
