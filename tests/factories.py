"""Factories for test data that later stages start from.

`create_job_description` builds a job description and its person spec in code and stores it the
way the app stores a reviewed import; `create_seed_document` does the same with a seed's
hand-checked expected JSON. So recruitment, export and web tests do not depend on how the importer
reads a seed file. Only import tests (and tests whose point is importing a file end to end) use
`import_reviewed`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from jdtool.document import (
    Category,
    Criterion,
    DutySection,
    ExtraSection,
    JobDocument,
    PersonSpec,
    Salary,
)
from jdtool.models import JobDescription
from jdtool.services.approval import approve_job_description
from jdtool.services.documents import (
    accept_review,
    add_job_description,
    import_document,
)

SEEDS = Path(__file__).resolve().parent.parent / "seed_jds"

#: (text, priority, assessment method codes)
CriterionRow = tuple[str, str | None, Sequence[str]]
#: (category name, criteria) or (category name, criteria, parent category name)
CategoryRows = tuple[str, Sequence[CriterionRow]] | tuple[str, Sequence[CriterionRow], str | None]


def import_reviewed(session: Session, path: Path) -> JobDescription:
    """Import a document and, where the import asks for review, accept it as HR would after
    reading its findings: the starting point of tests about importing a file end to end."""
    job_description = import_document(session, path.name, path.read_bytes())
    if job_description.current.needs_review:
        accept_review(session, job_description.id)
    return job_description


def create_job_description(
    session: Session,
    *,
    title: str = "Teaching Assistant",
    sections: Sequence[tuple[str, Sequence[str]]] = (
        ("Duties and Responsibilities", ["Support pupils' learning in class."]),
    ),
    categories: Sequence[CategoryRows] | None = (
        ("Experience", [("Experience of working with children", "essential", ["interview"])]),
    ),
    statements: Sequence[str] = (),
    extra_sections: Sequence[tuple[str, Sequence[str]]] = (),
    signatories: Sequence[str] = (),
    salary: Salary | None = None,
    approve: bool = False,
    source_filename: str | None = None,
    **fields,
) -> JobDescription:
    """A job description built in code (no importer), stored as version 1 with its text linked
    into the clause library, as a reviewed import is; approved when `approve` is true.

    `categories=None` means the document has no person spec at all. Other keyword arguments set
    `JobDocument` fields (`organisation`, `school`, `grade`, `hours_per_week`, `purpose`,
    `warnings`, ...); given `findings` that matter, the document waits for review instead, as an
    import with them does.
    """
    document = JobDocument(
        title=title,
        salary=salary or Salary(),
        sections=[DutySection(heading, list(duties)) for heading, duties in sections],
        statements=list(statements),
        extra_sections=[
            ExtraSection(heading, list(paragraphs)) for heading, paragraphs in extra_sections
        ],
        signatories=list(signatories),
        person_spec=None if categories is None else person_spec(categories),
        **fields,
    )
    job_description = add_job_description(session, document, source_filename=source_filename)
    if approve and any(c.priority is None for c in document.criteria()):
        approve_as_before_unknown_priorities_blocked(session, job_description)
    elif approve:
        approve_job_description(session, job_description.id)
    session.flush()
    return job_description


def approve_as_before_unknown_priorities_blocked(
    session: Session, job_description: JobDescription
) -> None:
    """Mark version 1 approved the way versions were before a criterion with E/D unknown
    blocked approval: such approved versions exist in schools' databases, and exports must
    still show their "?" marks. (Approving one now is refused; see tests/test_approve_web.py.)"""
    from jdtool.models.people import utcnow
    from jdtool.services.documents import content_hash

    version = job_description.current
    version.content_hash = content_hash(version)
    version.status = "approved"
    version.approved_at = utcnow()
    session.flush()


def person_spec(categories: Sequence[CategoryRows]) -> PersonSpec:
    """A person spec from (name, [(text, priority, methods)], parent?) rows."""
    spec = PersonSpec()
    for name, criteria, *parent in categories:
        spec.categories.append(
            Category(
                name=name,
                parent=parent[0] if parent else None,
                criteria=[
                    Criterion(text, priority, list(methods)) for text, priority, methods in criteria
                ],
            )
        )
    return spec


VALUES = "Values-based behaviours"

#: A 1:1 SEN teaching assistant's person spec: 22 criteria, of which 8 are scored on the
#: application form (shortlisting) and 15 at interview; criterion 15 is assessed at both.
TEACHING_ASSISTANT_SPEC: list[CategoryRows] = [
    (VALUES, []),
    (
        "Compassion",
        [("Recognises need in others and acts to promote well-being", "essential", ["interview"])],
        VALUES,
    ),
    (
        "Aspiration",
        [
            (
                "Works to high expectations, modelling high-quality outcomes",
                "essential",
                ["interview"],
            ),
            (
                "Shows persistence and resilience in seeking creative solutions",
                "essential",
                ["interview"],
            ),
        ],
        VALUES,
    ),
    (
        "Integrity",
        [
            (
                "Acts always in the interests of children and young people",
                "essential",
                ["interview"],
            ),
            ("Adheres to strong moral and ethical principles", "essential", ["interview"]),
            ("Communicates with transparency and respect", "essential", ["interview"]),
        ],
        VALUES,
    ),
    (
        "Collaboration",
        [("Works effectively across boundaries in an inclusive way", "essential", ["interview"])],
        VALUES,
    ),
    (
        "Qualifications",
        [
            ("Has at least a Grade C in English and Maths", "essential", ["application"]),
            ("Holds at least NVQ 2 or equivalent accreditation", "desirable", ["application"]),
            ("Has some experience of working with children as a TA", "essential", ["application"]),
            ("Has high expectations of learning for all children", "essential", ["interview"]),
            ("Has proven experience of working in a team", "essential", ["interview"]),
            ("An awareness of current educational thinking and trends", "essential", ["interview"]),
            ("Experience of delivering group work", "desirable", ["interview"]),
        ],
    ),
    (
        "Experience",
        [
            (
                "Has some experience of working with SEN children as a TA",
                "essential",
                ["application", "interview"],
            ),
            (
                "Has proven experience of working collaboratively with colleagues",
                "essential",
                ["application"],
            ),
            ("Knows how pupils' progress is assessed", "essential", ["interview"]),
            ("Experience of running intervention groups", "desirable", ["interview"]),
        ],
    ),
    (
        "Knowledge, skills and abilities",
        [
            ("Sets high expectations of behaviour", "essential", ["application"]),
            (
                "Knowledge of specific SEN conditions (e.g. autism, ADHD)",
                "desirable",
                ["application"],
            ),
            (
                "Understanding of child development and inclusive practice",
                "essential",
                ["interview"],
            ),
        ],
    ),
    (
        "Further requirements",
        [("Commitment to equality, inclusion and safeguarding", "essential", ["application"])],
    ),
]


def create_teaching_assistant(session: Session, *, approve: bool = True) -> JobDescription:
    """The 1:1 SEN teaching assistant JD that recruitment rounds are run on."""
    return create_job_description(
        session,
        title="SEN Teaching Assistant (1:1 Support)",
        organisation="Westcountry Schools Trust",
        grade="Grade C5-7",
        salary=Salary(25583.0, 26403.0, "fte", "Grade C5-7, £25,583 - £26,403 FTE"),
        hours_per_week=31.67,
        weeks_per_year=38.0,
        inset_days=2,
        reports_to="The SENDCO",
        purpose="To support pupils with special educational needs so they can access learning.",
        sections=[
            (
                "Duties and Responsibilities",
                [
                    "Ensure all pupils' safety and welfare.",
                    "Promote the inclusion and acceptance of all pupils.",
                ],
            ),
            (
                "Support for the Teacher",
                ["Work with teachers to plan and deliver learning activities."],
            ),
        ],
        categories=TEACHING_ASSISTANT_SPEC,
        approve=approve,
    )


def create_learning_support_assistant(
    session: Session, *, approve: bool = True, school: str | None = None
) -> JobDescription:
    """A part-time, fixed-term JD with full-time-equivalent salary figures and no organisation
    named: what adverts work out the actual salary from. Its criteria name no assessment
    method."""
    return create_job_description(
        session,
        title="SEN (1:1) Learning Support Assistant",
        school=school,
        grade="Grade 3",
        salary=Salary(25185.0, 28142.0, "fte", "Grade 3 £25,185 - £28,142 pro-rata"),
        hours_per_week=20.0,
        weeks_per_year=38.0,
        contract="Fixed term until 31 August 2026 in the first instance",
        contract_end="2026-08-31",
        reports_to="Class Teacher, SENCO",
        purpose="To support a pupil with special educational needs throughout the school day.",
        sections=[
            ("Principal Accountabilities", ["Support the pupil to take part in lessons."]),
            ("Duties", ["Keep records of the pupil's progress.", "Attend review meetings."]),
        ],
        categories=[
            (
                "Experience",
                [
                    ("Experience of working with children with SEN", "essential", []),
                    ("Experience of working in a school", "desirable", []),
                ],
            ),
            (
                "Education and training",
                [("Good standard of literacy and numeracy", "essential", [])],
            ),
        ],
        statements=["The postholder is responsible for safeguarding the pupils in their care."],
        approve=approve,
    )


def create_class_teaching_assistant(session: Session, *, approve: bool = True) -> JobDescription:
    """A JD with a school and its trust but no salary figures, and criteria without methods."""
    return create_job_description(
        session,
        title="1:1 TA",
        organisation="The Diocese of Canterbury Academies Trust",
        school="Charing",
        grade="APLb",
        reports_to="Headteacher/SENCO",
        sections=[
            ("Supporting the pupil", ["Support the pupil's personal care."]),
            ("Health and safety", ["Follow the school's health and safety policy."]),
        ],
        categories=[
            (
                "Qualifications and training",
                [("GCSE English and Maths at grade 4", "essential", [])],
            ),
            ("Personal qualities", [("Patience and a sense of humour", "essential", [])]),
        ],
        statements=["This job description may be amended after consultation."],
        approve=approve,
    )


def create_seed_document(
    session: Session, seed_id: str, *, approve: bool = False, advertised: bool = False
) -> JobDescription:
    """A seed's hand-checked content (its `.expected.json`), stored without reading the seed file:
    a real school's full-length document for tests that need one (rendering, page layout).

    `advertised`: what HR adds before advertising where the seed has none — the school, and pay
    as a full-time-equivalent range with hours and weeks (an advert names both)."""
    [path] = SEEDS.glob(f"{seed_id}_*.expected.json")
    content = json.loads(path.read_text(encoding="utf-8"))
    if advertised:
        if not (content["organisation"] or content["school"]):
            content["school"] = "Oak Primary School"
        if content["salary"]["min"] is None and not content["salary"]["text"]:
            content["salary"] = {"min": 24790.0, "max": 25183.0, "basis": "fte", "text": None}
            content["hours_per_week"] = content["hours_per_week"] or 32.5
            content["weeks_per_year"] = content["weeks_per_year"] or 39.0
    return create_job_description(
        session, **document_options(content), approve=approve, source_filename=f"{seed_id}.docx"
    )


def document_options(content: dict[str, Any]) -> dict[str, Any]:
    """`create_job_description` keyword arguments from the `jdtool show --json` shape."""
    options = {key: value for key, value in content.items() if key not in SHAPED_KEYS}
    spec = content["person_spec"]
    return {
        **options,
        "salary": Salary(**content["salary"]),
        "sections": [(section["heading"], section["duties"]) for section in content["sections"]],
        "categories": None
        if spec is None
        else [
            (
                category["name"],
                [
                    (criterion["text"], criterion["priority"], criterion["methods"])
                    for criterion in category["criteria"]
                ],
                category["parent"],
            )
            for category in spec["categories"]
        ],
        "extra_sections": [
            (extra["heading"], extra["paragraphs"]) for extra in content["extra_sections"]
        ],
    }


SHAPED_KEYS = ("salary", "sections", "person_spec", "extra_sections")
