"""How many SQL statements the busiest pages run: a fixed number, however many applicants
have been scored (a query per applicant or per score would make a large round slow)."""

from __future__ import annotations

import pytest
from sqlalchemy import event

from .recruitment_data import score_all as score
from .test_recruitment_web import sign_in


@pytest.fixture
def database_template(round_template):
    return round_template


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


def test_job_description_page_reads_everything_in_ten_statements(app, client, round_):
    sign_in(client, "chair@example.org")
    url = f"/jds/{round_.vacancy.version.job_description_id}"
    assert statements_run(app, client, url) <= 10
