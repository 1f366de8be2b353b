"""Factories for test data that later stages start from."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session

from jdtool.models import JobDescription
from jdtool.services.documents import accept_review, import_document


def import_reviewed(session: Session, path: Path) -> JobDescription:
    """Import a document and, where the import asks for review, accept it as HR would after
    reading its findings: the starting point of every test about what happens after import."""
    job_description = import_document(session, path.name, path.read_bytes())
    if job_description.current.needs_review:
        accept_review(session, job_description.id)
    return job_description
