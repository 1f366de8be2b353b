"""Vacancy pages through the test client: scoring grid, independence, moderation, ranking."""

from __future__ import annotations

import csv
import io
import re
from html import unescape

import pytest
from docx import Document
from sqlalchemy import select

from jdtool.models import Score, ScoreSheet
from jdtool.services.panels import add_panel_member
from jdtool.services.scoring import stage_criteria

from .hostile_files import clean_pdf
from .recruitment_data import PASSWORD, load_round
from .recruitment_data import score_all as score

CSRF_TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


@pytest.fixture
def database_template(round_template):
    """Each test starts from a copy of one prepared round (building it costs seconds)."""
    return round_template


def token(client, url: str) -> str:
    return CSRF_TOKEN.search(client.get(url).get_data(as_text=True)).group(1)


def sign_in(client, email: str) -> None:
    client.post(
        "/login",
        data={"email": email, "password": PASSWORD, "csrf_token": token(client, "/login")},
    )


def text(response) -> str:
    return unescape(re.sub(r"\s+", " ", response.get_data(as_text=True)))


@pytest.fixture
def hr(client, create_user):
    create_user("hr@example.org", PASSWORD, role="hr")
    sign_in(client, "hr@example.org")
    return client


def grid_form(round_, client, url, value="2", blank_position=None):
    criteria = stage_criteria(round_.vacancy.version, "shortlisting")
    data = {"csrf_token": token(client, url)}
    for c in criteria:
        if c.position != blank_position:
            data[f"score-{c.criterion.id}-application"] = value
        data[f"note-{c.criterion.id}-application"] = f"evidence {c.position}"
    return data


def test_vacancy_is_created_from_an_approved_jd(hr, round_):
    data = {
        "csrf_token": token(hr, "/vacancies"),
        "job_description": str(round_.vacancy.version.job_description_id),
        "title": "Second 1:1 TA post",
        "scale": "1-5",
    }
    response = hr.post("/vacancies", data=data, follow_redirects=True)
    page = text(response)
    assert "Created the vacancy Second 1:1 TA post." in page
    assert "1–5: 1 No evidence; 2 Limited evidence" in page
    assert "Stages</dt><dd>Shortlisting, Interview" in page


def test_overview_says_criteria_are_locked_once_applications_exist(hr, round_):
    page = text(hr.get(f"/vacancies/{round_.vacancy.id}"))
    assert "The criteria are locked: applications have been received." in page
    assert "Chair Person" in page


def test_panel_member_cannot_open_a_vacancy_they_do_not_sit_on(client, create_user, round_):
    create_user("other@example.org", PASSWORD, role="panel")
    sign_in(client, "other@example.org")
    assert client.get(f"/vacancies/{round_.vacancy.id}").status_code == 404
    assert round_.vacancy.title not in text(client.get("/vacancies"))


def test_grid_shows_descriptors_and_reports_a_missing_score_beside_it(client, round_):
    sign_in(client, "member@example.org")
    application = round_.applications[0]
    url = f"/vacancies/{round_.vacancy.id}/shortlisting/applications/{application.id}"
    page = text(client.get(url))
    assert "Detailed example tied to the job description" in page
    assert "Not assessed" in page
    response = client.post(url, data=grid_form(round_, client, url, blank_position=16))
    assert response.status_code == 400
    page = text(response)
    assert '<p class="cell-error" id="error-' in page
    assert (
        "Error:</span> Criterion 16 (application)"
        " has no score: give one, or mark it not assessed (na in a CSV file)." in page
    )
    assert 'value="evidence 16"' not in page  # notes are textareas
    assert "evidence 16</textarea>" in page


def test_independence_others_scores_appear_only_after_submitting(client, session, round_):
    application = round_.applications[0]
    score(session, round_.chair, application, "3")
    sign_in(client, "member@example.org")
    url = f"/vacancies/{round_.vacancy.id}/shortlisting/applications/{application.id}"
    before = text(client.get(url))
    assert "Other members' scores for this applicant are hidden until you submit yours." in before
    assert "Chair Person" not in before
    moderation = text(client.get(f"/vacancies/{round_.vacancy.id}/shortlisting/moderation"))
    assert "You have not scored this applicant yet: <a href=" in moderation
    ranking = text(client.get(f"/vacancies/{round_.vacancy.id}/shortlisting/ranking"))
    assert "You have not scored this applicant yet." in ranking
    assert "not assessed" not in ranking
    response = client.post(url, data=grid_form(round_, client, url, "1"), follow_redirects=True)
    after = text(response)
    assert "are submitted and locked" in after
    assert "Panel scores" in after
    assert "Chair Person" in after


