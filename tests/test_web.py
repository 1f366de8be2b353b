"""The web app through Flask's test client: sign-in, the list, a JD page, import and approval."""

from __future__ import annotations

import json
import os
import re
from html.parser import HTMLParser
from io import BytesIO

import pytest
from werkzeug.datastructures import MultiDict

from .browser_form import form_pairs
from .conftest import SEED_IDS, seed_path

PASSWORD = "correct horse battery"
CSRF_TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


# --- helpers ---------------------------------------------------------------------------------


class _TableReader(HTMLParser):
    """Collect the visible text of each row of the tables with a given class."""

    def __init__(self, table_class: str) -> None:
        super().__init__()
        self.table_class = table_class
        self.rows: list[list[str]] = []
        self._in_table = False
        self._hidden_depth = 0
        self._depth = 0
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        classes = (dict(attrs).get("class") or "").split()
        if tag == "table" and self.table_class in classes:
            self._in_table = True
        if not self._in_table:
            return
        self._depth += 1
        if self._hidden_depth or "visually-hidden" in classes:
            self._hidden_depth += 1
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag):
        if not self._in_table:
            return
        self._depth -= 1
        if self._hidden_depth:
            self._hidden_depth -= 1
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "table":
            self._in_table = False

    def handle_data(self, data):
        if self._cell is not None and not self._hidden_depth:
            self._cell.append(data)


def table_rows(html: str, table_class: str) -> list[list[str]]:
    """The visible text of every row of the table(s) with this class, header row first."""
    reader = _TableReader(table_class)
    reader.feed(html)
    return reader.rows


def csrf_token(client, url: str = "/login") -> str:
    """The CSRF token from a form on `url`, read as a browser would."""
    return CSRF_TOKEN.search(client.get(url).get_data(as_text=True)).group(1)


def sign_in(client, email: str = "hr@example.org", password: str = PASSWORD, next_page=None):
    url = f"/login?next={next_page}" if next_page else "/login"
    return client.post(
        url, data={"email": email, "password": password, "csrf_token": csrf_token(client)}
    )


def upload(client, filename: str, data: bytes):
    return client.post(
        "/jds/import",
        data={
            "document": (BytesIO(data), filename),
            "csrf_token": csrf_token(client, "/jds/import"),
        },
        content_type="multipart/form-data",
    )


def listed_titles(client, search: str | None = None) -> list[str]:
    page = client.get("/jds", query_string={"q": search} if search else None)
    return [row[0] for row in table_rows(page.get_data(as_text=True), "job-descriptions")[1:]]


def expected(seed_id: str) -> dict:
    path = seed_path(seed_id)
    return json.loads(path.with_name(path.name.replace(".txt", ".expected.json")).read_text())


@pytest.fixture
def signed_in(client, create_user):
    """The test client, signed in as an HR officer."""
    create_user()
    assert sign_in(client).status_code == 302
    return client


# --- signing in ------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/", "/jds", "/jds/1", "/jds/import"])
def test_pages_need_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


def test_wrong_password_gives_one_message(client, create_user):
    create_user()
    response = sign_in(client, password="not the password")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert page.count("Email or password is not right.") == 1
    assert client.get("/jds").status_code == 302


def test_unknown_email_gives_the_same_message(client, create_user):
    create_user()
    page = sign_in(client, email="nobody@example.org").get_data(as_text=True)
    assert page.count("Email or password is not right.") == 1


def test_sign_in_opens_the_list(client, create_user):
    create_user()
    response = sign_in(client)
    assert response.headers["Location"] == "/"
    page = client.get("/").get_data(as_text=True)
    assert "<h1>Job descriptions</h1>" in page
    assert "Sign out" in page


@pytest.mark.parametrize(
    ("next_page", "destination"),
    [
        ("/jds/import", "/jds/import"),
        ("https://evil.example/", None),
        ("//evil.example/jds", None),
        ("/\\evil.example", None),
        ("javascript:alert(1)", None),
    ],
)
def test_sign_in_follows_next_only_to_a_local_page(client, create_user, next_page, destination):
    """A local page is followed; any other `next` is refused (400), and no one signs in."""
    create_user()
    response = sign_in(client, next_page=next_page)
    if destination is None:
        assert response.status_code == 400
        assert client.get("/jds").status_code == 302
    else:
        assert response.headers["Location"] == destination


