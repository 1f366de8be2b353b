"""Word documents in a real browser: a head downloads the JD, produces a signed copy of seed 000's
content for a named TA (opened afterwards in LibreOffice) and records it as signed; an HR officer
writes the advert for seed 003's content and downloads it in each format. The documents are
stored by a factory, not imported."""

from __future__ import annotations

import hashlib
import io
import re
import subprocess
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from docx import Document
from playwright.sync_api import Page, expect

from jdtool.services.documents import version_dict
from jdtool.services.users import create_user

from .factories import create_seed_document
from .live import browser_test_app, serve
from .rendering import render_pdfs

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
HEAD = "head@example.org"
HR = "hr@example.org"
PASSWORD = "correct horse battery"
POSTHOLDER = "Sam Lee"


@pytest.fixture(scope="module")
def server(live_database_url) -> Iterator[tuple[str, dict[str, int], dict[str, dict]]]:
    """A live server with seeds 000 and 003's content approved; yields (URL, {seed: ID},
    {seed: content})."""
    app = browser_test_app(live_database_url)
    ids, contents = {}, {}
    with app.extensions["jdtool_sessions"]() as session:
        create_user(session, HEAD, PASSWORD, name="Pat Head", role="head")
        create_user(session, HR, PASSWORD, name="HR officer", role="hr")
        for seed_id in ("000", "003"):
            job_description = create_seed_document(session, seed_id, approve=True, advertised=True)
            ids[seed_id] = job_description.id
            contents[seed_id] = version_dict(job_description.current)
        session.commit()
    with serve(app) as url:
        yield url, ids, contents


@pytest.fixture(scope="session")
def base_url() -> None:
    """No base URL: these tests navigate with absolute URLs to their own server.

    This also replaces pytest-playwright's fallback `base_url` fixture, which is an instance
    method and so raises pytest 9's PytestRemovedIn10Warning.
    """
    return None


def sign_in(page: Page, url: str, email: str) -> None:
    page.goto(f"{url}/login")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Job descriptions", exact=True)).to_be_visible()


def download(page: Page, locator) -> tuple[str, bytes]:
    with page.expect_download() as info:
        locator.click()
    item = info.value
    return item.suggested_filename, Path(item.path()).read_bytes()


