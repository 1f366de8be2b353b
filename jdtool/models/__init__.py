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
from .people import User
from .person_specs import AssessmentMethod, Criterion, CriterionMethod, PersonSpecCategory
from .recruitment import (
    Applicant,
    Application,
    ApplicationFile,
    ConflictDeclaration,
    ConsensusScore,
    Decision,
    DecisionCriterion,
    GateOverride,
    PanelMember,
    Score,
    ScoreSheet,
    Vacancy,
)

__all__ = [
    "Applicant",
    "Application",
    "ApplicationFile",
    "ConflictDeclaration",
    "ConsensusScore",
    "Decision",
    "DecisionCriterion",
    "GateOverride",
    "PanelMember",
    "Score",
    "ScoreSheet",
    "Vacancy",
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