def test_post_without_csrf_token_is_refused(client, create_user):
    create_user()
    response = client.post("/login", data={"email": "hr@example.org", "password": PASSWORD})
    assert response.status_code == 400
    assert "The form could not be sent" in response.get_data(as_text=True)
    assert client.get("/jds").status_code == 302


def test_approve_without_csrf_token_is_refused(signed_in, seed_document):
    job_description = seed_document("004")
    response = signed_in.post(f"/jds/{job_description.id}/approve")
    assert response.status_code == 400
    assert "Approve this version" in signed_in.get(f"/jds/{job_description.id}").get_data(
        as_text=True
    )


def test_sign_out(signed_in):
    response = signed_in.post("/logout", data={"csrf_token": csrf_token(signed_in, "/jds")})
    assert response.headers["Location"] == "/login"
    assert "You have signed out." in signed_in.get("/login").get_data(as_text=True)
    assert signed_in.get("/jds").status_code == 302


def test_sign_out_needs_a_post(signed_in):
    assert signed_in.get("/logout").status_code == 405


# --- the list --------------------------------------------------------------------------------


def test_list_shows_job_descriptions_with_counts(signed_in, seed_document):
    for seed_id in SEED_IDS:
        seed_document(seed_id)
    rows = table_rows(signed_in.get("/jds").get_data(as_text=True), "job-descriptions")
    assert rows[0] == [
        "Title", "School", "Organisation", "Status", "Version", "Duties", "Criteria"
    ]  # fmt: skip
    assert [row[0] for row in rows[1:]] == [expected(seed_id)["title"] for seed_id in SEED_IDS]
    assert rows[1][2:] == ["WESTCOUNTRY SCHOOLS TRUST", "Draft", "1", "46", "22"]
    assert rows[2][1] == "Charing"


def test_list_links_each_title_to_its_page(signed_in, seed_document):
    job_description = seed_document("003")
    page = signed_in.get("/jds").get_data(as_text=True)
    assert f'href="/jds/{job_description.id}">SEN (1:1) Learning Support Assistant</a>' in page


@pytest.mark.parametrize(
    ("search", "titles"),
    [
        ("Charing", ["1:1 TA"]),
        ("charing", ["1:1 TA"]),
        ("Learning Support", ["SEN (1:1) Learning Support Assistant"]),
        ("westcountry", ["SEN Teaching Assistant (1:1 Support) – Fixed Term"]),
        ("Saltwood", ["Teaching Assistant: 1:1 Support"]),
    ],
)
def test_search_filters_by_title_school_or_trust(signed_in, seed_document, search, titles):
    for seed_id in SEED_IDS:
        seed_document(seed_id)
    assert listed_titles(signed_in, search) == titles


def test_search_with_no_match_says_so(signed_in, seed_document):
    seed_document("000")
    page = signed_in.get("/jds?q=Nowhere+Academy").get_data(as_text=True)
    assert "No job descriptions match “Nowhere Academy”." in page


def test_empty_list_invites_an_import(signed_in):
    page = signed_in.get("/").get_data(as_text=True)
    assert "There are no job descriptions yet." in page


# --- a job description page ------------------------------------------------------------------


def test_job_description_page_shows_header_fields(signed_in, seed_document):
    job_description = seed_document("000")
    rows = dict(
        table_rows(signed_in.get(f"/jds/{job_description.id}").get_data(as_text=True), "details")
    )
    assert rows["Salary"] == "£25,583 – £26,403 (full-time equivalent)"
    assert rows["Hours per week"] == "31.67"
    assert rows["Weeks per year"] == "38 + 2 INSET days"
    assert rows["Contract"] == (
        "Fixed term contract until 31st August 2026 (end date 31 August 2026)"
    )
    assert rows["Reports to"] == "The SENDCO"
    assert rows["School"] == "Not stated"


