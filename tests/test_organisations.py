"""Organisations: schools and trusts as records, what JDs and adverts take from them, the
command line and the web pages."""

from __future__ import annotations

import html
import io
import re
import struct
import zlib
from datetime import date, timedelta

import pytest
from docx import Document

from jdtool.document import Salary
from jdtool.errors import DomainError
from jdtool.services.adverts import compose_advert, export_advert, save_advert_details
from jdtool.services.organisations import (
    add_organisation,
    check_logo,
    find_organisation,
    list_organisations,
    set_logo,
    update_organisation,
)

from .conftest import make_png
from .factories import create_job_description, create_learning_support_assistant
from .test_web import sign_in


def png_header(width: int, height: int) -> bytes:
    """A PNG whose header claims `width` × `height` pixels, with a tiny (wrong) image body."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


def page_text(response) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))


# -- records --


def test_imported_names_are_matched_ignoring_case_and_spacing(session):
    first = create_job_description(session, organisation="Oak Trust", school="Hill School")
    second = create_job_description(
        session, organisation="  OAK   trust ", school="hill school", title="Cook"
    )
    assert second.current.organisation is first.current.organisation
    assert second.current.school is first.current.school
    assert first.current.school.kind == "school"
    assert first.current.school.parent is first.current.organisation
    [trust, school] = list_organisations(session)
    assert (trust.organisation.name, trust.job_descriptions) == ("Oak Trust", 2)
    assert (school.organisation.name, school.job_descriptions) == ("Hill School", 2)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"name": " "}, "Enter the organisation's name"),
        ({"name": "oak TRUST"}, "already an organisation"),
        ({"name": "New", "parent": "Nowhere"}, "no trust or organisation “Nowhere”"),
        ({"name": "New", "parent": "Hill School"}, "a school belongs to a trust"),
        ({"name": "New", "full_time_hours": 0}, "Full-time hours"),
        ({"name": "New", "weeks_divisor": 50.0}, "52 or 52.143"),
        ({"name": "New", "paid_weeks": "lots"}, "not a number of paid weeks"),
    ],
)
def test_impossible_organisations_are_refused(session, fields, message):
    trust = add_organisation(session, "Oak Trust")
    add_organisation(session, "Hill School", parent=trust.id)
    fields = dict(fields)  # the same parameters run once per database
    name = fields.pop("name")
    with pytest.raises(DomainError, match=message):
        add_organisation(session, name, **fields)


def test_a_trust_cannot_belong_to_its_own_school(session):
    trust = add_organisation(session, "Oak Trust")
    add_organisation(session, "Hill School", parent="Oak Trust")
    other = add_organisation(session, "Elm Trust")
    with pytest.raises(DomainError, match="cannot belong to itself"):
        update_organisation(session, trust.id, parent=trust.id)
    assert update_organisation(session, trust.id, parent=other.id).parent is other


def test_a_name_printed_on_approved_versions_cannot_change(session):
    job_description = create_job_description(session, organisation="OAK TRUST", approve=True)
    trust = job_description.current.organisation
    with pytest.raises(DomainError, match="approved version never changes"):
        update_organisation(session, trust.id, name="Oak Trust")
    update_organisation(session, trust.id, contact="Ms Patel")  # other details may change
    draft_only = add_organisation(session, "ELM TRUST")
    assert update_organisation(session, draft_only.id, name="Elm Trust").name == "Elm Trust"


# -- logos --


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (png_header(2**31 - 1, 2**31 - 1), "too large"),
        (png_header(5000, 20), "too large (5,000 × 20 pixels)"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "damaged"),
        (b"%PDF-1.7 not an image", "must be a PNG or JPEG"),
    ],
)
def test_unusable_logos_are_refused_from_their_header(data, message):
    with pytest.raises(DomainError, match=re.escape(message)):
        check_logo("logo.png", data)


def test_a_schools_logo_is_used_before_its_trusts(session):
    from jdtool.services.exports import organisation_logo

    job_description = create_job_description(
        session, organisation="Oak Trust", school="Hill School", approve=True
    )
    version = job_description.current
    set_logo(session, version.organisation.id, "trust.png", make_png(100, 40))
    assert organisation_logo(session, version) == make_png(100, 40)
    set_logo(session, version.school.id, "school.png", make_png(60, 60))
    assert organisation_logo(session, version) == make_png(60, 60)


# -- adverts --


def teaching_assistant_entered_without_a_basis(session):
    """FTE £24,790–£25,183, 32.5 hours, 39 weeks, as the web editor or `jdtool edit` may
    leave it: figures with no basis."""
    return create_job_description(
        session,
        title="Teaching Assistant",
        organisation="Oak Trust",
        school="Hill School",
        salary=Salary(24790.0, 25183.0, None, None),
        hours_per_week=32.5,
        weeks_per_year=39.0,
        approve=True,
    )


def test_the_advert_shows_both_ends_of_the_actual_salary_however_pay_was_entered(session):
    job_description = teaching_assistant_entered_without_a_basis(session)
    composed = compose_advert(session, job_description.id)
    facts = dict(composed.advert.facts)
    factor = 32.5 / 37 * (39 * 52.143 / (52.143 - 7)) / 52.143
    low, high = round(24790 * factor), round(25183 * factor)
    assert facts["Actual salary"] == f"£{low:,} – £{high:,} a year (pro rata)"
    assert facts["Salary (full-time equivalent)"] == "£24,790 – £25,183"
    assert "Salary" not in facts
    assert composed.advert.employer == "Oak Trust · Hill School"


def test_the_organisations_pay_rules_and_statements_are_used(session):
    job_description = teaching_assistant_entered_without_a_basis(session)
    version = job_description.current
    update_organisation(
        session,
        version.organisation.id,
        full_time_hours=36.0,
        paid_weeks="447/522",
        equality_statement="Oak Trust welcomes everyone.",
    )
    update_organisation(session, version.school.id, safeguarding_statement="Hill keeps safe.")
    save_advert_details(session, job_description.id, full_time_hours=37.0)
    composed = compose_advert(session, job_description.id)
    factor = 32.5 / 36 * 447 / 522
    assert composed.pay.actual_min == round(24790 * factor)
    assert composed.pay.actual_max == round(25183 * factor)
    statements = dict(composed.advert.statements)
    assert statements["Safeguarding"] == "Hill keeps safe."
    assert statements["Equality"] == "Oak Trust welcomes everyone."
    assert "Online searches" in statements  # the advert's own, where the records have none


def test_the_advert_summarises_the_spec_and_the_html_is_a_job_board_page(session):
    job_description = create_learning_support_assistant(session, school="Hill School")
    page = export_advert(session, job_description.id, "html").content.decode()
    for criterion in job_description.current.criteria():
        assert criterion.text not in page
    assert "<title>SEN (1:1) Learning Support Assistant – Hill School</title>" in page
    assert "<main>" in page
    assert "<article>" in page
    assert "<section>" in page
    assert "<h1>SEN (1:1) Learning Support Assistant</h1>" in page
    assert "0.5405" not in page  # the working is for HR only
    assert not re.search(r"jdtool|advert:|\?", page, re.IGNORECASE)


def test_a_closing_date_in_the_past_is_refused(session, cli):
    job_description = create_learning_support_assistant(session, school="Hill School")
    yesterday = date.today() - timedelta(days=1)
    with pytest.raises(DomainError, match="in the past"):
        save_advert_details(session, job_description.id, closing_date=yesterday)
    session.commit()
    result = cli(
        "export", str(job_description.id), "--kind", "advert",
        "--closing-date", yesterday.isoformat(), "-o", "advert.txt",
    )  # fmt: skip
    assert result.exit_code == 1
    assert result.output.count("\n") == 1
    assert "in the past" in result.output


def test_an_advert_without_employer_or_pay_does_not_go_out(session, cli, client, create_user):
    """Seed 004 names no school and no salary: its advert page says so, and no advert file is
    made (web, command line or service) until a version names both."""
    no_employer = create_learning_support_assistant(session)
    no_pay = create_job_description(
        session, title="Teaching Assistant", school="Hill School", approve=True
    )
    session.commit()
    with pytest.raises(DomainError, match="without the employer"):
        export_advert(session, no_employer.id, "docx")
    with pytest.raises(DomainError, match="without the salary"):
        export_advert(session, no_pay.id, "html")
    session.rollback()
    result = cli("export", str(no_pay.id), "--kind", "advert", "-o", "advert.docx")
    assert result.exit_code == 1
    assert result.output.count("\n") == 1
    assert "cannot go out without the salary" in result.output
    create_user("hr@example.org", "correct horse battery", role="hr")
    sign_in(client, "hr@example.org")
    refused = client.get(f"/jds/{no_employer.id}/advert.docx", follow_redirects=True)
    page = html.unescape(refused.get_data(as_text=True))
    assert refused.request.path == f"/jds/{no_employer.id}/advert"
    assert "cannot go out without the employer (the school or trust)" in page


def test_the_school_name_logo_and_statements_reach_every_document(session):
    from jdtool.services.exports import export_job_description, produce_signed_copy

    job_description = teaching_assistant_entered_without_a_basis(session)
    set_logo(session, job_description.current.school.id, "hill.png", make_png())
    for content in (
        export_job_description(session, job_description.id).content,
        produce_signed_copy(session, job_description.id, "Sam Lee").content,
        export_advert(session, job_description.id, "docx").content,
    ):
        document = Document(io.BytesIO(content))
        assert len(document.inline_shapes) == 1
        assert "Hill School" in "\n".join(p.text for p in document.paragraphs) + "".join(
            cell.text for table in document.tables for row in table.rows for cell in row.cells
        )


# -- command line --


def test_org_commands(cli, tmp_path):
    statement = tmp_path / "safeguarding.txt"
    statement.write_text("Oak Trust keeps children safe.\n", encoding="utf-8")
    assert cli("org", "add", "Oak Trust", "--full-time-hours", "36").output == "1\tOak Trust\n"
    result = cli(
        "org", "add", "Hill School", "--parent", "oak trust", "--address", "1 Hill Road\\nKent",
        "--weeks-divisor", "52", "--leave-days", "30",
    )  # fmt: skip
    assert result.output == "2\tHill School\n"
    result = cli("org", "set", "1", "--safeguarding-statement-file", str(statement))
    assert result.exit_code == 0, result.output
    assert cli("org", "list").output == (
        "1\tOak Trust\ttrust\t0 JDs\n2\tHill School\tschool of Oak Trust\t0 JDs\n"
    )
    for args, message in [
        (("org", "add", "OAK  TRUST"), "already an organisation"),
        (("org", "set", "9", "--contact", "x"), "no organisation with ID 9"),
        (("org", "set", "1"), "Nothing to change"),
        (("org", "add", "X", "--paid-weeks", "many"), "not a number of paid weeks"),
    ]:
        result = cli(*args)
        assert result.exit_code == 1, args
        assert result.output.count("\n") == 1, result.output
        assert message in result.output


def test_org_statement_reaches_the_advert(cli, session, tmp_path):
    job_description = create_learning_support_assistant(session)
    session.commit()
    assert cli("org", "add", "Oak Trust").exit_code == 0
    with session.no_autoflush:
        job_description.current.organisation = find_organisation(session, "oak trust")
    session.commit()
    statement = tmp_path / "equality.txt"
    statement.write_text("Oak welcomes all.", encoding="utf-8")
    assert cli("org", "set", "1", "--equality-statement-file", str(statement)).exit_code == 0
    output = tmp_path / "advert.txt"
    result = cli("export", str(job_description.id), "--kind", "advert", "-o", str(output))
    assert result.exit_code == 0, result.output
    text = output.read_text()
    assert text.startswith("Oak Trust\n")
    assert "\nEquality\nOak welcomes all.\n" in text


# -- web --


@pytest.fixture
def hr(client, create_user):
    create_user()
    assert sign_in(client).status_code == 302
    return client


def form_token(response) -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', response.get_data(as_text=True))[1]


def test_hr_adds_and_edits_an_organisation_with_a_logo(hr, session):
    token = form_token(hr.get("/organisations/new"))
    response = hr.post(
        "/organisations/new",
        data={"csrf_token": token, "name": "Oak Trust", "kind": "trust", "parent": "",
              "weeks_divisor": "52", "full_time_hours": "36", "leave_days": "",
              "logo": (io.BytesIO(make_png()), "oak.png")},
        content_type="multipart/form-data",
    )  # fmt: skip
    assert response.status_code == 302
    organisation = find_organisation(session, "Oak Trust")
    assert (organisation.weeks_divisor, organisation.full_time_hours) == (52, 36)
    assert "Oak Trust" in page_text(hr.get("/organisations/"))
    page = hr.get(f"/organisations/{organisation.id}")
    response = hr.post(
        f"/organisations/{organisation.id}",
        data={"csrf_token": form_token(page), "name": "Oak Trust", "kind": "trust",
              "parent": "", "weeks_divisor": "", "contact": "Ms Patel",
              "logo": (io.BytesIO(png_header(2**31 - 1, 2**31 - 1)), "bomb.png")},
        content_type="multipart/form-data",
    )  # fmt: skip
    assert response.status_code == 400
    error = re.search(r'id="logo-error">(.*?)</p>', response.get_data(as_text=True), re.S)[1]
    assert "too large" in html.unescape(error)
    session.expire_all()
    assert find_organisation(session, "Oak Trust").contact is None  # nothing saved


def test_a_past_closing_date_is_shown_beside_the_field(hr, session):
    job_description = create_learning_support_assistant(session, school="Hill School")
    session.commit()
    page = hr.get(f"/jds/{job_description.id}/advert")
    yesterday = date.today() - timedelta(days=1)
    response = hr.post(
        f"/jds/{job_description.id}/advert",
        data={"csrf_token": form_token(page), "closing_date": yesterday.isoformat(),
              "full_time_hours": "37", "weeks_in_year": "52.143", "leave_days": "35"},
    )  # fmt: skip
    assert response.status_code == 400
    error = re.search(r'id="closing_date-error">(.*?)</p>', response.get_data(as_text=True), re.S)
    assert "in the past" in error[1]


@pytest.mark.parametrize("role", ["panel", "head"])
def test_only_administrators_and_hr_manage_organisations(client, create_user, role):
    create_user(email=f"{role}@example.org", role=role)
    assert sign_in(client, f"{role}@example.org").status_code == 302
    assert client.get("/organisations/").status_code == 403
    assert client.get("/organisations/new").status_code == 403