def live_values(session, application, member) -> list:
    session.expire_all()
    return sorted(
        session.scalars(
            select(Score.value)
            .join(ScoreSheet, Score.sheet_id == ScoreSheet.id)
            .where(
                ScoreSheet.application_id == application.id,
                ScoreSheet.panel_member_id == member.id,
                ScoreSheet.live.is_(True),
            )
        )
    )


def test_amend_keeps_the_submitted_sheet_counted_until_the_amendment_is_in(client, session, round_):
    application = round_.applications[0]
    sign_in(client, "member@example.org")
    url = f"/vacancies/{round_.vacancy.id}/shortlisting/applications/{application.id}"
    client.post(url, data=grid_form(round_, client, url, "1"))
    response = client.post(f"{url}/amend", data={"csrf_token": token(client, url)})
    assert response.status_code == 302
    page = text(client.get(response.headers["Location"]))
    assert "Your submitted scores still count until you submit these." in page
    assert page.count('value="1" checked') == 8
    # Saving the amendment unfinished changes nothing that counts.
    client.post(url, data={**grid_form(round_, client, url, "3"), "action": "save"})
    assert live_values(session, application, round_.member) == [1] * 8
    client.post(url, data={**grid_form(round_, client, url, "3"), "action": "submit"})
    assert live_values(session, application, round_.member) == [3] * 8
    sheets = session.scalars(
        select(ScoreSheet).where(ScoreSheet.application_id == application.id)
    ).all()
    assert len(sheets) == 2  # the first is kept, withdrawn
    # The same submit sent again (a double click) is refused, not a second amendment.
    again = client.post(url, data={**grid_form(round_, client, url, "2"), "action": "submit"})
    # A refused form is answered with 303 (See Other) to the stage page, with the reason.
    assert again.status_code == 303
    assert again.headers["Location"] == f"/vacancies/{round_.vacancy.id}/shortlisting"
    assert live_values(session, application, round_.member) == [3] * 8


def test_unfinished_sheet_is_saved_not_counted_and_submitting_offers_the_next_applicant(
    client, session, round_
):
    first, second, _third = round_.applications
    sign_in(client, "member@example.org")
    landing = text(client.get("/vacancies/scoring"))
    assert "0 of 3 scored" in landing
    url = f"/vacancies/{round_.vacancy.id}/shortlisting/applications/{first.id}"
    assert "You have not scored this applicant yet" in text(client.get(url))
    unfinished = grid_form(round_, client, url, blank_position=16)
    response = client.post(url, data={**unfinished, "action": "save"}, follow_redirects=True)
    page = text(response)
    assert "are saved. They are not submitted and do not count" in page
    assert page.count('value="2" checked') == 7
    assert live_values(session, first, round_.member) == []
    assert "0 of 3 scored; 1 saved unfinished" in text(client.get("/vacancies/scoring"))
    response = client.post(url, data={**grid_form(round_, client, url), "action": "submit"})
    page = text(client.get(response.headers["Location"]))
    assert f"Next applicant: {second.applicant.name}" in page
    assert "1 of 3 scored" in text(client.get("/vacancies/scoring"))


def test_panel_member_lands_on_your_scoring_after_signing_in(client, round_):
    response = client.post(
        "/login",
        data={
            "email": "member@example.org",
            "password": PASSWORD,
            "csrf_token": token(client, "/login"),
        },
    )
    assert response.headers["Location"].endswith("/vacancies/scoring")


def test_interview_scoring_says_it_waits_for_the_final_shortlist(client, session, round_):
    add_panel_member(session, round_.vacancy, "member@example.org", "interview")
    session.commit()
    sign_in(client, "member@example.org")
    landing = text(client.get("/vacancies/scoring"))
    assert "Interview scoring opens when the shortlist is final." in landing
    assert "0 of 0" not in landing


