"""Hostile files through the web and the CLI: every upload checked by what its bytes are,
refused in one line beside the field, nothing stored, and stored files sent back safely."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from sqlalchemy import func, select

from jdtool.importing.file_types import display_filename
from jdtool.models import (
    Applicant,
    ApplicationFile,
    Clause,
    JobDescription,
    JobDescriptionVersion,
    OrganisationLogo,
)
from jdtool.services.documents import import_document

from . import hostile_files
from .conftest import make_png, seed_path
from .recruitment_data import PASSWORD

CSRF_TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
FIELD_ERROR = re.compile(r'<p class="field-error"[^>]*>(.*?)</p>', re.DOTALL)
#: Hostile files quick to build, for the web and CLI round trips (the fuzz tests read them all).
WEB_HOSTILE = [
    "truncated-docx",
    "no-document-xml",
    "zip-bomb",
    "billion-laughs",
    "xxe-passwd",
    "deep-nesting",
    "pdf-named-docx",
    "png-named-docx",
    "html-named-docx",
    "pdf-named-txt",
    "nul-bytes",
    "huge-line",
    "many-tab-cells",
]


@pytest.fixture
def database_template(round_template):
    """Each test starts from a copy of one prepared round (building it costs seconds)."""
    return round_template


def token(client, url: str) -> str:
    return CSRF_TOKEN.search(client.get(url).get_data(as_text=True)).group(1)


@pytest.fixture
def hr(client, create_user):
    create_user("hr-uploads@example.org", PASSWORD, role="hr")
    client.post(
        "/login",
        data={
            "email": "hr-uploads@example.org",
            "password": PASSWORD,
            "csrf_token": token(client, "/login"),
        },
    )
    return client


def field_errors(response) -> list[str]:
    """The errors shown beside form fields, as a reader sees them."""
    return [
        re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("Error:", "").strip()
        for html in FIELD_ERROR.findall(response.get_data(as_text=True))
    ]


def page_text(response) -> str:
    from html import unescape

    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))))


def stored_counts(session) -> dict[str, int]:
    session.expire_all()
    return {
        model.__name__: session.scalar(select(func.count()).select_from(model))
        for model in (JobDescription, JobDescriptionVersion, Clause, ApplicationFile, Applicant)
    }


# -- JD import through the web ------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["zip-bomb", "xxe-passwd", "png-named-docx", "pdf-named-txt", "huge-line"]
)
def test_web_import_refuses_a_hostile_file_beside_the_field(hr, session, name):
    filename, data = hostile_files.catalogue_file(name)
    before = stored_counts(session)
    response = hr.post(
        "/jds/import",
        data={"document": (io.BytesIO(data), filename), "csrf_token": token(hr, "/jds/import")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    errors = field_errors(response)
    assert len(errors) == 1
    assert errors[0].startswith(f"{filename}: ")
    assert "Traceback" not in response.get_data(as_text=True)
    assert stored_counts(session) == before


@pytest.mark.parametrize(
    ("crafted", "expected"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ('form"; filename="evil.html.pdf', "form ; filename= evil.html.pdf"),
        ("form\r\nSet-Cookie: session=stolen.pdf", "form Set-Cookie: session=stolen.pdf"),
        ("C:\\Users\\jo\\Desktop\\form.pdf", "form.pdf"),
        ("Ffurflen gais – Siân Ó Briain.pdf", "Ffurflen gais – Siân Ó Briain.pdf"),
        ("x" * 300 + ".pdf", "x" * 116 + ".pdf"),
        ("\u202etxt.exe\x00.pdf", "txt.exe .pdf"),
        ("....", "upload"),
    ],
    ids=["traversal", "quotes", "crlf", "windows-path", "unicode", "very-long", "rtl-nul", "dots"],
)
def test_uploaded_file_names_are_made_safe(crafted, expected):
    assert display_filename(crafted) == expected


def test_imported_file_name_is_stored_safely(session):
    job_description = import_document(
        session, '..\\..\\etc/evil"\r\nX: y".txt', seed_path("004").read_bytes()
    )
    assert job_description.source_filename == "evil X: y .txt"


# -- JD import through the CLI ------------------------------------------------------------------


def test_cli_refuses_hostile_files_and_imports_the_others(cli, tmp_path, session):
    good = tmp_path / "ta.txt"
    good.write_bytes(seed_path("004").read_bytes())
    good_docx = tmp_path / "ta.docx"
    good_docx.write_bytes(hostile_files.good_docx())
    hostile = []
    for name in WEB_HOSTILE:
        filename, data = hostile_files.catalogue_file(name)
        path = tmp_path / f"{name}{Path(filename).suffix}"
        path.write_bytes(data)
        hostile.append(path)
    before = stored_counts(session)

    result = cli("import", str(good), *map(str, hostile), str(good_docx))

    assert result.exit_code == 1
    imported = result.stdout.splitlines()
    assert len(imported) == 2
    assert imported[0].split("\t")[2] != "0 duties"
    # Refusals start "jdtool: FILE:"; the good files' import findings are "FILE: warning: …".
    errors = [line for line in result.stderr.splitlines() if ": warning: " not in line]
    assert len(errors) == len(hostile)
    for path, line in zip(hostile, errors, strict=True):
        assert line.startswith(f"jdtool: {path}: ")
        assert len(line) < 300
    assert stored_counts(session)["JobDescription"] == before["JobDescription"] + 2


# -- the organisation logo ----------------------------------------------------------------------


def upload_logo(client, job_description_id: int, filename: str, data: bytes):
    url = f"/jds/{job_description_id}"
    return client.post(
        f"{url}/logo",
        data={"logo": (io.BytesIO(data), filename), "csrf_token": token(client, url)},
        content_type="multipart/form-data",
    )


@pytest.mark.parametrize(
    ("filename", "data", "reason"),
    [
        ("logo.png", hostile_files.SVG, "this file is an SVG image"),
        ("logo.png", hostile_files.HTML, "this file is a web page or XML file"),
        ("logo.jpg", hostile_files.minimal_pdf(), "this file is a PDF document"),
    ],
    ids=["svg", "html", "pdf"],
)
def test_logo_is_checked_by_content(hr, session, round_, filename, data, reason):
    job_description_id = round_.vacancy.version.job_description_id
    response = upload_logo(hr, job_description_id, filename, data)
    assert response.status_code == 400
    assert any(reason in error for error in field_errors(response))
    session.expire_all()
    assert session.scalar(select(func.count()).select_from(OrganisationLogo)) == 0


def test_logo_named_docx_is_refused_by_the_form(hr, round_):
    response = upload_logo(hr, round_.vacancy.version.job_description_id, "logo.docx", make_png())
    assert response.status_code == 400
    assert "The logo must be a PNG or JPEG image." in field_errors(response)


def test_logo_is_stored_in_the_database_not_in_a_served_folder(hr, session, round_, app):
    logo = make_png()
    before = _files_under(app)
    response = upload_logo(hr, round_.vacancy.version.job_description_id, "a/../../x.png", logo)
    assert response.status_code == 302
    session.expire_all()
    stored = session.scalars(select(OrganisationLogo)).one()
    assert stored.content == logo
    assert stored.filename == "x.png"
    assert stored.content_type == "image/png"
    assert _files_under(app) == before


def _files_under(app) -> set[Path]:
    """Every file under the folders the app could serve or write to."""
    roots = [Path(app.root_path), Path(app.instance_path)]
    if app.static_folder:
        roots.append(Path(app.static_folder))
    return {path for root in roots if root.exists() for path in root.rglob("*") if path.is_file()}


# -- application forms on vacancies -------------------------------------------------------------


def upload_form(client, round_, filename: str, data: bytes, application_index: int = 0):
    application = round_.applications[application_index]
    url = f"/vacancies/{round_.vacancy.id}/applicants"
    return client.post(
        f"/vacancies/{round_.vacancy.id}/applications/{application.id}/files",
        data={"csrf_token": token(client, url), "file": (io.BytesIO(data), filename)},
        follow_redirects=True,
    )


@pytest.mark.parametrize(
    ("filename", "data", "reason"),
    [
        ("form.docx", make_png(), "form.docx is not a PDF or Word (.docx) document (it is a PNG"),
        ("form.pdf", hostile_files.HTML, "(it is a web page or XML file)"),
        ("form.pdf", hostile_files.polyglot_png_html(), "(it is a PNG image)"),
        ("form.docx", hostile_files.zip_of_photos(), "(it is a zip archive)"),
    ],
    ids=["png-as-docx", "html-as-pdf", "png-html-polyglot", "zip-as-docx"],
)
def test_application_form_is_checked_by_content(hr, session, round_, filename, data, reason):
    before = stored_counts(session)
    response = upload_form(hr, round_, filename, data)
    assert reason in page_text(response)
    assert stored_counts(session) == before


@pytest.mark.parametrize(
    ("filename", "data", "stored_as", "mimetype"),
    [
        ("form.pdf", hostile_files.good_docx(), "form.docx", "wordprocessingml"),
        ("form.docx", hostile_files.clean_pdf(), "form.pdf", "application/pdf"),
    ],
    ids=["docx-named-pdf", "pdf-named-docx"],
)
def test_application_form_is_kept_as_what_it_really_is(
    hr, session, round_, filename, data, stored_as, mimetype
):
    upload_form(hr, round_, filename, data)
    session.expire_all()
    stored = session.scalars(select(ApplicationFile)).one()
    assert stored.filename == stored_as
    response = hr.get(
        f"/vacancies/{round_.vacancy.id}/applications/{stored.application_id}/files/{stored.id}"
    )
    assert mimetype in response.headers["Content-Type"]
    assert response.data == data


@pytest.mark.parametrize(
    ("crafted", "expected"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("Ffurflen gais – Siân Ó Briain " + "x" * 200 + ".pdf", None),
        ("....pdf", "pdf.pdf"),
    ],
    ids=["traversal", "long-unicode", "dots"],
)
def test_download_of_a_crafted_file_name_is_safe(hr, session, round_, crafted, expected):
    data = hostile_files.minimal_pdf()
    upload_form(hr, round_, crafted, data)
    session.expire_all()
    stored = session.scalars(select(ApplicationFile)).one()
    assert stored.filename == (expected or display_filename(crafted))
    assert len(stored.filename) <= 120
    response = hr.get(
        f"/vacancies/{round_.vacancy.id}/applications/{stored.application_id}/files/{stored.id}"
    )
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "\r" not in disposition
    assert "\n" not in disposition
    assert "/" not in disposition.replace("filename*=UTF-8''", "")
    assert "Set-Cookie" not in response.headers
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Type"] == "application/pdf"


def test_uploaded_forms_live_in_the_database_only(hr, session, round_, app):
    before = _files_under(app)
    data = hostile_files.clean_pdf("jdtool-upload-marker-7781")
    upload_form(hr, round_, "form.pdf", data)
    session.expire_all()
    assert session.scalars(select(ApplicationFile.content)).one() == data
    assert _files_under(app) == before
    for path in Path(app.root_path).rglob("*"):
        if path.is_file() and path.stat().st_size < 5_000_000:
            assert b"jdtool-upload-marker-7781" not in path.read_bytes()


# -- CSV imports --------------------------------------------------------------------------------


def import_applicants(client, round_, data: bytes, filename: str = "applicants.csv"):
    url = f"/vacancies/{round_.vacancy.id}/applicants"
    return client.post(
        url,
        data={"csv-csrf_token": token(client, url), "csv-file": (io.BytesIO(data), filename)},
        content_type="multipart/form-data",
    )


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (make_png(), "The applicants file is a PNG image, not a CSV file."),
        (hostile_files.good_docx(), "The applicants file is a Word .docx document, not a CSV"),
        ("name,email\nJo,jo@example.org\n".encode("utf-16"), "is not UTF-8 text"),
        (b"name,email\nJo,jo@example.org\n\xff\xfe\x00", "is not UTF-8 text"),
        (b"name,email\nJo\x00,jo@example.org\n", "The applicants file is not text."),
        (
            b'name,email\n"' + b"x" * 200_000 + b'",jo@example.org\n',
            "has a cell over 131,072 characters long (line 2)",
        ),
        (b"name,email\n" + b"Jo,jo@example.org\n" * 20_001, "more than 20,000 rows"),
        (b"name,email\n" + b"a" * (6 * 1024 * 1024), "The applicants file is 6 MB"),
        (b",".join(b"c%d" % i for i in range(60)) + b"\n", "has 60 columns"),
    ],
    ids=[
        "png", "docx", "utf16", "invalid-utf8", "nul", "huge-field", "many-rows", "huge-file",
        "many-columns",
    ],
)  # fmt: skip
def test_applicants_csv_refused_with_one_clear_line(hr, session, round_, data, reason):
    before = stored_counts(session)
    response = import_applicants(hr, round_, data)
    assert response.status_code == 400
    errors = field_errors(response)
    assert any(reason in error for error in errors), errors
    assert stored_counts(session) == before


def test_scores_csv_refuses_a_binary_file(hr, round_):
    stage_url = f"/vacancies/{round_.vacancy.id}/shortlisting"
    response = hr.post(
        f"{stage_url}/scores/import",
        data={"csrf_token": token(hr, stage_url), "file": (io.BytesIO(make_png()), "scores.csv")},
        follow_redirects=True,
    )
    assert "The scores file is a PNG image, not a CSV file." in page_text(response)


def test_cli_applicants_import_of_a_binary_file(cli, tmp_path, round_):
    path = tmp_path / "applicants.csv"
    path.write_bytes(hostile_files.minimal_pdf())
    result = cli("applicants", "import", str(round_.vacancy.id), str(path))
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "jdtool: The applicants file is a PDF document, not a CSV file. Save it as 'CSV UTF-8'."
    )


def test_formula_in_an_imported_name_is_defused_in_the_scores_export(hr, session, round_):
    data = b'name,email\n"=HYPERLINK(""http://evil.example"",""x"")",evil@example.org\n'
    assert import_applicants(hr, round_, data).status_code == 302
    response = hr.get(f"/vacancies/{round_.vacancy.id}/shortlisting/scores-template.csv")
    assert response.status_code == 200
    assert b'"=HYPERLINK' not in response.data
    assert b"\n=" not in response.data
    assert b",=" not in response.data


# -- oversized requests -------------------------------------------------------------------------


@pytest.mark.parametrize("form", ["logo", "applicants", "application form"])
def test_oversized_upload_gets_the_apps_own_page(hr, app, round_, monkeypatch, form):
    job_url = f"/jds/{round_.vacancy.version.job_description_id}"
    applicants_url = f"/vacancies/{round_.vacancy.id}/applicants"
    application = round_.applications[0]
    posts = {
        "logo": (f"{job_url}/logo", {"logo": "big.png", "csrf_token": token(hr, job_url)}),
        "applicants": (
            applicants_url,
            {"csv-file": "big.csv", "csv-csrf_token": token(hr, applicants_url)},
        ),
        "application form": (
            f"/vacancies/{round_.vacancy.id}/applications/{application.id}/files",
            {"file": "big.pdf", "csrf_token": token(hr, applicants_url)},
        ),
    }
    url, fields = posts[form]
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 4096)
    data = {
        key: (io.BytesIO(b"x" * 10_000), value) if key.endswith(("logo", "file")) else value
        for key, value in fields.items()
    }
    response = hr.post(url, data=data, content_type="multipart/form-data")
    assert response.status_code == 413
    text = page_text(response)
    assert "The file is larger than the 20 MB limit." in text
    assert "Request Entity Too Large" not in text
    assert "jdtool" in text  # the app's own page, with its navigation


def test_every_page_forbids_content_sniffing(hr):
    for url in ("/", "/jds", "/jds/import", "/login", "/no-such-page"):
        assert hr.get(url).headers["X-Content-Type-Options"] == "nosniff"


def test_control_characters_never_reach_postgresql(postgres_url, tmp_path):
    """PostgreSQL refuses NUL in text: a file with NUL and other control characters past its
    first 4 KB imports cleanly there, beside a hostile file that is refused."""
    from click.testing import CliRunner

    from jdtool.cli import main

    text = tmp_path / "ta.txt"
    text.write_bytes(
        ("Main duties\n" + "1. Support the pupil in class.\n" * 200).encode()
        + b"2. Keep\x00 records\x1b of progress.\n"
    )
    bomb = tmp_path / "bomb.docx"
    bomb.write_bytes(hostile_files.entity_bomb())
    runner = CliRunner()
    result = runner.invoke(main, ["--db", postgres_url, "import", str(text), str(bomb)])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"jdtool: {bomb}: the Word file contains a document type")
    job_id = result.stdout.split("\t")[0]
    shown = runner.invoke(main, ["--db", postgres_url, "show", job_id, "--json"])
    assert "Keep records of progress." in shown.stdout


# -- metadata in application-form PDFs --------------------------------------------------------


def pdf_naming_the_applicant(encrypt: bool = False) -> bytes:
    """A one-page form whose document information and XMP packets (on the document and on its
    page) name the applicant, as a word processor's "Save as PDF" writes them."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import DecodedStreamObject, NameObject

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(hostile_files.minimal_pdf("My form"))))
    writer.add_metadata(
        {"/Author": "Jo Bloggs", "/Title": "Application - Jo Bloggs", "/Subject": "Jo Bloggs TA",
         "/Creator": "Jo Bloggs's laptop", "/Keywords": "jo.bloggs@example.org"}
    )  # fmt: skip
    packet = DecodedStreamObject()
    packet.set_data(b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><dc:creator>Jo Bloggs</dc:creator>'
                    b"</x:xmpmeta>")  # fmt: skip
    packet[NameObject("/Type")] = NameObject("/Metadata")
    writer._root_object[NameObject("/Metadata")] = writer._add_object(packet)
    writer.pages[0][NameObject("/Metadata")] = writer._add_object(packet)
    if encrypt:
        writer.encrypt("secret", algorithm="RC4-128")
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def test_an_application_pdf_is_stored_without_the_metadata_naming_the_applicant(
    hr, session, round_
):
    from pypdf import PdfReader

    uploaded = pdf_naming_the_applicant()
    assert b"Jo Bloggs" in uploaded
    assert "Uploaded form.pdf." in page_text(upload_form(hr, round_, "form.pdf", uploaded))
    session.expire_all()
    stored = session.scalars(select(ApplicationFile)).one()
    assert b"Jo Bloggs" not in stored.content
    assert b"jo.bloggs" not in stored.content
    assert b"xmpmeta" not in stored.content
    reader = PdfReader(io.BytesIO(stored.content))
    assert not reader.metadata
    assert b"(My form) Tj" in reader.pages[0].get_contents().get_data()  # the form is kept
    assert stored.size == len(stored.content)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"%PDF-1.7\n" + b"\x00\x01\x02" * 100, "form.pdf cannot be used: it is damaged"),
        (hostile_files.minimal_pdf()[:120], "form.pdf cannot be used: it is damaged"),
        (pdf_naming_the_applicant(encrypt=True), "it is protected by a password"),
    ],
    ids=["garbage", "cut-short", "encrypted"],
)
def test_a_damaged_or_locked_pdf_gets_one_line(hr, session, round_, data, reason):
    before = stored_counts(session)
    response = upload_form(hr, round_, "form.pdf", data)
    assert response.status_code == 200
    assert reason in page_text(response)
    assert stored_counts(session) == before
