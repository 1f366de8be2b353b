"""Reviewing an import the importer was unsure about: the review page, Accept, and approval
blocked until then."""

from __future__ import annotations

import html
import re

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from jdtool.models import AuditEvent, Duty
from jdtool.services.documents import get_job_description, version_dict

from .browser_form import form_pairs, replace
from .conftest import seed_path
from .test_web import approve_form, csrf_token, sign_in

#: Seed 000 keeps a note to whoever fills in the template; the importer leaves it out and says so.
FINDING = "A note to whoever fills in the template was left out of the document."


@pytest.fixture
def imported_000(session):
    """Seed 000 imported as it comes: it needs review (`import_seed` would accept it)."""
    from jdtool.services.documents import import_document

    path = seed_path("000")
    job_description = import_document(session, path.name, path.read_bytes())
    session.commit()
    assert job_description.current.needs_review
    return job_description


@pytest.fixture
def hr(client, create_user):
    create_user()
    assert sign_in(client).status_code == 302
    return client


def page_text(response) -> str:
    text = re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))
    return html.unescape(re.sub(r"\s+", " ", text))


def current(session, job_description_id: int) -> dict:
    session.expire_all()
    return version_dict(get_job_description(session, job_description_id).current)


def unlinked_duties(session) -> int:
    session.expire_all()
    return session.scalar(select(func.count()).select_from(Duty).where(Duty.clause_id.is_(None)))


def test_an_import_that_needs_review_opens_on_the_review_page(hr, session):
    path = seed_path("000")
    response = hr.post(
        "/jds/import",
        data={
            "csrf_token": csrf_token(hr, "/jds/import"),
            "document": (path.open("rb"), path.name),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/jds/1/review"
    page = hr.get("/jds/1/review")
    text = page_text(page)
    assert "Review the import: SEN Teaching Assistant (1:1 Support)" in text
    assert "What jdtool was unsure about (1)" in text
    assert FINDING in text
    assert "Source: “Provide a summary of the postholder’s responsibility" in text
    # The editor's own page sends an import that needs review to the review page.
    assert hr.get("/jds/1/edit").headers["Location"] == "/jds/1/review"
    # Its text is not in the clause library yet.
    assert unlinked_duties(session) == 46


def test_needs_review_blocks_approval_until_accepted(hr, session, imported_000):
    job_description = imported_000
    approve_page = hr.get(f"/jds/{job_description.id}/approve")
    assert "The import has findings to check" in page_text(approve_page)
    assert f'href="/jds/{job_description.id}/review"' in approve_page.get_data(as_text=True)
    refused = hr.post(
        f"/jds/{job_description.id}/approve", data=approve_form(hr, job_description.id)
    )
    assert refused.status_code == 400
    assert current(session, job_description.id)["status"] == "draft"

    pairs = form_pairs(hr.get(f"/jds/{job_description.id}/review").get_data(as_text=True))
    pairs = replace(pairs, "sections-0-duties-0", "Support the pupil in every lesson.")
    response = hr.post(
        f"/jds/{job_description.id}/review", data=MultiDict([*pairs, ("action", "accept")])
    )
    assert response.status_code == 302
    assert "Accepted the import: its text is now in the clause library." in page_text(
        hr.get(response.headers["Location"])
    )
    shown = current(session, job_description.id)
    assert shown["needs_review"] is False
    assert shown["sections"][0]["duties"][0] == "Support the pupil in every lesson."
    assert unlinked_duties(session) == 0
    actions = session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions[-2:] == ["draft-edit", "review-accept"]
    approved = hr.post(
        f"/jds/{job_description.id}/approve", data=approve_form(hr, job_description.id)
    )
    assert approved.status_code == 302
    assert current(session, job_description.id)["status"] == "approved"


def test_saving_on_the_review_page_keeps_it_under_review(hr, session, imported_000):
    job_description = imported_000
    pairs = form_pairs(hr.get(f"/jds/{job_description.id}/review").get_data(as_text=True))
    pairs = replace(pairs, "title", "1:1 SEN Teaching Assistant")
    pairs = replace(pairs, "sections-0-duties-0", "A duty reworded while reviewing.")
    response = hr.post(
        f"/jds/{job_description.id}/review", data=MultiDict([*pairs, ("action", "save")])
    )
    assert response.headers["Location"] == f"/jds/{job_description.id}/review"
    shown = current(session, job_description.id)
    assert (shown["title"], shown["needs_review"]) == ("1:1 SEN Teaching Assistant", True)
    assert unlinked_duties(session) == 46  # nothing joins the library before acceptance


def test_jdtool_edit_with_needs_review_false_accepts(cli, session, accept_with_cli):
    cli("import", str(seed_path("000")))
    assert cli("approve", "1").exit_code == 1
    accept_with_cli(1)
    assert current(session, 1)["needs_review"] is False
    assert unlinked_duties(session) == 0
    assert cli("approve", "1").exit_code == 0
