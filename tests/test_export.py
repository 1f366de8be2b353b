"""Word exports re-opened with python-docx: headings, numbered duties, the person-spec table,
signed copies (stored bytes, hash, signed record, older versions) and the CLI."""

from __future__ import annotations

import hashlib
import io
from datetime import date, timedelta

import pytest
from docx import Document
from docx.oxml.ns import qn

from jdtool.errors import DomainError, Forbidden
from jdtool.export.job_description import METHOD_LETTERS
from jdtool.services.approval import approve_job_description
from jdtool.services.documents import version_dict
from jdtool.services.exports import (
    export_job_description,
    list_signed_copies,
    produce_signed_copy,
    record_signed,
)

from .factories import (
    create_class_teaching_assistant,
    create_job_description,
    create_learning_support_assistant,
    create_teaching_assistant,
)

#: Documents of the shapes exports must handle, as keyword arguments of `create_job_description`.
DOCUMENTS = {
    "sub-categories and methods": {
        "title": "SEN Teaching Assistant",
        "sections": [
            ("Duties and Responsibilities", ["Ensure all pupils' safety.", "Promote inclusion."]),
            ("Support for the Teacher", ["Help prepare teaching materials."]),
        ],
        "categories": [
            ("Values-based behaviours", []),
            (
                "Compassion",
                [("Recognises need in others", "essential", ["interview"])],
                "Values-based behaviours",
            ),
            (
                "Experience",
                [
                    ("Has worked with SEN children", "essential", ["application", "interview"]),
                    ("Has delivered group work", "desirable", ["task", "references"]),
                ],
            ),
        ],
    },
    "priority not given": {
        "title": "SEN 1:1 Teaching Assistant",
        "sections": [("Typically the job will include", ["Supervise pupils at break."])],
        "categories": [("Knowledge, Skills and Experience", [("First aid training", None, [])])],
        "signatories": ["Job Holder", "Line Manager"],
        "extra_sections": [("Decision Making", ["Decides how to support the pupil."])],
    },
    "no person spec": {
        "title": "Teaching Assistant: 1:1 Support",
        "school": "Saltwood C of E Primary School",
        "sections": [("Duties and responsibilities", ["Support the pupil.", "Keep records."])],
        "categories": None,
    },
    "one duty section": {
        "title": "1:1 TA",
        "sections": [("Duties", ["Support the pupil's personal care."])],
        "categories": [("Personal qualities", [("Patience", "essential", ["interview"])])],
    },
}


def open_docx(content: bytes):
    return Document(io.BytesIO(content))


def body_texts(document, style: str) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name == style]


def footer_xml(document) -> str:
    return document.sections[0].footer._element.xml


@pytest.mark.parametrize("shape", DOCUMENTS.values(), ids=DOCUMENTS)
def test_jd_export_has_every_duty_as_a_numbered_list_item(session, shape):
    job_description = create_job_description(session, **shape, approve=True)
    document = open_docx(export_job_description(session, job_description.id).content)
    duties = [duty for _heading, section_duties in shape["sections"] for duty in section_duties]
    assert body_texts(document, "List Number") == duties
    headings = body_texts(document, "Heading 2")
    assert headings == [heading for heading, _duties in shape["sections"]]
    assert body_texts(document, "Title") == [shape["title"]]


