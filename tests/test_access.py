"""A panel account (made when someone joins a panel) reads job descriptions and scores; it never
changes job descriptions, the clause library or adverts."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from jdtool.models import JobDescription, JobDescriptionVersion

from .test_web import PASSWORD, csrf_token, sign_in

#: (method, URL) of every page that changes documents; {jd} is an imported seed's ID.
MANAGER_ONLY = [
    ("GET", "/jds/{jd}/approve"),
    ("POST", "/jds/{jd}/approve"),
    ("GET", "/jds/{jd}/edit"),
    ("POST", "/jds/{jd}/edit"),
    ("GET", "/jds/import"),
    ("POST", "/jds/import"),
    ("GET", "/library/merge?clauses=1&clauses=2"),
    ("POST", "/library/merge"),
    ("POST", "/library/merges/1/undo"),
    ("GET", "/library/compose"),
    ("POST", "/library/compose"),
    ("GET", "/library/compose/{jd}"),
    ("POST", "/library/compose/{jd}"),
    ("GET", "/library/merge-jds"),
    ("POST", "/library/merge-jds"),
    ("POST", "/jds/{jd}/signed-copies"),
    ("POST", "/jds/{jd}/logo"),
    ("POST", "/jds/{jd}/signed-copies/1/signed"),
    ("GET", "/jds/{jd}/signed-copies/1.docx"),
    ("GET", "/jds/{jd}/advert"),
    ("POST", "/jds/{jd}/advert"),
]


@pytest.fixture
def panel_member(client, create_user, create_job_description):
    job_description = create_job_description(title="SEN (1:1) Learning Support Assistant")
    create_user("panel@example.org", PASSWORD, role="panel")
    sign_in(client, "panel@example.org")
    return client, job_description.id


@pytest.mark.parametrize(("method", "url"), MANAGER_ONLY)
def test_panel_account_is_not_allowed_to_change_documents(panel_member, session, method, url):
    client, jd = panel_member
    data = {"csrf_token": csrf_token(client, "/jds"), "title": "A new JD", "text": "Duty"}
    response = client.open(url.format(jd=jd), method=method, data=data)
    assert response.status_code == 403
    assert "You do not have permission to do that." in response.get_data(as_text=True)
    assert session.scalar(select(func.count()).select_from(JobDescription)) == 1
    assert session.scalar(select(JobDescriptionVersion.status)) == "draft"


def test_panel_account_still_reads_job_descriptions(panel_member):
    client, jd = panel_member
    page = client.get(f"/jds/{jd}").get_data(as_text=True)
    assert "SEN (1:1) Learning Support Assistant" in page
    assert ">Approve this version</a>" not in page
    assert "Add clauses from the library" not in page
    assert "Signed copies" not in page
    assert client.get("/library").status_code == 200


@pytest.mark.parametrize(("method", "url"), [("GET", "/jds/import"), ("GET", "/library/compose")])
def test_hr_reaches_the_same_pages(client, create_user, method, url):
    create_user("hr@example.org", PASSWORD, role="hr")
    sign_in(client, "hr@example.org")
    assert client.open(url, method=method).status_code == 200
