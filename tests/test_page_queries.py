"""How many SQL statements the busiest pages run: a fixed number, however many applicants
have been scored (a query per applicant or per score would make a large round slow)."""

from __future__ import annotations

import re
from dataclasses import FrozenInstanceError

import pytest
from sqlalchemy import event

from jdtool.services.approval import approve_job_description
from jdtool.services.approved_content import (
    cached_content,
    forget_approved_content,
    remember_content,
)
from jdtool.services.decisions import record_decision
from jdtool.services.documents import start_new_version
from jdtool.services.scoping import scope_for
from jdtool.services.scoring import stage_criteria

from .conftest import ready_for_approval
from .recruitment_data import score_all as score
from .test_recruitment_web import sign_in


@pytest.fixture
def database_template(round_template):
    return round_template


def page_text(client, url: str) -> str:
    """The page as a user sees it: form tokens (signed with the time) left out."""
    html = client.get(url).get_data(as_text=True)
    return re.sub(r'value="[\w.-]+\.[\w-]+\.[\w-]+"', 'value=""', html)


def statements_run(app, client, url: str) -> int:
    statements = []

    def count(_connection, _cursor, statement, *_args):
        statements.append(statement)

    engine = app.extensions["jdtool_engine"]
    event.listen(engine, "before_cursor_execute", count)
    try:
        response = client.get(url)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert response.status_code == 200, url
    return len(statements)


def test_scoring_pages_run_as_many_statements_for_one_scored_applicant_as_for_all(
    app, client, session, round_
):
    vacancy_id = round_.vacancy.id
    first = round_.applications[0]
    urls = [
        f"/vacancies/{vacancy_id}/shortlisting/ranking",
        f"/vacancies/{vacancy_id}/shortlisting/moderation",
        f"/vacancies/{vacancy_id}/shortlisting/applications/{first.id}",
    ]
    for member in (round_.chair, round_.member):
        score(session, member, first, "2")
    sign_in(client, "chair@example.org")
    one_scored = {url: statements_run(app, client, url) for url in urls}
    for application in round_.applications[1:]:
        for member in (round_.chair, round_.member):
            score(session, member, application, "3")
    assert {url: statements_run(app, client, url) for url in urls} == one_scored


def test_the_ranking_reads_every_decision_and_its_criteria_in_fixed_statements(
    app, client, session, round_
):
    vacancy_id = round_.vacancy.id
    url = f"/vacancies/{vacancy_id}/shortlisting/ranking"
    for application in round_.applications:
        for member in (round_.chair, round_.member):
            score(session, member, application, "3")
    scope = scope_for(session, round_.chair.user, vacancy_id)
    first, second = stage_criteria(scope.vacancy.version, "shortlisting")[:2]

    def decide(application, reason):
        record_decision(
            session,
            scope,
            application.id,
            "shortlisting",
            "shortlist",
            reason,
            [first.criterion.id, second.criterion.id],
        )
        session.commit()

    decide(round_.applications[0], "Strong on every essential")
    sign_in(client, "chair@example.org")
    one_decided = statements_run(app, client, url)
    for application in round_.applications[1:]:
        decide(application, "Meets the essentials")
    assert statements_run(app, client, url) == one_decided
    page = client.get(url).get_data(as_text=True)
    assert page.count("Meets the essentials") == len(round_.applications) - 1
    assert page.count(f"Criteria: {first.position}, {second.position}") == len(round_.applications)


def test_job_description_page_reads_everything_in_twelve_statements_at_first(app, client, round_):
    sign_in(client, "chair@example.org")
    url = f"/jds/{round_.vacancy.version.job_description_id}"
    assert statements_run(app, client, url) <= 12


def test_an_approved_version_is_read_once_per_worker_and_shown_the_same(app, client, round_):
    sign_in(client, "chair@example.org")
    url = f"/jds/{round_.vacancy.version.job_description_id}"
    first = page_text(client, url)
    assert statements_run(app, client, url) <= 6
    assert page_text(client, url) == first
    forget_approved_content()
    assert page_text(client, url) == first


def test_a_draft_is_read_afresh_and_a_new_approved_version_replaces_the_old(
    client, session, round_
):
    job_description_id = round_.vacancy.version.job_description_id
    sign_in(client, "chair@example.org")
    url = f"/jds/{job_description_id}"
    client.get(url)  # the approved version, now held by this worker
    draft = start_new_version(session, job_description_id)
    draft.duty_sections[0].duties[0].text = "Run the school library on Fridays."
    session.commit()
    assert remember_content(draft) is None  # a draft is never kept
    page = page_text(client, url)
    assert "Run the school library on Fridays." in page
    assert "Version 2" in page
    draft.duty_sections[0].duties[0].text = "Run the school library on Mondays."
    session.commit()
    assert "Run the school library on Mondays." in page_text(client, url)
    ready_for_approval(session, job_description_id)
    approve_job_description(session, job_description_id)
    session.commit()
    page = page_text(client, url)
    assert "Run the school library on Mondays." in page
    assert "Approved" in page
    assert page_text(client, url) == page


def test_cached_content_is_plain_frozen_data(client, session, round_):
    sign_in(client, "chair@example.org")
    version = round_.vacancy.version
    client.get(f"/jds/{version.job_description_id}")
    content = cached_content(version)
    assert content is not None
    assert [c.text for c in content.criteria()] == [c.text for c in version.criteria()]
    assert [c.methods for c in content.criteria()] == [tuple(c.methods) for c in version.criteria()]
    with pytest.raises(FrozenInstanceError):
        content.criteria()[0].text = "changed"  # type: ignore[misc]


def test_scoring_pages_show_the_same_with_the_pinned_spec_held_or_read_afresh(
    app, client, session, round_
):
    vacancy_id = round_.vacancy.id
    first = round_.applications[0]
    for member in (round_.chair, round_.member):
        score(session, member, first, "2")
    sign_in(client, "chair@example.org")
    urls = [
        f"/vacancies/{vacancy_id}/shortlisting/ranking",
        f"/vacancies/{vacancy_id}/shortlisting/moderation",
        f"/vacancies/{vacancy_id}/shortlisting/applications/{first.id}",
    ]
    read_afresh = {}
    for url in urls:
        forget_approved_content()
        read_afresh[url] = page_text(client, url)
    held = {url: page_text(client, url) for url in urls}
    assert held == read_afresh
    assert cached_content(round_.vacancy.version) is not None


def test_a_new_score_shows_on_the_ranking_with_the_pinned_spec_held(client, session, round_):
    vacancy_id = round_.vacancy.id
    first = round_.applications[0]
    sign_in(client, "chair@example.org")
    url = f"/vacancies/{vacancy_id}/shortlisting/ranking"
    before = page_text(client, url)
    for member in (round_.chair, round_.member):
        score(session, member, first, "3")
    after = page_text(client, url)
    assert after != before
    assert cached_content(round_.vacancy.version) is not None


def test_job_description_page_after_a_scoring_page_reads_its_parts_in_one_go(app, client, round_):
    sign_in(client, "chair@example.org")
    client.get(f"/vacancies/{round_.vacancy.id}/shortlisting/ranking")  # holds the spec only
    url = f"/jds/{round_.vacancy.version.job_description_id}"
    assert statements_run(app, client, url) <= 12