def test_job_description_page_numbers_duties_across_sections(signed_in, seed_document):
    job_description = seed_document("000")
    page = signed_in.get(f"/jds/{job_description.id}").get_data(as_text=True)
    duties = page[page.index("Duties and responsibilities</h2>") : page.index('id="person-spec"')]
    assert duties.count("<li>") == 46
    starts = [int(start) for start in re.findall(r'<ol class="duties[^"]*" start="(\d+)"', duties)]
    assert starts == [1, 10, 23, 27, 30]


def test_job_description_page_shows_person_spec_table(signed_in, seed_document):
    job_description = seed_document("000")
    page = signed_in.get(f"/jds/{job_description.id}").get_data(as_text=True)
    rows = table_rows(page, "person-spec")
    assert rows[0] == ["Criterion", "E/D", "Application form", "Interview"]
    by_text = {row[0]: row for row in rows[1:]}
    assert by_text["Compassion"] == ["Compassion"]
    assert by_text["Has at least a Grade C in English and Maths"][1:] == ["E", "✓", ""]
    compassion = (
        "Recognising need in others and acting with positive intention to promote well-being "
        "and improve outcomes"
    )
    assert by_text[compassion][1:] == ["E", "", "✓"]
    marks = [row[1] for row in rows[1:] if len(row) > 1]
    categories = expected("000")["person_spec"]["categories"]
    priorities = [
        criterion["priority"] for category in categories for criterion in category["criteria"]
    ]
    assert marks == [priority[0].upper() for priority in priorities]
    assert (
        '<tr class="category subgroup">\n      <th scope="rowgroup" colspan="4">Compassion' in page
    )
    assert "E = Essential, D = Desirable" in page
    assert "The source does not say how criteria are assessed" not in page


def test_unknown_priorities_show_a_question_mark_and_missing_methods_a_note(
    signed_in, seed_document
):
    job_description = seed_document("002")
    page = signed_in.get(f"/jds/{job_description.id}").get_data(as_text=True)
    rows = table_rows(page, "person-spec")
    assert rows[0] == ["Criterion", "E/D"]
    criteria = [row for row in rows[1:] if len(row) == 2]
    assert criteria
    assert {row[1] for row in criteria} == {"?"}
    assert 'title="not stated in the source">?</span>' in page
    assert "The source does not say how criteria are assessed." in page
    assert "? = not stated in the source" in page


def test_import_warnings_are_shown_in_a_notice(signed_in, create_job_description):
    warning = "7 of 7 criteria do not say whether they are essential or desirable."
    job_description = create_job_description(warnings=[warning])
    page = signed_in.get(f"/jds/{job_description.id}").get_data(as_text=True)
    notice = page[page.index('<section class="notice"') : page.index("</section>")]
    assert "Check these points against the source document" in notice
    assert warning in notice


def test_no_notice_without_warnings(signed_in, seed_document):
    job_description = seed_document("000")
    page = signed_in.get(f"/jds/{job_description.id}").get_data(as_text=True)
    assert 'class="notice"' not in page


def test_unknown_job_description_gives_a_friendly_404(signed_in):
    response = signed_in.get("/jds/999")
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "There is no job description with ID 999." in page
    assert "Go to the list of job descriptions" in page


def test_unknown_address_gives_a_friendly_404(signed_in):
    response = signed_in.get("/no-such-page")
    assert response.status_code == 404
    assert "There is no page at this address." in response.get_data(as_text=True)


# --- import ----------------------------------------------------------------------------------


@pytest.mark.parametrize("seed_id", SEED_IDS)
def test_uploading_a_seed_shows_its_criteria(signed_in, seed_id):
    path = seed_path(seed_id)
    response = upload(signed_in, path.name, path.read_bytes())
    assert response.status_code == 302
    page = signed_in.get(response.headers["Location"]).get_data(as_text=True)
    content = expected(seed_id)
    categories = content["person_spec"]["categories"] if content["person_spec"] else []
    criteria = [criterion for category in categories for criterion in category["criteria"]]
    duty_count = sum(len(section["duties"]) for section in content["sections"])
    title = content["title"].replace("'", "&#39;")
    assert f"Imported {title}: {duty_count} duties, {len(criteria)} criteria." in page
    if response.headers["Location"].endswith("/review"):  # seed 000: a template prompt left out
        assert "What jdtool was unsure about (1)" in page
        page = signed_in.get(response.headers["Location"].removesuffix("/review")).get_data(
            as_text=True
        )
    shown = {row[0] for row in table_rows(page, "person-spec")}
    assert {criterion["text"] for criterion in criteria} <= shown


