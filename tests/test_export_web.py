"""Word documents through the web app (Flask test client): downloads, signed copies, adverts."""

from __future__ import annotations

import hashlib
import io
import re
from datetime import date, timedelta

import pytest
from docx import Document

from .factories import (
    create_class_teaching_assistant,
    create_job_description,
    create_learning_support_assistant,
    create_teaching_assistant,
)
from .test_web import csrf_token, sign_in, table_rows


@pytest.fixture
def head(client, create_user):
    """The test client, signed in as a headteacher."""
    create_user(email="head@example.org", role="head", name="Pat Head")
    assert sign_in(client, email="head@example.org").status_code == 302
    return client


def visible(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_jd_page_offers_the_word_download(head, session):
    job_description = create_teaching_assistant(session)
    session.commit()
    page = head.get(f"/jds/{job_description.id}").get_data(as_text=True)
    assert "Download job description (.docx)" in page
    response = head.get(f"/jds/{job_description.id}/export/job-description.docx")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    assert ".docx" in response.headers["Content-Disposition"]
    document = Document(io.BytesIO(response.data))
    assert document.paragraphs[1].text == job_description.current.title


def test_draft_jd_page_says_to_approve_first(head, session):
    job_description = create_class_teaching_assistant(session, approve=False)
    session.commit()
    page = visible(head.get(f"/jds/{job_description.id}").get_data(as_text=True))
    assert "Approve this version to download it as a Word document" in page
    response = head.get(
        f"/jds/{job_description.id}/export/job-description.docx", follow_redirects=True
    )
    assert "has no approved version yet" in response.get_data(as_text=True)


def produce(client, job_description_id: int, postholder: str):
    url = f"/jds/{job_description_id}"
    return client.post(
        f"{url}/signed-copies",
        data={"postholder": postholder, "csrf_token": csrf_token(client, url)},
    )


def test_head_produces_lists_and_downloads_a_signed_copy(head, session):
    job_description = create_teaching_assistant(session)
    session.commit()
    response = produce(head, job_description.id, "Sam Lee")
    assert response.status_code == 302
    page = head.get(response.headers["Location"]).get_data(as_text=True)
    assert "Signed copy for Sam Lee produced from version 1" in page
    [header, row] = table_rows(page, "signed-copies")
    assert header == ["Postholder", "Version", "Produced", "Signed", "File"]
    assert row[0] == "Sam Lee"
    assert row[1] == "Version 1"
    assert "by Pat Head" in row[2]
    link = re.search(r'href="(/jds/\d+/signed-copies/\d+\.docx)"', page).group(1)
    first, second = head.get(link).data, head.get(link).data
    assert first == second
    digest = hashlib.sha256(first).hexdigest()
    assert digest[:12] in row[4]
    document = Document(io.BytesIO(first))
    assert document.tables[-1].rows[0].cells[0].paragraphs[1].text == "Print name: Sam Lee"


def test_signed_copy_needs_a_name_shown_beside_the_field(head, session):
    job_description = create_teaching_assistant(session)
    session.commit()
    response = produce(head, job_description.id, "   ")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert re.search(r'id="postholder-error">.*Enter the postholder', page, re.S)


def test_panel_member_is_told_they_cannot_produce_signed_copies(client, create_user, session):
    create_user(email="panel@example.org", role="panel")
    sign_in(client, email="panel@example.org")
    job_description = create_teaching_assistant(session)
    session.commit()
    response = produce(client, job_description.id, "Sam Lee")
    assert response.status_code == 403
    assert "You do not have permission to do that." in response.get_data(as_text=True)
    assert ">Produce signed copy</button>" not in client.get(f"/jds/{job_description.id}").get_data(
        as_text=True
    )


def record(client, job_description_id: int, copy_id: int, signed_on: str, signed_by: str):
    url = f"/jds/{job_description_id}"
    prefix = f"copy-{copy_id}-"
    return client.post(
        f"{url}/signed-copies/{copy_id}/signed",
        data={
            f"{prefix}signed_on": signed_on,
            f"{prefix}signed_by": signed_by,
            f"{prefix}csrf_token": csrf_token(client, url),
        },
    )


def test_head_records_a_copy_as_signed(head, session):
    job_description = create_teaching_assistant(session)
    session.commit()
    produce(head, job_description.id, "Sam Lee")
    today = date.today()
    response = record(head, job_description.id, 1, today.isoformat(), "Sam Lee and Pat Head")
    assert response.status_code == 302
    page = head.get(f"/jds/{job_description.id}").get_data(as_text=True)
    row = table_rows(page, "signed-copies")[1]
    assert row[3] == f"Signed {today.day} {today:%B %Y} by Sam Lee and Pat Head"


def test_future_signing_date_is_refused_beside_the_field(head, session):
    job_description = create_teaching_assistant(session)
    session.commit()
    produce(head, job_description.id, "Sam Lee")
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    response = record(head, job_description.id, 1, tomorrow, "Sam Lee")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert re.search(r'id="copy-1-signed_on-error">.*cannot be in the future', page, re.S)


def test_copy_of_an_older_version_is_flagged_on_the_page(head, session):
    from jdtool.services.approval import approve_job_description
    from jdtool.services.documents import start_new_version

    job_description = create_class_teaching_assistant(session)
    session.commit()
    produce(head, job_description.id, "Jo Bloggs")
    start_new_version(session, job_description.id)
    approve_job_description(session, job_description.id)
    session.commit()
    page = head.get(f"/jds/{job_description.id}").get_data(as_text=True)
    row = table_rows(page, "signed-copies")[1]
    assert row[1] == "Version 1 Older version: version 2 is now approved"


def test_jd_page_shows_writing_checks(head, session):
    job_description = create_job_description(session, title="Teaching Assistant", approve=True)
    session.commit()
    page = visible(head.get(f"/jds/{job_description.id}").get_data(as_text=True))
    assert "Writing checks" in page
    assert "Safeguarding: There is no safeguarding statement." in page


# -- adverts --


def test_advert_page_shows_the_actual_salary_and_working(head, session):
    job_description = create_learning_support_assistant(session, school="Hill School")
    session.commit()
    page = visible(head.get(f"/jds/{job_description.id}/advert").get_data(as_text=True))
    assert "£11,459 – £12,805 a year for £25,185 – £28,142 FTE." in page
    assert "Hours: 20 of 37 full-time hours = 0.5405" in page
    assert "Actual salary £11,459 – £12,805 a year (pro rata)" in page  # the preview


def save_advert(client, job_description_id: int, **fields):
    url = f"/jds/{job_description_id}/advert"
    data = {
        "full_time_hours": "37",
        "weeks_in_year": "52.143",
        "leave_days": "35",
        "safeguarding_statement": "We are committed to safeguarding children.",
        "csrf_token": csrf_token(client, url),
        **fields,
    }
    return client.post(url, data=data)


def test_advert_details_are_saved_and_downloaded(head, session):
    job_description = create_learning_support_assistant(session, school="Hill School")
    session.commit()
    response = save_advert(
        head, job_description.id, closing_date="2027-01-15", interview_date="2027-01-22",
        how_to_apply="Apply online.", paid_weeks="43.6", online_search_statement="",
    )  # fmt: skip
    assert response.status_code == 302
    page = visible(head.get(response.headers["Location"]).get_data(as_text=True))
    assert "Advert details saved." in page
    factor = 20 / 37 * 43.6 / 52.143
    actual = f"£{round(25185 * factor):,} – £{round(28142 * factor):,} a year"
    assert actual in page
    text = head.get(f"/jds/{job_description.id}/advert.txt")
    assert text.mimetype == "text/plain"
    body = text.get_data(as_text=True)
    assert "Closing date: 15 January 2027" in body
    assert actual in body
    assert "Online searches" not in body  # the form sent that statement blank
    html = head.get(f"/jds/{job_description.id}/advert.html").get_data(as_text=True)
    assert "<dd>15 January 2027</dd>" in html
    docx = head.get(f"/jds/{job_description.id}/advert.docx")
    assert Document(io.BytesIO(docx.data)).tables[0].rows


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        (
            {"closing_date": "2027-02-01", "interview_date": "2027-01-01"},
            "interview_date",
            "on or after the closing date",
        ),
        ({"paid_weeks": "lots"}, "paid_weeks", "not a number of paid weeks"),
        ({"full_time_hours": "0"}, "full_time_hours", "between 1 and 48"),
    ],
)
def test_advert_form_errors_sit_beside_the_field(head, session, fields, field, message):
    job_description = create_learning_support_assistant(session, school="Hill School")
    session.commit()
    response = save_advert(head, job_description.id, **fields)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert re.search(rf'id="{field}-error">.*{message}', page, re.S)


