"""Content hash over the document model: re-hash every approved version.

The content hash used to be taken over the `jdtool show --json` presentation (less its record
keeping: ID, version, status and the like). It is now taken over the canonical form of the document model,
`jdtool.document.JobDocument.canonical_json` (format 2). Each approved version whose recorded
hash still matches its content under the old form gets the new hash, so `jdtool verify` stays
clean; a version that no longer matched keeps its old hash and is still reported.

The canonical form is written out here rather than imported, so this migration gives the same
result whatever the model becomes later.

Revision ID: 0012
Revises: 0011
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def _rows(connection, sql: str, **params) -> list[Any]:
    return list(connection.execute(sa.text(sql), params))


def _content(connection, version) -> dict[str, Any]:
    """The version's document in the `to_dict` shape of format 2 (and of the old form)."""
    names = dict(_rows(connection, "SELECT id, name FROM organisations"))
    schools = dict(_rows(connection, "SELECT id, name FROM schools"))
    sections = []
    for section in _rows(
        connection,
        "SELECT id, heading FROM duty_sections WHERE version_id = :v ORDER BY position",
        v=version.id,
    ):
        duties = _rows(
            connection,
            "SELECT text FROM duties WHERE section_id = :s ORDER BY position",
            s=section.id,
        )
        sections.append({"heading": section.heading, "duties": [d.text for d in duties]})
    person_spec = None
    if version.has_person_spec:
        categories = _rows(
            connection,
            "SELECT id, name, parent_id FROM person_spec_categories WHERE version_id = :v "
            "ORDER BY position",
            v=version.id,
        )
        category_names = {category.id: category.name for category in categories}
        listed = []
        for category in categories:
            criteria = []
            for criterion in _rows(
                connection,
                "SELECT id, text, priority FROM criteria WHERE category_id = :c ORDER BY position",
                c=category.id,
            ):
                methods = _rows(
                    connection,
                    "SELECT method_code FROM criterion_methods WHERE criterion_id = :c "
                    "ORDER BY method_position",
                    c=criterion.id,
                )
                criteria.append(
                    {
                        "text": criterion.text,
                        "priority": None if criterion.priority == "unknown" else criterion.priority,
                        "methods": [m.method_code for m in methods],
                    }
                )
            listed.append(
                {
                    "name": category.name,
                    "parent": category_names.get(category.parent_id),
                    "criteria": criteria,
                }
            )
        person_spec = {"categories": listed}
    contract_end = version.contract_end
    if contract_end is not None and not isinstance(contract_end, str):
        contract_end = contract_end.isoformat()
    return {
        "title": version.title,
        "organisation": names.get(version.organisation_id),
        "school": schools.get(version.school_id),
        "location": version.location,
        "grade": version.grade,
        "salary": {
            "min": version.salary_min,
            "max": version.salary_max,
            "basis": version.salary_basis,
            "text": version.salary_text,
        },
        "hours_per_week": version.hours_per_week,
        "weeks_per_year": version.weeks_per_year,
        "contract": version.contract,
        "reports_to": version.reports_to,
        "purpose": version.purpose,
        "sections": sections,
        "statements": [
            s.text
            for s in _rows(
                connection,
                "SELECT text FROM statements WHERE version_id = :v ORDER BY position",
                v=version.id,
            )
        ],
        "person_spec": person_spec,
        "signatories": [
            s.role
            for s in _rows(
                connection,
                "SELECT role FROM signatories WHERE version_id = :v ORDER BY position",
                v=version.id,
            )
        ],
        "inset_days": version.inset_days,
        "contract_end": contract_end,
        "key_relationships": version.key_relationships,
        "department": version.department,
        "section": version.section,
        "job_number": version.job_number,
        "date": version.document_date,
        "extra_sections": [
            {"heading": e.heading, "paragraphs": e.body.split("\n\n") if e.body else []}
            for e in _rows(
                connection,
                "SELECT heading, body FROM extra_sections WHERE version_id = :v ORDER BY position",
                v=version.id,
            )
        ],
    }


def _digest(content: dict[str, Any]) -> str:
    text = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _rehash(old_form, new_form) -> None:
    connection = op.get_bind()
    for version in _rows(
        connection,
        "SELECT * FROM job_description_versions WHERE status = 'approved' ORDER BY id",
    ):
        content = _content(connection, version)
        if _digest(old_form(version, content)) == version.content_hash:
            connection.execute(
                sa.text("UPDATE job_description_versions SET content_hash = :h WHERE id = :i"),
                {"h": _digest(new_form(version, content)), "i": version.id},
            )


def _presentation(version, content: dict[str, Any]) -> dict[str, Any]:
    """The old form: `show --json` without its record keeping (the ID included)."""
    return dict(content)


def _format_2(version, content: dict[str, Any]) -> dict[str, Any]:
    return {"format": 2, **content}


def upgrade() -> None:
    _rehash(_presentation, _format_2)


def downgrade() -> None:
    _rehash(_format_2, _presentation)