@pytest.mark.parametrize(
    ("filename", "data", "message"),
    [
        ("empty.txt", b"", "empty.txt: the file is empty"),
        ("report.docx", os.urandom(4096), "report.docx: it is not a Word .docx file"),
        ("notes.txt", b"Shopping list\nmilk\n", "notes.txt: no duties or person-specification"),
        ("job.pdf", b"%PDF-1.7\n", "Only Word (.docx), text (.txt) and Markdown (.md) files"),
    ],
)
def test_unreadable_upload_is_explained_beside_the_field(signed_in, filename, data, message):
    response = upload(signed_in, filename, data)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    field = page[page.index('<div class="form-group form-group--error">') :]
    assert message in field[: field.index("</div>")]
    assert listed_titles(signed_in) == []


def test_import_without_a_file_asks_for_one(signed_in):
    response = signed_in.post(
        "/jds/import",
        data={"csrf_token": csrf_token(signed_in, "/jds/import")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert "Choose a file to import." in response.get_data(as_text=True)


def test_oversized_upload_gets_a_readable_message(app, signed_in, monkeypatch):
    token = csrf_token(signed_in, "/jds/import")
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 4096)
    response = signed_in.post(
        "/jds/import",
        data={"document": (BytesIO(b"x" * 10_000), "big.txt"), "csrf_token": token},
        content_type="multipart/form-data",
    )
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert "The file is larger than the 20 MB limit." in page
    assert 'type="file"' in page
    assert listed_titles(signed_in) == []


# --- approval --------------------------------------------------------------------------------


def approve_form(client, job_description_id: int) -> MultiDict:
    """The approve page's form with every warning ticked, as a user who read them sends it."""
    page = client.get(f"/jds/{job_description_id}/approve").get_data(as_text=True)
    fields = MultiDict(form_pairs(page))
    fields.setlist("acknowledge", re.findall(r'name="acknowledge" value="([^"]+)"', page))
    return fields


def test_approve_button_approves_and_shows_the_hash(signed_in, session, seed_document):
    job_description = seed_document("001")
    url = f"/jds/{job_description.id}"
    assert f'href="{url}/approve">Approve this version</a>' in signed_in.get(url).get_data(
        as_text=True
    )
    response = signed_in.post(f"{url}/approve", data=approve_form(signed_in, job_description.id))
    assert response.headers["Location"] == url
    page = signed_in.get(url).get_data(as_text=True)
    session.expire_all()
    content_hash = job_description.current.content_hash
    assert f"Approved version 1. Content hash: {content_hash[:12]}." in page
    assert f'<span class="hash" title="{content_hash}">{content_hash[:12]}</span>' in page
    assert "Approve this version" not in page


def test_approving_twice_gives_a_message(signed_in, seed_document):
    job_description = seed_document("001")
    url = f"/jds/{job_description.id}"
    fields = approve_form(signed_in, job_description.id)
    signed_in.post(f"{url}/approve", data=fields)
    signed_in.get(url)  # shows and clears the first message
    response = signed_in.post(f"{url}/approve", data=fields)
    assert response.headers["Location"] == url
    page = signed_in.get(url).get_data(as_text=True)
    assert "Version 1 is already approved." in page


def test_approving_an_unknown_job_description_is_a_404(signed_in):
    response = signed_in.post("/jds/999/approve", data={"csrf_token": csrf_token(signed_in, "/")})
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("method", "url", "status"),
    [
        ("GET", "/jds/99999999999999999999999", 404),
        ("GET", "/vacancies/1/shortlisting/applications/99999999999999999999", 404),
        ("GET", "/library/merges/1/undo", 405),
    ],
)
def test_impossible_addresses_get_the_apps_own_error_page(signed_in, method, url, status):
    response = signed_in.open(url, method=method)
    assert response.status_code == status
    page = response.get_data(as_text=True)
    assert "Skip to main content" in page  # the app's own layout, not a bare server page
    assert "Internal Server Error" not in page