@pytest.mark.parametrize("shape", DOCUMENTS.values(), ids=DOCUMENTS)
def test_person_spec_table_lists_every_criterion_with_priority_and_ticks(session, shape):
    job_description = create_job_description(session, **shape, approve=True)
    document = open_docx(export_job_description(session, job_description.id).content)
    if shape["categories"] is None:
        assert "Person specification" not in body_texts(document, "Heading 1")
        assert len(document.tables) == 1  # the header fields only
        return
    assert "Person specification" in body_texts(document, "Heading 1")
    table = document.tables[-1]
    header = [cell.text for cell in table.rows[0].cells]
    # No criterion with a priority (seed 002 gives none): no empty E/D column, no key for it.
    prioritised = any(
        priority for _name, criteria, *_parent in shape["categories"]
        for _text, priority, _methods in criteria
    )  # fmt: skip
    assert header[: 1 + prioritised] == ["Criterion", "E/D"][: 1 + prioritised]
    letters = header[1 + prioritised :]
    codes = {letter: code for code, letter in METHOD_LETTERS.items()}
    expected_rows = []
    for name, criteria, *_parent in shape["categories"]:
        expected_rows.append([name] * len(header))  # merged across the row
        for text, priority, methods in criteria:
            # An unresolved priority is left blank, never a "?".
            letter = {"essential": "E", "desirable": "D"}.get(priority, "")
            ticks = ["✓" if codes[column] in methods else "" for column in letters]
            expected_rows.append([text, *[letter][:prioritised], *ticks])
    assert [[cell.text for cell in row.cells] for row in table.rows[1:]] == expected_rows
    # The header row repeats on every page and no row splits across pages.
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert all(row._tr.trPr.find(qn("w:cantSplit")) is not None for row in table.rows)
    assert table.style.name == "Table Grid"
    key = body_texts(document, "Key")
    if prioritised:
        assert key[0].startswith("Key: E = Essential, D = Desirable")
    else:
        assert not any("Essential" in line for line in key)


def test_header_fields_and_footer(session):
    job_description = create_teaching_assistant(session)
    version = job_description.current
    document = open_docx(export_job_description(session, job_description.id).content)
    fields = {row.cells[0].text: row.cells[1].text for row in document.tables[0].rows}
    assert fields["Job title"] == "SEN Teaching Assistant (1:1 Support)"
    assert fields["Hours per week"] == "31.67"
    assert fields["Weeks per year"] == "38 + 2 INSET days"
    assert fields["Reports to"] == "The SENDCO"
    assert "£25,583 - £26,403" in fields["Salary"]
    assert body_texts(document, "Organisation") == ["Westcountry Schools Trust"]
    footer = footer_xml(document)
    assert "Version 1" in footer
    assert version.content_hash[:12] in footer
    assert "PAGE" in footer
    assert "NUMPAGES" in footer
    assert document.core_properties.title == version.title


def test_export_needs_an_approved_version(session):
    job_description = create_class_teaching_assistant(session, approve=False)
    with pytest.raises(Forbidden, match="no approved version yet"):
        export_job_description(session, job_description.id)


def test_signed_copy_names_the_postholder_and_every_signing_role(session):
    signing_roles = ["Job Holder", "Line Manager", "Designated Senior Manager"]
    job_description = create_job_description(session, signatories=signing_roles, approve=True)
    signed_copy = produce_signed_copy(session, job_description.id, "  Amira   Khan ")
    session.commit()
    assert signed_copy.postholder == "Amira Khan"
    assert signed_copy.sha256 == hashlib.sha256(signed_copy.content).hexdigest()
    document = open_docx(signed_copy.content)
    block = document.tables[-1]
    roles = [row.cells[0].paragraphs[0].text for row in block.rows]
    assert roles == signing_roles
    first = [p.text for p in block.rows[0].cells[0].paragraphs[1:]]
    assert first[0] == "Print name: Amira Khan"
    assert first[1].startswith("Signed: ___")
    assert first[2].startswith("Date: ___")
    assert block.rows[1].cells[0].paragraphs[1].text.startswith("Print name: ___")
    # Kept together: every paragraph but the very last keeps with the next one.
    paragraphs = [p for row in block.rows for p in row.cells[0].paragraphs]
    assert all(p.paragraph_format.keep_with_next for p in paragraphs[:-1])
    footer = footer_xml(document)
    assert "Signed copy for Amira Khan" in footer
    assert job_description.current.content_hash[:12] in footer


def test_signed_copy_without_roles_in_the_jd_has_employee_and_headteacher(session):
    job_description = create_teaching_assistant(session)
    document = open_docx(produce_signed_copy(session, job_description.id, "Sam Lee").content)
    roles = [row.cells[0].paragraphs[0].text for row in document.tables[-1].rows]
    assert roles == ["Employee", "Headteacher"]


def test_signed_copy_is_listed_and_keeps_its_bytes(session, create_user):
    head = create_user(email="head@example.org", role="head", name="Pat Head")
    job_description = create_class_teaching_assistant(session)
    signed_copy = produce_signed_copy(session, job_description.id, "Jo Bloggs", head)
    session.commit()
    stored = signed_copy.content
    session.expire_all()
    [listing] = list_signed_copies(session, job_description.id)
    assert listing.signed_copy.content == stored
    assert listing.produced_by == "Pat Head"
    assert listing.signed_copy.postholder == "Jo Bloggs"
    assert listing.superseded_by is None