def test_moderation_flags_disagreement_and_chair_records_agreed_score(client, session, round_):
    application = round_.applications[0]
    score(session, round_.chair, application, "3")
    score(session, round_.member, application, "1")
    sign_in(client, "chair@example.org")
    url = f"/vacancies/{round_.vacancy.id}/shortlisting/moderation"
    page = text(client.get(url))
    assert page.count("flagged</span>") == 8
    assert "Record agreed score" in page
    criterion = stage_criteria(round_.vacancy.version, "shortlisting")[0].criterion
    data = {
        "csrf_token": token(client, url),
        "application_id": application.id,
        "criterion_id": criterion.id,
        "method": "application",
        "agreed": "2",
        "rationale": "",
    }
    assert "Give the rationale" in text(client.post(url, data=data, follow_redirects=True))
    data["rationale"] = "Brief example in section 3"
    page = text(client.post(url, data=data, follow_redirects=True))
    assert "Agreed score recorded." in page
    assert '<span class="agreed">2</span> <span class="muted">Brief example in section 3' in page


def test_ranking_shows_the_gate_ties_and_disability_confident(client, session, round_):
    first, second, third = round_.applications
    third.disability_confident = True
    session.commit()
    for member in (round_.chair, round_.member):
        score(session, member, first, "2")
        score(session, member, second, "3", {8: "0"})
        score(session, member, third, "2")
    sign_in(client, "chair@example.org")
    page = text(client.get(f"/vacancies/{round_.vacancy.id}/shortlisting/ranking"))
    assert "Not eligible: fails essential 8" in page
    assert page.count("1 (tied)") == 2
    assert "Disability Confident: meets every essential, so must be offered an interview." in page


def test_decision_needs_a_reason_and_finalising_needs_two_members(client, session, round_):
    first = round_.applications[0]
    score(session, round_.chair, first, "2")
    sign_in(client, "chair@example.org")
    ranking = f"/vacancies/{round_.vacancy.id}/shortlisting/ranking"
    url = f"/vacancies/{round_.vacancy.id}/shortlisting/applications/{first.id}/decision"
    data = {"csrf_token": token(client, ranking), "outcome": "shortlist", "reason": ""}
    assert "Give the reason for this decision." in text(
        client.post(url, data=data, follow_redirects=True)
    )
    criterion = stage_criteria(round_.vacancy.version, "shortlisting")[0].criterion
    data.update(reason="Clear evidence throughout", criteria=[str(criterion.id)])
    page = text(client.post(url, data=data, follow_redirects=True))
    assert "Shortlisted</strong>: Clear evidence throughout" in page
    assert "Criteria: 8" in page
    page = text(
        client.post(
            f"/vacancies/{round_.vacancy.id}/shortlisting/finalise",
            data={"csrf_token": token(client, ranking)},
            follow_redirects=True,
        )
    )
    assert "At least 2 panel members must submit their scores" in page


def test_record_docx_shows_every_score_decision_and_signature_line(hr, session, round_):
    application = round_.applications[0]
    score(session, round_.chair, application, "3")
    score(session, round_.member, application, "1", {22: "na"})
    response = hr.get(f"/vacancies/{round_.vacancy.id}/shortlisting/record.docx")
    assert response.status_code == 200
    document = Document(io.BytesIO(response.data))
    headings = [
        p.text for p in document.paragraphs if p.style.name.startswith(("Heading", "Title"))
    ]
    assert "Shortlisting record: 1:1 SEN TA" in headings
    assert "Scores: Applicant 1" in headings
    scores_table = document.tables[2]
    assert [c.text for c in scores_table.rows[0].cells] == [
        "No.", "Chair Person", "Panel Member", "Agreed", "Rationale"
    ]  # fmt: skip
    assert [c.text for c in scores_table.rows[-1].cells][:3] == ["22 (application)", "3", "–"]
    signatures = document.tables[-1]
    assert [row.cells[0].text for row in signatures.rows] == [
        "Panel member", "Chair Person", "Panel Member"
    ]  # fmt: skip


def test_candidate_record_shows_that_candidate_only(hr, session, round_):
    first, second, _ = round_.applications
    score(session, round_.chair, first, "3")
    score(session, round_.chair, second, "1")
    url = f"/vacancies/{round_.vacancy.id}/shortlisting/applications/{first.id}/record.docx"
    document = Document(io.BytesIO(hr.get(url).data))
    everything = "\n".join(p.text for p in document.paragraphs) + "\n".join(
        cell.text for table in document.tables for row in table.rows for cell in row.cells
    )
    assert "Applicant 1" in everything
    assert "Applicant 2" not in everything
    assert second.reference not in everything


