"""Every kind of export of every seed's content (stored by a factory, not imported), opened by an
independent reader: LibreOffice converts it to PDF and poppler reads the text back. Every duty and
criterion must appear, in order; a signed copy must show each signing role and the postholder's
name."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from jdtool.app import create_app
from jdtool.document_content import parse_content
from jdtool.export.job_description import signature_roles
from jdtool.services.adverts import export_advert
from jdtool.services.documents import version_dict
from jdtool.services.exports import (
    export_job_description,
    produce_signed_copy,
    set_organisation_logo,
)

from .conftest import SEED_IDS, make_png
from .factories import create_seed_document
from .rendering import pdf_page_count, render_pdfs, save_pngs

pytestmark = pytest.mark.render

#: The kinds that carry every duty and criterion (an advert carries only the essentials).
KINDS = ("jd", "signed")
POSTHOLDER = "Priya Natarajan-Whitfield"


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> dict[tuple[str, str], tuple[dict, Path]]:
    """{(seed, kind): (the version's content, its PDF)}, all converted in one LibreOffice run."""
    folder = tmp_path_factory.mktemp("render")
    app = create_app(
        {"TESTING": True, "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}", "SECRET_KEY": "x"}
    )
    documents: dict[tuple[str, str], tuple[dict, Path]] = {}
    with app.extensions["jdtool_sessions"]() as session:
        for seed_id in SEED_IDS:
            job_description = create_seed_document(session, seed_id, approve=True, advertised=True)
            if seed_id == "000":  # one organisation with a logo, to see it on the page
                set_organisation_logo(session, job_description.id, "logo.png", make_png(300, 90))
            content = version_dict(job_description.current)
            exports = {
                "jd": export_job_description(session, job_description.id).content,
                "signed": produce_signed_copy(session, job_description.id, POSTHOLDER).content,
                "advert": export_advert(session, job_description.id, "docx").content,
            }
            for kind, data in exports.items():
                docx = folder / f"seed-{seed_id}-{kind}.docx"
                docx.write_bytes(data)
                documents[seed_id, kind] = (content, docx)
        session.commit()
    app.extensions["jdtool_engine"].dispose()
    pdfs = render_pdfs([docx for _, docx in documents.values()], folder / "pdf")
    return {key: (content, pdfs[docx]) for key, (content, docx) in documents.items()}


def reading_text(pdf: Path) -> str:
    """The PDF's text in reading order (table cells stay whole), whitespace collapsed."""
    result = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True)
    return normalise(result.stdout.decode("utf-8"))


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def assert_in_order(text: str, expected: list[str]) -> None:
    position = 0
    for item in expected:
        found = text.find(normalise(item), position)
        assert found >= 0, f"missing or out of order: {item!r}"
        position = found + len(normalise(item))


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("seed_id", SEED_IDS)
def test_every_duty_and_criterion_appears_in_order(rendered, seed_id, kind):
    content, pdf = rendered[seed_id, kind]
    assert pdf_page_count(pdf) >= 1
    text = reading_text(pdf)
    duties = [duty for section in content["sections"] for duty in section["duties"]]
    assert_in_order(text, duties)
    if content["person_spec"]:
        criteria = [
            criterion["text"]
            for category in content["person_spec"]["categories"]
            for criterion in category["criteria"]
        ]
        prioritised = any(c["priority"] for cat in content["person_spec"]["categories"]
                          for c in cat["criteria"])  # fmt: skip
        key = ["Key: E = Essential"] if prioritised else []
        assert_in_order(text, ["Person specification", *criteria, *key])
    assert_in_order(text, [content["title"]])
    assert f"Version {content['version']}" in text
    assert re.search(r"Page 1 of \d", text)


@pytest.mark.parametrize("seed_id", SEED_IDS)
def test_signed_copy_shows_roles_and_postholder(rendered, seed_id):
    content, pdf = rendered[seed_id, "signed"]
    text = reading_text(pdf)
    assert f"Signed copy for {POSTHOLDER}" in text
    expected = ["Signatures"]
    for role in signature_roles(parse_content(content)):
        expected += [role, "Print name:", "Signed:", "Date:"]
    assert_in_order(text, expected)
    assert f"Print name: {POSTHOLDER}" in text
    assert content["content_hash"][:12] in text


@pytest.mark.parametrize("seed_id", SEED_IDS)
def test_advert_shows_salary_a_summary_of_the_spec_and_statements(rendered, seed_id):
    content, pdf = rendered[seed_id, "advert"]
    text = reading_text(pdf)
    essential = [
        criterion["text"]
        for category in (content["person_spec"] or {"categories": []})["categories"]
        for criterion in category["criteria"]
        if criterion["priority"] == "essential"
    ]
    expected = [content["title"]]
    if content["salary"]["basis"] == "fte":
        expected += ["Actual salary"]
    if essential:
        expected += ["Who we are looking for", "essential and desirable criteria"]
    expected += ["Safeguarding", "enhanced Disclosure and Barring Service (DBS) check"]
    expected += ["Online searches", "Equality", "Right to work in the UK"]
    assert_in_order(text, expected)


def test_seed_003_advert_salary_in_the_rendered_page(rendered):
    text = reading_text(rendered["003", "advert"][1])
    assert "£11,459 – £12,805 a year (pro rata)" in text
    # The working is HR's (on the advert page), never printed for applicants.
    assert "→" not in text
    assert "How the actual salary is worked out" not in text


def test_signature_block_is_on_one_page(rendered):
    """The block (heading to the last Date line) never straddles a page break."""
    for seed_id in SEED_IDS:
        _content, pdf = rendered[seed_id, "signed"]
        pages = (
            subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True)
            .stdout.decode("utf-8")
            .split("\f")
        )
        [page] = [page for page in pages if "Signatures" in page]
        assert page.count("Print name:") == len(signature_roles(parse_content(_content)))


def test_save_pages_to_look_at(rendered):
    """Write PNGs of the seed 000 signed copy, seed 002 JD and seed 003 advert to look at."""
    for seed_id, kind in (("000", "signed"), ("002", "jd"), ("003", "advert")):
        pngs = save_pngs(rendered[seed_id, kind][1], f"export-{seed_id}-{kind}")
        assert pngs