def test_advert_page_warns_when_the_safeguarding_statement_is_blanked(head, session):
    job_description = create_learning_support_assistant(session, school="Hill School")
    session.commit()
    save_advert(head, job_description.id, safeguarding_statement="")
    page = visible(head.get(f"/jds/{job_description.id}/advert").get_data(as_text=True))
    assert "Safeguarding: There is no safeguarding statement." in page


def test_advert_of_a_draft_explains(head, session):
    job_description = create_learning_support_assistant(session, approve=False)
    session.commit()
    page = visible(head.get(f"/jds/{job_description.id}/advert").get_data(as_text=True))
    assert "has no approved version yet" in page


def test_unknown_signed_copy_is_a_404(head, session):
    job_description = create_teaching_assistant(session)
    session.commit()
    assert head.get(f"/jds/{job_description.id}/signed-copies/99.docx").status_code == 404


# -- logo --


def upload_logo(client, job_description_id: int, filename: str, data: bytes):
    url = f"/jds/{job_description_id}"
    return client.post(
        f"{url}/logo",
        data={"logo": (io.BytesIO(data), filename), "csrf_token": csrf_token(client, url)},
        content_type="multipart/form-data",
    )


def test_logo_upload_is_used_in_the_download(head, session):
    from .conftest import make_png

    job_description = create_teaching_assistant(session)
    session.commit()
    response = upload_logo(head, job_description.id, "west.png", make_png())
    assert response.status_code == 302
    page = visible(head.get(f"/jds/{job_description.id}").get_data(as_text=True))
    assert "Westcountry Schools Trust's logo (west.png) is printed" in page
    docx = head.get(f"/jds/{job_description.id}/export/job-description.docx").data
    assert len(Document(io.BytesIO(docx)).inline_shapes) == 1


def test_bad_logo_is_explained_beside_the_field(head, session):
    job_description = create_teaching_assistant(session)
    session.commit()
    response = upload_logo(head, job_description.id, "logo.png", b"not an image")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert re.search(r'id="logo-error">.*logo.png: a logo must be a PNG or JPEG image', page, re.S)
