"""The job description and person specification as one typed model.

The importer's readers produce it; the services turn it into database rows and read it back
(`jdtool.services.documents.document_of`); the Word builders, `show --json` and the editor work
from it; the content hash of an approved version is taken over its canonical form
(`JobDocument.content_hash`). Nothing here knows about Flask or SQLAlchemy.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

#: The version of `JobDocument.canonical_json`; change it only with a migration that re-hashes
#: every approved version (see migrations/versions, "content hash over the document model").
CANONICAL_FORMAT = 2

PRIORITIES = ("essential", "desirable")

#: Assessment method codes, in the order the person-spec table shows them.
METHOD_CODES = ("application", "interview", "references", "task", "observation", "certificates")

METHOD_LABELS = {
    "application": "Application form",
    "interview": "Interview",
    "references": "References",
    "task": "Task / test",
    "observation": "Observation",
    "certificates": "Certificates",
}


@dataclass
class Criterion:
    text: str
    #: "essential", "desirable" or None when the source does not say.
    priority: str | None = None
    methods: list[str] = field(default_factory=list)


@dataclass
class Category:
    name: str
    #: Name of the enclosing category for a sub-group such as "Compassion", else None.
    parent: str | None = None
    criteria: list[Criterion] = field(default_factory=list)


@dataclass
class PersonSpec:
    categories: list[Category] = field(default_factory=list)

    def criteria(self) -> list[Criterion]:
        return [criterion for category in self.categories for criterion in category.criteria]


@dataclass
class DutySection:
    heading: str
    duties: list[str] = field(default_factory=list)


@dataclass
class ExtraSection:
    heading: str
    paragraphs: list[str] = field(default_factory=list)


@dataclass
class Salary:
    min: float | None = None
    max: float | None = None
    #: "fte" (full-time equivalent), "actual" or "hourly".
    basis: str | None = None
    text: str | None = None


@dataclass
class Finding:
    """A decision the importer made where the source left room for doubt, for a person to check."""

    message: str
    #: The source text the decision was about (shortened).
    source: str = ""
    #: Which stage decided: "headings", "sections", "tables", "fields" or "prompts".
    stage: str = "sections"
    #: "low" or "medium": how sure the importer was.
    confidence: str = "medium"
    #: The other reading, when there was one.
    alternative: str | None = None
    #: True when the import should be reviewed before its text is trusted.
    matters: bool = True

    def to_dict(self) -> dict[str, Any]:
        return {
            "stage": self.stage,
            "message": self.message,
            "source": self.source,
            "confidence": self.confidence,
            "alternative": self.alternative,
            "matters": self.matters,
        }


@dataclass
class JobDocument:
    title: str | None = None
    organisation: str | None = None
    school: str | None = None
    location: str | None = None
    grade: str | None = None
    salary: Salary = field(default_factory=Salary)
    hours_per_week: float | None = None
    weeks_per_year: float | None = None
    inset_days: int | None = None
    contract: str | None = None
    contract_end: str | None = None
    reports_to: str | None = None
    key_relationships: str | None = None
    department: str | None = None
    section: str | None = None
    job_number: str | None = None
    date: str | None = None
    purpose: str | None = None
    sections: list[DutySection] = field(default_factory=list)
    statements: list[str] = field(default_factory=list)
    extra_sections: list[ExtraSection] = field(default_factory=list)
    person_spec: PersonSpec | None = None
    signatories: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    #: Decisions made where the source was unclear; see `needs_review`.
    findings: list[Finding] = field(default_factory=list)
    #: Where each source block (paragraph or table row, in order) went: "duty section",
    #: "criterion", "header field", "ignored: <why>"…; None for one that went nowhere.
    placements: list[str | None] = field(default_factory=list)
    #: How many job-description landmarks the reader met: a known heading, a labelled header
    #: field, a person-spec table, a signature line. None at all means the file is not a JD.
    landmarks: int = 0

    def duties(self) -> list[str]:
        return [duty for section in self.sections for duty in section.duties]

    @property
    def needs_review(self) -> bool:
        """True when a finding that matters should be checked by a person first."""
        return any(finding.matters for finding in self.findings)

    def criteria(self) -> list[Criterion]:
        return self.person_spec.criteria() if self.person_spec else []

    def has_criteria(self) -> bool:
        """Whether any criterion has been read (without listing them all)."""
        return self.person_spec is not None and any(
            category.criteria for category in self.person_spec.categories
        )

    def canonical_json(self) -> str:
        """The document's content as one canonical JSON text: what a reader of the document
        sees, in a fixed form (sorted keys, no spaces), and nothing of record keeping."""
        content = {"format": CANONICAL_FORMAT, **self.to_dict()}
        return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))

    def content_hash(self) -> str:
        """SHA-256 of `canonical_json`: what an approval fixes and `jdtool verify` checks."""
        return hashlib.sha256(self.canonical_json().encode("utf-8")).hexdigest()

    def to_dict(self) -> dict[str, Any]:
        """Return the `jdtool show --json` shape of the content (no id or record keeping)."""
        return {
            "title": self.title,
            "organisation": self.organisation,
            "school": self.school,
            "location": self.location,
            "grade": self.grade,
            "salary": {
                "min": self.salary.min,
                "max": self.salary.max,
                "basis": self.salary.basis,
                "text": self.salary.text,
            },
            "hours_per_week": self.hours_per_week,
            "weeks_per_year": self.weeks_per_year,
            "contract": self.contract,
            "reports_to": self.reports_to,
            "purpose": self.purpose,
            "sections": [
                {"heading": section.heading, "duties": list(section.duties)}
                for section in self.sections
            ],
            "statements": list(self.statements),
            "person_spec": (
                {
                    "categories": [
                        {
                            "name": category.name,
                            "parent": category.parent,
                            "criteria": [
                                {
                                    "text": criterion.text,
                                    "priority": criterion.priority,
                                    "methods": list(criterion.methods),
                                }
                                for criterion in category.criteria
                            ],
                        }
                        for category in self.person_spec.categories
                    ]
                }
                if self.person_spec
                else None
            ),
            "signatories": list(self.signatories),
            "inset_days": self.inset_days,
            "contract_end": self.contract_end,
            "key_relationships": self.key_relationships,
            "department": self.department,
            "section": self.section,
            "job_number": self.job_number,
            "date": self.date,
            "extra_sections": [
                {"heading": extra.heading, "paragraphs": list(extra.paragraphs)}
                for extra in self.extra_sections
            ],
        }