def test_record_signed(session, create_user):
    head = create_user(email="head@example.org", role="head")
    job_description = create_class_teaching_assistant(session)
    signed_copy = produce_signed_copy(session, job_description.id, "Jo Bloggs", head)
    today = date.today()
    record_signed(session, signed_copy.id, today, "Jo Bloggs and Pat Head", head)
    session.commit()
    assert (signed_copy.signed_on, signed_copy.signed_by) == (today, "Jo Bloggs and Pat Head")
    with pytest.raises(Forbidden, match="already recorded as signed"):
        record_signed(session, signed_copy.id, today, "Someone else", head)


@pytest.mark.parametrize(
    ("days", "signed_by", "message"),
    [
        (1, "Jo", "cannot be in the future"),
        (-3, "Jo", "before the copy was produced"),
        (0, "   ", "Enter who signed"),
    ],
)
def test_record_signed_refuses_impossible_records(session, days, signed_by, message):
    job_description = create_class_teaching_assistant(session)
    signed_copy = produce_signed_copy(session, job_description.id, "Jo Bloggs")
    with pytest.raises(DomainError, match=message):
        record_signed(session, signed_copy.id, date.today() + timedelta(days=days), signed_by)


def test_panel_members_cannot_produce_or_record_signed_copies(session, create_user):
    panel = create_user(email="panel@example.org", role="panel")
    hr = create_user(email="hr@example.org", role="hr")
    job_description = create_class_teaching_assistant(session)
    with pytest.raises(Forbidden, match="cannot produce signed copies"):
        produce_signed_copy(session, job_description.id, "Jo", panel)
    signed_copy = produce_signed_copy(session, job_description.id, "Jo", hr)
    with pytest.raises(Forbidden, match="cannot record signed copies"):
        record_signed(session, signed_copy.id, date.today(), "Jo", hr)


def test_postholder_name_is_required(session):
    job_description = create_class_teaching_assistant(session)
    with pytest.raises(DomainError, match="Enter the postholder's name"):
        produce_signed_copy(session, job_description.id, "   ")


def test_copies_of_an_older_version_are_flagged_once_a_newer_one_is_approved(session):
    from jdtool.services.documents import start_new_version

    job_description = create_class_teaching_assistant(session)
    old_copy = produce_signed_copy(session, job_description.id, "Jo Bloggs")
    draft = start_new_version(session, job_description.id)
    assert (draft.number, draft.status) == (2, "draft")
    # A draft is not yet approved: the copy still refers to the newest approved version.
    assert list_signed_copies(session, job_description.id)[0].superseded_by is None
    approve_job_description(session, job_description.id)
    session.commit()
    new_copy = produce_signed_copy(session, job_description.id, "Jo Bloggs")
    listings = {
        item.signed_copy.id: item for item in list_signed_copies(session, job_description.id)
    }
    assert listings[old_copy.id].superseded_by == 2
    assert listings[new_copy.id].superseded_by is None
    assert new_copy.version_number == 2


def test_start_new_version_copies_every_part(session):
    from jdtool.services.documents import start_new_version

    job_description = create_teaching_assistant(session)
    before = version_dict(job_description.current)
    draft = start_new_version(session, job_description.id)
    session.commit()
    after = version_dict(draft)
    # A new version starts from the approved text, which was reviewed: no import findings.
    assert after["needs_review"] is False
    assert after["findings"] == []
    record_keeping = ("version", "status", "content_hash", "needs_review", "findings")
    assert {k: v for k, v in after.items() if k not in record_keeping} == {
        k: v for k, v in before.items() if k not in record_keeping
    }
    assert job_description.versions[0].status == "approved"
    with pytest.raises(Forbidden, match="already a draft"):
        start_new_version(session, job_description.id)