def test_scores_csv_is_safe_against_formula_injection(client, session, round_):
    application = round_.applications[0]
    score(session, round_.chair, application, "2")
    first = session.scalars(select(Score)).first()
    first.note = '=HYPERLINK("http://evil.example","click")'
    session.commit()
    sign_in(client, "chair@example.org")
    data = client.get(f"/vacancies/{round_.vacancy.id}/shortlisting/scores.csv").data
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == ["applicant", "panel_member", "criterion", "method", "score", "note"]
    notes = [row[5] for row in rows[1:]]
    assert '\'=HYPERLINK("http://evil.example","click")' in notes
    assert not any(note.startswith("=") for note in notes)


def test_paper_sheets_round_trip_through_the_csv_template(hr, session, round_):
    base = f"/vacancies/{round_.vacancy.id}/shortlisting"
    document = Document(io.BytesIO(hr.get(f"{base}/blank-sheets.docx").data))
    assert len(document.tables) == 3 * 2  # three candidates × two members
    assert [c.text for c in document.tables[0].rows[0].cells][:2] == ["criterion", "method"]
    template = hr.get(f"{base}/scores-template.csv").data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(template)))
    filled = [rows[0]] + [[*row[:4], "2", "on paper"] for row in rows[1:]]
    buffer = io.StringIO()
    csv.writer(buffer).writerows(filled)
    response = hr.post(
        f"{base}/scores/import",
        data={
            "csrf_token": token(hr, base),
            "file": (io.BytesIO(buffer.getvalue().encode()), "scores.csv"),
        },
        follow_redirects=True,
    )
    page = text(response)
    assert "Scores imported." in page
    assert page.count("2 of 2") == 3


@pytest.mark.render
def test_record_renders_in_libreoffice_with_scores_and_signature_lines(
    hr, session, round_, tmp_path
):
    from .rendering import pdf_text, render_pdfs, save_pngs

    first, second, _ = round_.applications
    for member in (round_.chair, round_.member):
        score(session, member, first, "3", {9: "1"})
        score(session, member, second, "2", {8: "0"})
    scope_url = f"/vacancies/{round_.vacancy.id}/shortlisting"
    decision = f"{scope_url}/applications/{second.id}/decision"
    hr.post(
        decision,
        data={
            "csrf_token": token(hr, f"{scope_url}/ranking"),
            "outcome": "reject",
            "reason": "No evidence of GCSE English and Maths",
        },
    )
    path = tmp_path / "shortlisting-record.docx"
    path.write_bytes(hr.get(f"{scope_url}/record.docx").data)
    pdf = render_pdfs([path], tmp_path / "pdf")[path]
    rendered = re.sub(r"\s+", " ", pdf_text(pdf))
    assert "Shortlisting record: 1:1 SEN TA" in rendered
    assert "Fails essential 8" in rendered
    assert "Not shortlisted No evidence of GCSE English and Maths" in rendered
    assert "Chair Person" in rendered
    assert "Signature" in rendered
    assert re.search(r"Page 1 of [2-9]", rendered)  # the footer LibreOffice laid out
    assert save_pngs(pdf, "recruitment-shortlisting-record")


def test_anonymised_shortlisting_shows_references_not_names(client, session, round_):
    round_.vacancy.anonymised = True
    session.commit()
    sign_in(client, "member@example.org")
    page = text(client.get(f"/vacancies/{round_.vacancy.id}/shortlisting"))
    for application in round_.applications:
        assert application.reference in page
        assert application.applicant.name not in page
    assert "applicant1@example.org" not in text(
        client.get(f"/vacancies/{round_.vacancy.id}/applicants")
    )


