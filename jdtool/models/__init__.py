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
from .exports import AdvertDetails, OrganisationLogo, SignedCopy
from .people import User
from .person_specs import AssessmentMethod, Criterion, CriterionMethod, PersonSpecCategory

__all__ = [
    "AdvertDetails",
    "OrganisationLogo",
    "SignedCopy",
    "AssessmentMethod",
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