def test_cli_exports_jd_and_signed_copy(cli, session, tmp_path):
    job_description = create_teaching_assistant(session)
    session.commit()
    jd_file = tmp_path / "jd.docx"
    result = cli("export", str(job_description.id), "--kind", "jd", "-o", str(jd_file))
    assert result.exit_code == 0, result.output
    assert body_texts(open_docx(jd_file.read_bytes()), "Title") == [job_description.current.title]
    signed_file = tmp_path / "signed.docx"
    result = cli(
        "export", str(job_description.id), "--kind", "signed", "--for", "Sam Lee",
        "-o", str(signed_file),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    digest = hashlib.sha256(signed_file.read_bytes()).hexdigest()
    assert f"SHA-256 {digest[:12]}" in result.output
    assert "for Sam Lee" in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--kind", "signed", "-o", "x.docx"], "needs the postholder's name: --for NAME"),
        (["--kind", "jd", "--for", "Jo", "-o", "x.docx"], "--for is only for signed copies"),
        (["--kind", "jd", "-o", "x.pdf"], "can be written as .docx, not “.pdf”"),
    ],
)
def test_cli_export_refuses_bad_options(cli, session, tmp_path, args, message, monkeypatch):
    monkeypatch.chdir(tmp_path)
    job_description = create_class_teaching_assistant(session)
    session.commit()
    result = cli("export", str(job_description.id), *args)
    assert result.exit_code == 1
    assert message in result.output
    assert result.output.startswith("jdtool: ")
    assert not (tmp_path / "x.docx").exists()


def test_cli_export_of_a_draft_explains(cli, session, tmp_path):
    job_description = create_class_teaching_assistant(session, approve=False)
    session.commit()
    result = cli("export", str(job_description.id), "--kind", "jd", "-o", str(tmp_path / "a.docx"))
    assert result.exit_code == 1
    assert "has no approved version yet" in result.output
    assert "Traceback" not in result.output


# -- adverts --


def test_advert_shows_the_actual_salary_and_its_working(session):
    from jdtool.services.adverts import compose_advert, export_advert

    job_description = create_learning_support_assistant(session, school="Hill School")
    text = export_advert(session, job_description.id, "txt").content.decode("utf-8")
    assert "Salary (full-time equivalent): £25,185 – £28,142" in text
    assert "Actual salary: £11,459 – £12,805 a year (pro rata)" in text
    working = "\n".join(compose_advert(session, job_description.id).pay.working())
    assert "Hours: 20 of 37 full-time hours = 0.5405" in working
    assert "43.89 paid weeks ÷ 52.143 = 0.8418" in working
    assert "£25,185 → £11,459, £28,142 → £12,805" in working
    # The working is for HR (the advert page); applicants see the result only.
    assert "0.5405" not in text
    assert "How the actual salary is worked out" not in text
    assert "Hours: 20 hours a week" in text
    assert "Weeks: 38 weeks a year" in text
    assert "Fixed term until 31 August 2026" in text
    essentials = [c.text for c in job_description.current.criteria() if c.priority == "essential"]
    assert essentials
    for criterion in essentials:
        assert criterion not in text  # summarised, never repeated word for word
    assert "criteria for this post, covering experience and education and training." in text
    for heading in ("Safeguarding", "Online searches", "Equality", "Right to work in the UK"):
        assert f"\n{heading}\n" in text
    assert "enhanced Disclosure and Barring Service (DBS) check" in text


def test_advert_details_are_saved_and_used(session):
    from jdtool.services.adverts import compose_advert, export_advert, save_advert_details

    job_description = create_learning_support_assistant(session, school="Hill School")
    save_advert_details(
        session,
        job_description.id,
        closing_date=date(2027, 1, 15),
        interview_date=date(2027, 1, 22),
        start_date="As soon as possible",
        how_to_apply="Apply on the trust's website.",
        contact="Ms Patel, 01234 567890",
        paid_weeks="447/522",
        equality_statement="  ",
    )
    session.commit()
    text = export_advert(session, job_description.id, "txt").content.decode("utf-8")
    for line in (
        "Closing date: 15 January 2027",
        "Interview date: 22 January 2027",
        "Start date: As soon as possible",
        "Apply on the trust's website.",
        "Contact: Ms Patel, 01234 567890",
    ):
        assert line in text
    working = compose_advert(session, job_description.id).pay.working()
    assert any("paid as 447/522 of the year" in step for step in working)
    factor = 20 / 37 * 447 / 522
    assert f"£{round(25185 * factor):,} – £{round(28142 * factor):,} a year" in text
    assert "\nEquality\n" not in text  # a blanked statement is left out


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"closing_date": date(2027, 2, 1), "interview_date": date(2027, 1, 1)}, "on or after"),
        ({"paid_weeks": "most of them"}, "not a number of paid weeks"),
        ({"full_time_hours": 0}, "Full-time hours must be more than 0"),
        ({"weeks_in_year": 50.0}, "52 or 52.143"),
    ],
)
def test_impossible_advert_details_are_refused(session, changes, message):
    from jdtool.services.adverts import save_advert_details

    job_description = create_learning_support_assistant(session, school="Hill School")
    with pytest.raises(DomainError, match=message):
        save_advert_details(session, job_description.id, **changes)