def test_declared_conflict_removes_the_applicant_from_the_members_pages(client, round_):
    sign_in(client, "member@example.org")
    conflicted = round_.applications[1]
    url = f"/vacancies/{round_.vacancy.id}/applicants"
    response = client.post(
        f"/vacancies/{round_.vacancy.id}/applications/{conflicted.id}/conflict",
        data={"csrf_token": token(client, url), "reason": "My sister"},
        follow_redirects=True,
    )
    assert "Conflict of interest recorded" in text(response)
    stage = text(client.get(f"/vacancies/{round_.vacancy.id}/shortlisting"))
    assert "Applicant 2" not in stage
    assert "Applicant 1" in stage
    grid = f"/vacancies/{round_.vacancy.id}/shortlisting/applications/{conflicted.id}"
    assert client.get(grid).status_code == 404


def test_upload_is_checked_by_content_not_name(hr, round_):
    url = f"/vacancies/{round_.vacancy.id}/applicants"
    application = round_.applications[0]
    upload = f"/vacancies/{round_.vacancy.id}/applications/{application.id}/files"
    response = hr.post(
        upload,
        data={"csrf_token": token(hr, url), "file": (io.BytesIO(b"MZ\x90\x00"), "form.pdf")},
        follow_redirects=True,
    )
    assert "form.pdf is not a PDF or Word (.docx) document, whatever its name says." in text(
        response
    )
    response = hr.post(
        upload,
        data={"csrf_token": token(hr, url), "file": (io.BytesIO(clean_pdf()), "form.pdf")},
        follow_redirects=True,
    )
    assert "Uploaded form.pdf." in text(response)
    assert "form.pdf</a> (PDF, 1 KB)" in text(response)


def test_panel_member_opens_the_uploaded_form_from_the_scoring_grid(client, session, round_):
    from jdtool.services.applicants import attach_application_file

    application = round_.applications[0]
    attach_application_file(session, application, "jo-smith.pdf", clean_pdf("the form"))
    session.commit()
    sign_in(client, "member@example.org")
    grid = f"/vacancies/{round_.vacancy.id}/shortlisting/applications/{application.id}"
    # The panel sees the form by application reference: uploaded names often hold the name.
    page = client.get(grid).get_data(True)
    assert "jo-smith" not in page
    pattern = rf'href="([^"]+/files/\d+)">{application.reference}.pdf<'
    link = re.search(pattern, page)
    response = client.get(link.group(1))
    assert response.status_code == 200
    assert response.data == clean_pdf("the form")
    assert response.mimetype == "application/pdf"
    disposition = response.headers["Content-Disposition"]
    assert disposition == f"attachment; filename={application.reference}.pdf"
    other = round_.applications[1]
    missing = f"/vacancies/{round_.vacancy.id}/applications/{other.id}/files/1"
    assert client.get(missing).status_code == 404


def test_maintained_school_warning_goes_once_training_is_recorded(hr, session, round_):
    round_.vacancy.maintained_school = True
    session.commit()
    url = f"/vacancies/{round_.vacancy.id}"
    warning = "at least one panel member must have safer-recruitment training"
    assert warning in text(hr.get(url))
    response = hr.post(
        f"{url}/panel/{round_.chair.id}/training",
        data={"csrf_token": token(hr, url), "training_date": "2025-09-01"},
        follow_redirects=True,
    )
    page = text(response)
    assert "Training date recorded." in page
    assert "1 September 2025" in page
    assert warning not in page


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ("=SUM(A1:A9)", "'=SUM(A1:A9)"),
        ("+44 20 7946 0000", "'+44 20 7946 0000"),
        ("-2+3", "'-2+3"),
        ("@cmd", "'@cmd"),
        ("\tindent", "'\tindent"),
        ("Detailed example", "Detailed example"),
        (3, "3"),
        (None, ""),
    ],
)
def test_csv_cells_never_start_a_formula(cell, written):
    from jdtool.export.records import safe_cell

    assert safe_cell(cell) == written


def test_stage_page_title_names_the_stage_and_the_paper_scores_form_is_in_the_page(hr, round_):
    html = hr.get(f"/vacancies/{round_.vacancy.id}/shortlisting").get_data(as_text=True)
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    assert unescape(title) == f"Shortlisting – {round_.vacancy.title} – jdtool"
    assert html.count("Scores from paper") == 1
    assert html.index("Scores from paper") > html.index("</title>")


def test_applicants_csv_form_without_a_file_is_explained_beside_the_field(hr, round_):
    url = f"/vacancies/{round_.vacancy.id}/applicants"
    response = hr.post(url, data={"csrf_token": token(hr, url)})
    assert response.status_code == 400
    assert "Choose a CSV file." in text(response)


