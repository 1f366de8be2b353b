"""ORM models, by concern."""

from .audit import AUDIT_ACTIONS, AuditEvent
from .documents import (
    Duty,
    DutySection,
    ExtraSection,
    JobDescription,
    JobDescriptionVersion,
    Organisation,
    Signatory,
    Statement,
)
from .equal_opportunities import EO_QUESTIONS, EqualOpportunitiesAnswer
from .exports import AdvertDetails, OrganisationLogo, SignedCopy
from .interview import InterviewQuestion, InterviewQuestionCriterion, InterviewQuestionGuidance
from .library import Clause, ClauseMerge, ClauseMergeMember, KeptDuplicate
from .people import SignInFailure, User
from .person_specs import AssessmentMethod, Criterion, CriterionMethod, PersonSpecCategory
from .recruitment import (
    Applicant,
    Application,
    ApplicationFile,
    ChangeCounter,
    ConflictDeclaration,
    ConsensusScore,
    Decision,
    DecisionCriterion,
    GateOverride,
    PanelMember,
    Score,
    ScoreDraft,
    ScoreSheet,
    Vacancy,
)

__all__ = [
    "AUDIT_ACTIONS",
    "AuditEvent",
    "AdvertDetails",
    "Applicant",
    "Application",
    "ChangeCounter",
    "ApplicationFile",
    "AssessmentMethod",
    "Clause",
    "ClauseMerge",
    "ClauseMergeMember",
    "KeptDuplicate",
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
    "InterviewQuestion",
    "InterviewQuestionCriterion",
    "InterviewQuestionGuidance",
    "JobDescription",
    "JobDescriptionVersion",
    "Organisation",
    "OrganisationLogo",
    "PanelMember",
    "PersonSpecCategory",
    "Score",
    "ScoreDraft",
    "ScoreSheet",
    "Signatory",
    "SignedCopy",
    "SignInFailure",
    "Statement",
    "User",
    "Vacancy",
]
