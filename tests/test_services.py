"""Services on a real database: storing imports, versions, constraints."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from jdtool.errors import Forbidden
from jdtool.importing import UnreadableDocument
from jdtool.models import Criterion, CriterionMethod, Duty, JobDescription
from jdtool.services.approval import approve_job_description
from jdtool.services.documents import (
    content_hash,
    import_document,
    list_job_descriptions,
    version_dict,
)
from jdtool.services.users import authenticate


def test_import_stores_ordered_duties_and_criteria(session, import_seed):
    job_description = import_seed("000")
    version = job_description.current
    assert version.status == "draft"
    assert [duty.text for duty in version.duties()][33] == [d.text for d in version.duties()][37]
    assert len(version.criteria()) == 22
    assert version.criteria()[0].methods == ["interview"]
    compassion = version.categories[1]
    assert (compassion.name, compassion.parent.name[:23]) == (
        "Compassion",
        "VALUES-BASED BEHAVIOURS",
    )


def test_unknown_priority_is_stored_as_unknown_not_essential(create_job_description):
    categories = [("Knowledge", [("First aid training", None, []), ("Good literacy", None, [])])]
    version = create_job_description(categories=categories).current
    assert {criterion.priority for criterion in version.criteria()} == {"unknown"}
    assert version_dict(version)["person_spec"]["categories"][0]["criteria"][0]["priority"] is None


def test_unreadable_file_stores_nothing(session):
    with pytest.raises(UnreadableDocument):
        import_document(session, "broken.docx", b"PK\x03\x04 truncated")
    assert session.scalar(select(func.count(JobDescription.id))) == 0


def test_database_refuses_duplicate_positions(session, seed_document):
    version = seed_document("004").current
    section = version.duty_sections[0]
    session.add(Duty(section_id=section.id, position=1, text="A second duty number one"))
    with pytest.raises(IntegrityError):
        session.flush()


def test_database_refuses_an_unknown_priority(session, seed_document):
    criterion = seed_document("003").current.criteria()[0]
    criterion.priority = "nice to have"
    with pytest.raises(IntegrityError):
        session.flush()


def test_database_refuses_an_unknown_assessment_method(session, seed_document):
    criterion = seed_document("000").current.criteria()[0]
    session.add(
        CriterionMethod(criterion_id=criterion.id, method_code="astrology", method_position=9)
    )
    with pytest.raises(IntegrityError):
        session.flush()


def test_approve_sets_a_hash_of_the_content(session, seed_document):
    job_description = seed_document("001")
    version = approve_job_description(session, job_description.id)
    assert version.status == "approved"
    assert version.content_hash == content_hash(version)
    with pytest.raises(Forbidden, match="already approved"):
        approve_job_description(session, job_description.id)


def test_content_hash_changes_with_the_content(seed_document):
    version = seed_document("004").current
    before = content_hash(version)
    version.duty_sections[0].duties[0].text += " (amended)"
    assert content_hash(version) != before


def test_search_by_title_school_and_trust(seed_document, session):
    for seed_id in ("000", "001", "003"):
        seed_document(seed_id)
    assert [v.title for v in list_job_descriptions(session, "charing")] == ["1:1 TA"]
    assert [v.title for v in list_job_descriptions(session, "westcountry")] == [
        "SEN Teaching Assistant (1:1 Support) – Fixed Term"
    ]
    assert len(list_job_descriptions(session, "learning support")) == 1
    assert len(list_job_descriptions(session)) == 3


def test_passwords_are_argon2_hashed(create_user, session):
    user = create_user(password="correct horse battery")
    assert user.password_hash.startswith("$argon2")
    assert authenticate(session, "HR@example.org", "correct horse battery") == user
    assert authenticate(session, "hr@example.org", "wrong password here") is None
    assert authenticate(session, "nobody@example.org", "correct horse battery") is None


def test_criteria_method_rows_reference_real_methods(seed_document, session):
    seed_document("000")
    codes = set(session.scalars(select(CriterionMethod.method_code)))
    assert codes == {"application", "interview"}
    assert session.scalar(select(func.count(Criterion.id))) == 22