@pytest.mark.parametrize(
    ("total", "shown"), [(22.333333, "22.33"), (15.666667, "15.67"), (15.5, "15.5"), (14.0, "14")]
)
def test_ranking_totals_are_shown_to_two_decimal_places_at_most(total, shown):
    from jdtool.web.vacancies import format_points

    assert format_points(total) == shown


def test_adding_an_applicant_twice_is_explained_beside_the_email_field(hr, session, round_):
    url = f"/vacancies/{round_.vacancy.id}/applicants"
    before = len(round_.applications)
    response = hr.post(
        url,
        data={
            "csrf_token": token(hr, url),
            "one-name": "Applicant One Again",
            "one-email": "applicant1@example.org",
        },
    )
    assert response.status_code == 400
    assert re.search(
        r'id="one-email-error">\s*<span class="visually-hidden">Error:</span> '
        r"applicant1@example.org has already applied for this vacancy.",
        response.get_data(as_text=True),
    )
    session.expire_all()
    assert len(load_round(session).applications) == before


def test_a_refused_decision_is_explained_beside_its_form_with_a_summary_at_the_top(
    client, session, round_
):
    sign_in(client, "chair@example.org")
    first = round_.applications[0]
    url = f"/vacancies/{round_.vacancy.id}/shortlisting/ranking"
    response = client.post(
        f"/vacancies/{round_.vacancy.id}/shortlisting/applications/{first.id}/decision",
        data={"csrf_token": token(client, url), "outcome": "shortlist", "reason": " "},
    )
    assert response.status_code == 400
    page = text(response)
    assert f'<a href="#reason-{first.id}">Give the reason for this decision.</a>' in page
    assert f'id="reason-error-{first.id}"' in page
    assert 'value="shortlist" checked' in page


def test_a_refused_agreed_score_is_explained_beside_its_row(client, session, round_):
    first = round_.applications[0]
    score(session, round_.chair, first, "0")
    score(session, round_.member, first, "3")
    sign_in(client, "chair@example.org")
    url = f"/vacancies/{round_.vacancy.id}/shortlisting/moderation"
    criterion = stage_criteria(round_.vacancy.version, "shortlisting")[0].criterion
    response = client.post(
        url,
        data={
            "csrf_token": token(client, url),
            "application_id": first.id,
            "criterion_id": criterion.id,
            "method": "application",
            "agreed": "2",
            "rationale": "",
        },
    )
    assert response.status_code == 400
    page = text(response)
    target = f"agreed-{first.id}-{criterion.id}-application"
    assert f'<a href="#{target}">Give the rationale for the agreed score.</a>' in page
    assert f'id="agreed-error-{first.id}-{criterion.id}-application"' in page


def test_a_refused_final_shortlist_is_explained_beside_the_button(client, session, round_):
    sign_in(client, "chair@example.org")
    url = f"/vacancies/{round_.vacancy.id}/shortlisting/ranking"
    response = client.post(
        f"/vacancies/{round_.vacancy.id}/shortlisting/finalise",
        data={"csrf_token": token(client, url)},
    )
    assert response.status_code == 400
    page = text(response)
    assert '<a href="#finalise">At least 2 panel members must submit' in page
    assert 'id="finalise-error"' in page


def test_a_refused_panel_member_is_explained_beside_the_email_field(hr, round_):
    url = f"/vacancies/{round_.vacancy.id}"
    response = hr.post(
        f"{url}/panel",
        data={"csrf_token": token(hr, url), "email": "member@example.org", "stage": "shortlisting"},
    )
    assert response.status_code == 400
    page = text(response)
    assert '<div class="error-summary"' in page
    assert '<p class="field-error" id="email-error">' in page


def test_too_many_blank_sheets_are_refused_on_the_vacancy_page(hr, round_, monkeypatch):
    from jdtool.services import recruitment_records

    monkeypatch.setattr(recruitment_records, "MAX_BLANK_SHEETS", 5)
    response = hr.get(
        f"/vacancies/{round_.vacancy.id}/shortlisting/blank-sheets.docx", follow_redirects=True
    )
    assert response.mimetype == "text/html"
    assert "That would be 6 printed score sheets (for 3 candidates); at most 5" in text(response)
