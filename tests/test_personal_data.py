"""Personal details and equal-opportunities answers stay where DOMAIN.md puts them: the panel
sees no name or email while shortlisting is anonymised (pages, records, CSV, file names), and
monitoring answers are only ever counts, for HR and administrators."""

from __future__ import annotations

import io
import re
import zipfile
from html import unescape

import pytest
from sqlalchemy import select

from jdtool.models import EqualOpportunitiesAnswer

from .hostile_files import clean_pdf
from .recruitment_data import PASSWORD, build_round, score_all
from .test_web import csrf_token, sign_in

#: Monitoring answers unlikely to appear on any page by chance.
ANSWERS = {
    "age_band": "55-64",
    "sex": "female",
    "ethnicity": "Mixed or multiple ethnic groups",
    "disability": "prefer not to say",
}


def readable(response) -> str:
    """What a person would read in the response: page text, CSV, or every Word XML part."""
    data = response.get_data()
    if data.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            data = b" ".join(
                package.read(name) for name in package.namelist() if name.endswith(".xml")
            )
    text = re.sub(r"<[^>]+>", " ", data.decode("utf-8", "replace"))
    return (
        unescape(re.sub(r"\s+", " ", text)) + " " + response.headers.get("Content-Disposition", "")
    )


@pytest.fixture
def scored_round(session, create_user):
    """An anonymised round, both panel members' sheets submitted, an uploaded form named after
    the applicant, and an HR officer."""
    from jdtool.services.applicants import attach_application_file

    round_ = build_round(session, anonymised=True)
    for application in round_.applications:
        score_all(session, round_.chair, application)
        score_all(session, round_.member, application)
    attach_application_file(
        session, round_.applications[0], "Applicant 1 - application.pdf", clean_pdf("form")
    )
    session.commit()
    create_user("hr@example.org", PASSWORD, role="hr")
    return round_


def panel_urls(round_) -> list[str]:
    vacancy = round_.vacancy.id
    first = round_.applications[0]
    stage = f"/vacancies/{vacancy}/shortlisting"
    interview = f"/vacancies/{vacancy}/interview"  # before the shortlist is final
    return [
        interview,
        f"{interview}/applications/{first.id}",
        f"{interview}/ranking",
        f"{interview}/record.docx",
        f"{interview}/scores.csv",
        "/vacancies",
        f"/vacancies/{vacancy}",
        f"/vacancies/{vacancy}/applicants",
        stage,
        f"{stage}/applications/{first.id}",
        f"{stage}/moderation",
        f"{stage}/ranking",
        f"{stage}/record.docx",
        f"{stage}/scores.csv",
        f"{stage}/blank-sheets.docx",
        f"{stage}/scores-template.csv",
        f"/vacancies/{vacancy}/applications/{first.id}/files/{first.files[0].id}",
    ]


def test_an_anonymised_panel_reaches_no_name_or_email(client, scored_round):
    sign_in(client, "member@example.org")
    names = [a.applicant.name for a in scored_round.applications]
    emails = [a.applicant.email for a in scored_round.applications]
    references = [a.reference for a in scored_round.applications]
    seen_references = set()
    for url in panel_urls(scored_round):
        # The interview grid sends the panel back to the stage page until the shortlist is final.
        response = client.get(url, follow_redirects=True)
        assert response.status_code == 200, url
        content = readable(response)
        for personal in [*names, *emails]:
            assert personal not in content, f"{personal} on {url}"
        seen_references |= {reference for reference in references if reference in content}
    assert seen_references == set(references)  # the panel works with references instead
    download = client.get(panel_urls(scored_round)[-1])
    assert (
        f"filename={scored_round.applications[0].reference}.pdf"
        in download.headers["Content-Disposition"]
    )


def record_answers(client, round_, application, answers) -> str:
    url = f"/vacancies/{round_.vacancy.id}/equal-opportunities"
    response = client.post(
        url,
        data={"csrf_token": csrf_token(client, url), "application_id": application.id, **answers},
        follow_redirects=True,
    )
    assert response.status_code == 200
    return readable(response)


def test_hr_records_monitoring_answers_and_sees_only_counts(client, session, scored_round):
    sign_in(client, "hr@example.org")
    first, second, _third = scored_round.applications
    page = record_answers(client, scored_round, first, ANSWERS)
    assert "Monitoring answers recorded" in page
    page = record_answers(client, scored_round, second, {**ANSWERS, "age_band": "16-24"})
    assert "2 of 3 applicants answered." in page
    # Counts from 1 to 4 would point at a person in a small field: not shown exactly.
    assert re.search(
        r"55-64 fewer than 5 65\+ 0 Prefer not to say 0 Not answered fewer than 5", page
    )
    assert re.search(r"16-24 fewer than 5 25-34 0", page)
    assert re.search(r"Mixed or multiple ethnic groups fewer than 5 ", page)
    assert not re.search(r"(Not answered|Mixed or multiple ethnic groups) [12] ", page)
    # The per-applicant list says only whether answers were recorded, never which.
    rows = re.findall(r"(A-\w+) (Yes|No) Age band", page)
    assert sorted(recorded for _, recorded in rows) == ["No", "Yes", "Yes"]
    stored = session.scalar(
        select(EqualOpportunitiesAnswer).where(EqualOpportunitiesAnswer.application_id == first.id)
    )
    assert (stored.age_band, stored.ethnicity) == ("55-64", "Mixed or multiple ethnic groups")


def test_an_answer_outside_the_list_is_refused(client, session, scored_round):
    sign_in(client, "hr@example.org")
    page = record_answers(
        client, scored_round, scored_round.applications[0], {"ethnicity": "Martian"}
    )
    assert "'Martian' is not an answer to ethnic group." in page
    assert session.scalar(select(EqualOpportunitiesAnswer)) is None


def test_monitoring_answers_never_reach_panels_records_or_exports(client, scored_round):
    sign_in(client, "hr@example.org")
    for application in scored_round.applications:
        record_answers(client, scored_round, application, ANSWERS)
    vacancy = scored_round.vacancy.id
    first = scored_round.applications[0]
    hr_exports = [
        f"/vacancies/{vacancy}/shortlisting/record.docx",
        f"/vacancies/{vacancy}/shortlisting/scores.csv",
        f"/vacancies/{vacancy}/shortlisting/applications/{first.id}/record.docx",
        f"/vacancies/{vacancy}/shortlisting/ranking",
        f"/vacancies/{vacancy}/applicants",
    ]
    for url in hr_exports:
        content = readable(client.get(url))
        for answer in ("55-64", "Mixed or multiple ethnic groups"):
            assert answer not in content, f"{answer} in {url}"
    client.post("/logout", data={"csrf_token": csrf_token(client, "/jds")})

    for panel_email in ("member@example.org", "chair@example.org"):
        sign_in(client, panel_email)
        for url in panel_urls(scored_round):
            content = readable(client.get(url))
            for answer in ("55-64", "Mixed or multiple ethnic groups", "Equal opportunities"):
                assert answer not in content, f"{answer} in {url} for {panel_email}"
        refused = client.get(f"/vacancies/{vacancy}/equal-opportunities")
        assert refused.status_code == 403
        client.post("/logout", data={"csrf_token": csrf_token(client, "/jds")})
