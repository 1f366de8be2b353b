"""ORM models, by concern."""

from .audit import AUDIT_ACTIONS, AuditEvent
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
from .equal_opportunities import EO_QUESTIONS, EqualOpportunitiesAnswer
from .exports import AdvertDetails, OrganisationLogo, SignedCopy
from .library import Clause, ClauseMerge, ClauseMergeMember
from .people import SignInFailure, User
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
    "AUDIT_ACTIONS",
    "AuditEvent",
    "AdvertDetails",
    "Applicant",
    "Application",
    "ApplicationFile",
    "AssessmentMethod",
    "Clause",
    "ClauseMerge",
    "ClauseMergeMember",
    "ConflictDeclaration",
    "ConsensusScore",
    "Criterion",
    "CriterionMethod",
    "Decision",
    "DecisionCriterion",
    "Duty",
    "EO_QUESTIONS",
    "EqualOpportunitiesAnswer",
    "DutySection",
    "ExtraSection",
    "GateOverride",
    "JobDescription",
    "JobDescriptionVersion",
    "Organisation",
    "OrganisationLogo",
    "PanelMember",
    "PersonSpecCategory",
    "School",
    "Score",
    "ScoreSheet",
    "Signatory",
    "SignedCopy",
    "SignInFailure",
    "Statement",
    "User",
    "Vacancy",
]