def test_advert_without_salary_figures_says_why(session):
    from jdtool.services.adverts import compose_advert

    composed = compose_advert(session, create_class_teaching_assistant(session).id)
    assert composed.pay is None
    assert "no salary figures" in composed.pay_problem
    assert "Actual salary" not in dict(composed.advert.facts)


def test_advert_docx_and_html(session):
    from jdtool.services.adverts import export_advert

    job_description = create_learning_support_assistant(session, school="Hill School")
    document = open_docx(export_advert(session, job_description.id, "docx").content)
    facts = {row.cells[0].text: row.cells[1].text for row in document.tables[0].rows}
    assert facts["Actual salary"] == "£11,459 – £12,805 a year (pro rata)"
    assert "Who we are looking for" in body_texts(document, "Heading 1")
    html = export_advert(session, job_description.id, "html").content.decode("utf-8")
    assert "<dt>Actual salary</dt><dd>£11,459 – £12,805 a year (pro rata)</dd>" in html
    assert "<h2>Who we are looking for</h2>" in html
    assert "<title>SEN (1:1) Learning Support Assistant – Hill School</title>" in html
    assert "<main>\n<article>\n<header>" in html


def test_cli_advert_options(cli, session, tmp_path):
    job_description = create_learning_support_assistant(session, school="Hill School")
    session.commit()
    output = tmp_path / "advert.txt"
    result = cli(
        "export", str(job_description.id), "--kind", "advert", "--closing-date", "2027-01-15",
        "--paid-weeks", "43.6", "--weeks-in-year", "52", "-o", str(output),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    factor = 20 / 37 * 43.6 / 52
    expected = f"£{round(25185 * factor):,} – £{round(28142 * factor):,} a year"
    assert f"actual salary {expected}" in result.output
    text = output.read_text()
    assert expected in text
    assert "Closing date: 15 January 2027" in text
    # Saved: a later export without options uses the same facts.
    again = tmp_path / "again.txt"
    result = cli("export", str(job_description.id), "--kind", "advert", "-o", str(again))
    assert result.exit_code == 0
    assert again.read_text() == text


def test_cli_advert_options_only_for_adverts(cli, session, tmp_path):
    job_description = create_learning_support_assistant(session, school="Hill School")
    session.commit()
    result = cli(
        "export", str(job_description.id), "--kind", "jd", "--closing-date", "2027-01-15",
        "-o", str(tmp_path / "jd.docx"),
    )  # fmt: skip
    assert result.exit_code == 1
    assert "only for adverts" in result.output


def test_database_refuses_half_a_signed_record(session):
    from sqlalchemy.exc import IntegrityError

    job_description = create_class_teaching_assistant(session)
    signed_copy = produce_signed_copy(session, job_description.id, "Jo")
    session.commit()
    signed_copy.signed_on = date.today()
    with pytest.raises(IntegrityError):
        session.flush()


def test_cli_signed_copies_list_save_record_and_new_version(cli, session, tmp_path):
    job_description = create_class_teaching_assistant(session)
    session.commit()
    jd_id = str(job_description.id)
    first = tmp_path / "first.docx"
    assert (
        cli("export", jd_id, "--kind", "signed", "--for", "Jo Bloggs", "-o", str(first)).exit_code
        == 0
    )
    [line] = cli("signed", "list", jd_id).output.splitlines()
    fields = line.split("\t")
    copy_id = fields[0]
    assert fields[1:3] == ["Jo Bloggs", "version 1"]
    assert fields[-1] == hashlib.sha256(first.read_bytes()).hexdigest()

    again = tmp_path / "again.docx"
    assert cli("signed", "save", copy_id, "-o", str(again)).exit_code == 0
    assert again.read_bytes() == first.read_bytes()

    today = date.today().isoformat()
    result = cli("signed", "record", copy_id, "--on", today, "--by", "Jo Bloggs and Pat Head")
    assert result.exit_code == 0, result.output
    assert f"signed {today} by Jo Bloggs and Pat Head" in cli("signed", "list", jd_id).output

    assert "Started draft version 2" in cli("new-version", jd_id).output
    assert cli("approve", jd_id).exit_code == 0
    assert cli("signed", "list", jd_id).output.rstrip().endswith("older: version 2 is approved")


def test_cli_signed_record_refuses_a_future_date(cli, session, tmp_path):
    job_description = create_class_teaching_assistant(session)
    session.commit()
    out = str(tmp_path / "s.docx")
    cli("export", str(job_description.id), "--kind", "signed", "--for", "Jo", "-o", out)
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    result = cli("signed", "record", "1", "--on", tomorrow, "--by", "Jo")
    assert result.exit_code == 1
    assert result.output == "jdtool: The signing date cannot be in the future.\n"


def test_signed_copies_and_advert_details_are_stored_intact(session):
    from sqlalchemy.exc import IntegrityError

    from jdtool.models import AdvertDetails
    from jdtool.services.adverts import export_advert, save_advert_details

    job_description = create_learning_support_assistant(session, school="Hill School")
    signed_copy = produce_signed_copy(session, job_description.id, "Jo Bloggs")
    save_advert_details(session, job_description.id, weeks_in_year=52.143, leave_days=35)
    session.commit()
    session.expire_all()
    assert hashlib.sha256(signed_copy.content).hexdigest() == signed_copy.sha256
    text = export_advert(session, job_description.id, "txt").content.decode()
    assert "£11,459 – £12,805 a year" in text
    session.add(AdvertDetails(job_description_id=job_description.id, weeks_in_year=50))
    with pytest.raises(IntegrityError):
        session.flush()


# -- organisation logo --


def test_logo_is_printed_on_every_kind_of_document(session):
    from jdtool.services.adverts import export_advert
    from jdtool.services.exports import set_organisation_logo

    from .conftest import make_png

    job_description = create_teaching_assistant(session)
    assert not open_docx(export_job_description(session, job_description.id).content).inline_shapes
    set_organisation_logo(session, job_description.id, "west.png", make_png())
    session.commit()
    for content in (
        export_job_description(session, job_description.id).content,
        produce_signed_copy(session, job_description.id, "Sam Lee").content,
        export_advert(session, job_description.id, "docx").content,
    ):
        [logo] = open_docx(content).inline_shapes
        assert round(logo.height.cm, 1) == 2.0
        assert round(logo.width.cm, 1) == 6.0  # 120 × 40 pixels keeps its proportions


@pytest.mark.parametrize(
    ("organisation", "data", "message"),
    [
        (None, b"\x89PNG\r\n\x1a\n", "names no school or organisation"),
        ("Westcountry Schools Trust", b"GIF89a....", "must be a PNG or JPEG image"),
        ("Westcountry Schools Trust", b"\x89PNG\r\n\x1a\nbroken", "damaged"),
        ("Westcountry Schools Trust", b"\xff\xd8\xff" + b"\x00" * (1024 * 1024), "at most 1024 KB"),
    ],
)
def test_unusable_logos_are_explained(session, organisation, data, message):
    from jdtool.services.exports import set_organisation_logo

    job_description = create_job_description(session, organisation=organisation, approve=True)
    with pytest.raises(DomainError, match=message):
        set_organisation_logo(session, job_description.id, "logo.png", data)


def test_advert_gives_the_end_date_when_the_contract_is_not_worded(session):
    from jdtool.services.adverts import compose_advert

    job_description = create_learning_support_assistant(session, school="Hill School")
    version = job_description.current
    version.contract, version.contract_end = None, date(2026, 8, 31)
    facts = dict(compose_advert(session, job_description.id).advert.facts)
    assert facts["Contract"] == "Fixed term until 31 August 2026"