def screenshot(page: Page, name: str) -> None:
    """The whole page, and the Word-documents block on its own (easier to look at)."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"{name}.png", full_page=True)
    block = page.locator("section.word-documents")
    if block.count():
        block.screenshot(path=ARTIFACTS / f"{name}-block.png")


@pytest.mark.render
def test_head_downloads_the_jd_and_a_signed_copy_and_records_it_signed(
    page: Page, server, tmp_path
):
    url, ids, contents = server
    content = contents["000"]
    sign_in(page, url, HEAD)
    page.goto(f"{url}/jds/{ids['000']}")
    block = page.locator("section.word-documents")
    expect(block.get_by_role("heading", name="Word documents")).to_be_visible()

    filename, data = download(page, page.get_by_role("link", name="Download job description"))
    assert filename.endswith("-job-description.docx")
    document = Document(io.BytesIO(data))
    assert [p.text for p in document.paragraphs if p.style.name == "Title"] == [content["title"]]

    page.get_by_role("button", name="Produce signed copy").click()
    expect(page.locator("#postholder-error")).to_contain_text("Enter the postholder's name.")
    page.get_by_label("Postholder's name").fill(POSTHOLDER)
    page.get_by_role("button", name="Produce signed copy").click()
    expect(page.get_by_role("status")).to_contain_text(f"Signed copy for {POSTHOLDER} produced")
    row = page.locator("table.signed-copies tbody tr").filter(has_text=POSTHOLDER)
    expect(row).to_have_count(1)
    expect(row).to_contain_text("by Pat Head")
    screenshot(page, "export-jd-000-signed-copy-listed")

    filename, signed = download(page, row.get_by_role("link", name="Download (.docx)"))
    assert filename.endswith("-signed-copy-sam-lee.docx")
    expect(row.locator(".hash")).to_have_text(hashlib.sha256(signed).hexdigest()[:12])
    _, again = download(page, row.get_by_role("link", name="Download (.docx)"))
    assert again == signed

    # The downloaded copy opens in LibreOffice with every duty, criterion and signature line.
    path = tmp_path / filename
    path.write_bytes(signed)
    pdf = render_pdfs([path], tmp_path / "pdf")[path]
    text = " ".join(
        subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True)
        .stdout.decode("utf-8")
        .split()
    )
    position = 0
    duties = [duty for section in content["sections"] for duty in section["duties"]]
    criteria = [c["text"] for cat in content["person_spec"]["categories"] for c in cat["criteria"]]
    lines = ["Employee", f"Print name: {POSTHOLDER}", "Signed:", "Date:", "Headteacher"]
    for expected in [*duties, *criteria, *lines, "Print name:", "Signed:", "Date:"]:
        found = text.find(" ".join(expected.split()), position)
        assert found >= 0, expected
        position = found

    today = date.today()
    row.get_by_label("Date signed").fill(today.isoformat())
    row.get_by_label("Signed by").fill(f"{POSTHOLDER} and Pat Head")
    row.get_by_role("button", name="Record as signed").click()
    expect(page.get_by_role("status")).to_contain_text("Recorded as signed.")
    expect(row).to_contain_text(f"Signed {today.day} {today:%B %Y} by {POSTHOLDER} and Pat Head")
    screenshot(page, "export-jd-000-signed")


def test_hr_officer_writes_the_seed_003_advert(page: Page, server):
    url, ids, _contents = server
    sign_in(page, url, HR)
    page.goto(f"{url}/jds/{ids['003']}")
    page.get_by_role("link", name="Advert", exact=True).click()
    expect(page.get_by_role("heading", name=re.compile("^Advert: SEN"), level=1)).to_be_visible()
    expect(page.locator(".pay-working")).to_contain_text("Hours: 20 of 37 full-time hours")
    expect(page.get_by_text("£11,459 – £12,805 a year", exact=True)).to_be_visible()

    page.get_by_label("Closing date").fill("2027-01-15")
    page.get_by_label("Interview date").fill("2027-01-08")
    page.get_by_role("button", name="Save advert details").click()
    expect(page.locator("#interview_date-error")).to_contain_text("on or after the closing date")
    page.get_by_label("Interview date").fill("2027-01-22")
    page.get_by_label("How to apply").fill("Apply on the school website by noon.")
    page.get_by_role("button", name="Save advert details").click()
    expect(page.get_by_role("status")).to_contain_text("Advert details saved.")
    preview = page.locator("#advert-preview")
    expect(preview).to_contain_text("15 January 2027")
    expect(preview).to_contain_text("£11,459 – £12,805 a year (pro rata)")
    screenshot(page, "export-advert-003")
    page.screenshot(path=ARTIFACTS / "export-advert-003-top.png")

    _, text = download(page, page.get_by_role("link", name="Plain text (.txt)"))
    assert "Actual salary: £11,459 – £12,805 a year (pro rata)" in text.decode("utf-8")
    assert "Closing date: 15 January 2027" in text.decode("utf-8")
    _, html = download(page, page.get_by_role("link", name="HTML (.html)"))
    assert "<dt>Interview date</dt><dd>22 January 2027</dd>" in html.decode("utf-8")
    _, docx = download(page, page.get_by_role("link", name="Word (.docx)"))
    facts = {
        row.cells[0].text: row.cells[1].text for row in Document(io.BytesIO(docx)).tables[0].rows
    }
    assert facts["Actual salary"] == "£11,459 – £12,805 a year (pro rata)"
    assert facts["Closing date"] == "15 January 2027"
