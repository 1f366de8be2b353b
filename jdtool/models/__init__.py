"""ORM models, by concern."""

from .documents import (
    Duty,
    DutySection,
    ExtraSection,
    JobDescription,
    JobDescriptionVersion,
    Organisation,
    School,
    Signatory,
    Statement,
)
from .library import Clause, ClauseMerge, ClauseMergeMember
from .people import User
from .person_specs import AssessmentMethod, Criterion, CriterionMethod, PersonSpecCategory

__all__ = [
    "AssessmentMethod",
    "Clause",
    "ClauseMerge",
    "ClauseMergeMember",
    "Criterion",
    "CriterionMethod",
    "Duty",
    "DutySection",
    "ExtraSection",
    "JobDescription",
    "JobDescriptionVersion",
    "Organisation",
    "PersonSpecCategory",
    "School",
    "Signatory",
    "Statement",
    "User",
]
