"""Editing a draft job description on the web: new version, header and duties, version stamp."""

from __future__ import annotations

import html
from html.parser import HTMLParser

import pytest
from sqlalchemy import select

from jdtool.errors import Forbidden
from jdtool.models import JobDescriptionVersion
from jdtool.services.documents import get_job_description, start_new_version, version_dict
from jdtool.services.drafts import DraftHeader, StaleDraft, save_draft

from .test_web import csrf_token, sign_in

STALE = "Someone else saved this draft at "


class _FormReader(HTMLParser):
    """The fields a browser would send from the page's forms: inputs and textareas."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.fields: dict[str, str] = {}
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "input" and attributes.get("name") and attributes.get("type") != "submit":
            self.fields[attributes["name"]] = attributes.get("value") or ""
        elif tag == "textarea":
            self._textarea = attributes["name"]
            self.fields[self._textarea] = ""

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea is not None:
            self.fields[self._textarea] += data


def form_fields(page: str) -> dict[str, str]:
    """What submitting the page's form unchanged would send (a leading newline is dropped,
    as browsers do for a textarea)."""
    reader = _FormReader()
    reader.feed(page)
    return {
        name: value.removeprefix("\r").removeprefix("\n") for name, value in reader.fields.items()
    }


def edit_form(client, job_description_id: int) -> dict[str, str]:
    response = client.get(f"/jds/{job_description_id}/edit")
    assert response.status_code == 200
    return form_fields(response.get_data(as_text=True))


def current(session, job_description_id: int) -> JobDescriptionVersion:
    session.expire_all()
    return get_job_description(session, job_description_id).current


@pytest.fixture
def hr(client, create_user):
    create_user()
    assert sign_in(client).status_code == 302
    return client


@pytest.fixture
def draft(session, seed_document):
    """Seed 000's content approved, then version 2 started as a draft."""
    job_description = seed_document("000", approve=True)
    start_new_version(session, job_description.id)
    session.commit()
    return job_description


def test_new_version_button_opens_the_edit_page_of_a_new_draft(hr, session, seed_document):
    job_description = seed_document("000", approve=True)
    page = hr.get(f"/jds/{job_description.id}").get_data(as_text=True)
    assert "New version" in page
    assert "Edit draft" not in page

    response = hr.post(
        f"/jds/{job_description.id}/new-version",
        data={"csrf_token": csrf_token(hr, f"/jds/{job_description.id}")},
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/jds/{job_description.id}/edit")
    edit_page = hr.get(response.headers["Location"]).get_data(as_text=True)
    assert "Started version 2 as a draft." in edit_page
    fields = form_fields(edit_page)
    version = current(session, job_description.id)
    assert (version.number, version.status) == (2, "draft")
    assert fields["title"] == version.title
    assert fields["edit_stamp"] == "0"
    assert fields["sections-0"].splitlines() == [d.text for d in version.duty_sections[0].duties]
    # The draft's page offers editing, not another new version.
    page = hr.get(f"/jds/{job_description.id}").get_data(as_text=True)
    assert "Edit draft" in page
    assert "New version" not in page


def test_saving_the_form_changes_header_and_duties(hr, session, draft):
    fields = edit_form(hr, draft.id)
    fields["title"] = "1:1 SEN Teaching Assistant (Key Stage 2)"
    fields["salary_min"], fields["salary_max"] = "24000", "25000.50"
    fields["hours_per_week"] = "30"
    duties = fields["sections-0"].splitlines()
    kept, removed, changed = duties[0], duties[1], duties[2]
    fields["sections-0"] = "\n".join(
        [kept, changed + " Weekly.", *duties[3:], "Keep the pupil's visual timetable up to date."]
    )
    before = current(session, draft.id)
    clause_of = {duty.text: duty.clause_id for duty in before.duties()}

    response = hr.post(f"/jds/{draft.id}/edit", data=fields)

    assert response.status_code == 302
    assert "Saved the draft." in hr.get(f"/jds/{draft.id}").get_data(as_text=True)
    version = current(session, draft.id)
    assert version.title == "1:1 SEN Teaching Assistant (Key Stage 2)"
    assert (version.salary_min, version.salary_max, version.hours_per_week) == (24000, 25000.5, 30)
    assert version.edit_stamp == 1
    texts = [duty.text for duty in version.duty_sections[0].duties]
    assert texts[0] == kept
    assert removed not in texts
    assert texts[1] == changed + " Weekly."
    assert texts[-1] == "Keep the pupil's visual timetable up to date."
    assert [duty.position for duty in version.duty_sections[0].duties] == list(
        range(1, len(texts) + 1)
    )
    # An unchanged duty keeps its clause; changed and new text is linked to a library clause.
    by_text = {duty.text: duty.clause_id for duty in version.duties()}
    assert by_text[kept] == clause_of[kept]
    assert by_text[changed + " Weekly."] not in (None, clause_of[changed])
    assert by_text["Keep the pupil's visual timetable up to date."] is not None
    # The approved version 1 is untouched.
    assert get_job_description(session, draft.id).versions[0].title != version.title


def test_a_stale_save_is_refused_with_409_and_writes_nothing(hr, session, draft, create_user):
    first = edit_form(hr, draft.id)
    second = dict(first)
    first["title"] = "Saved first"
    assert hr.post(f"/jds/{draft.id}/edit", data=first).status_code == 302
    saved = version_dict(current(session, draft.id))

    second["title"] = "Saved second, from the old page"
    second["sections-0"] = "Only this duty"
    response = hr.post(f"/jds/{draft.id}/edit", data=second)

    assert response.status_code == 409
    page = html.unescape(response.get_data(as_text=True))
    assert STALE in page
    assert "Your changes were not saved: reload to see theirs, then make your changes again." in (
        page
    )
    # The refused text stays in the form, so it can be copied.
    assert "Saved second, from the old page" in page
    version = current(session, draft.id)
    assert version_dict(version) == saved
    assert version.edit_stamp == 1
    # Reloading gives the new stamp, and then the save goes through.
    again = edit_form(hr, draft.id)
    assert again["edit_stamp"] == "1"
    again["title"] = "Saved second, after reloading"
    assert hr.post(f"/jds/{draft.id}/edit", data=again).status_code == 302
    assert current(session, draft.id).title == "Saved second, after reloading"


def test_an_approved_version_cannot_be_edited(hr, session, seed_document):
    job_description = seed_document("001", approve=True)
    response = hr.get(f"/jds/{job_description.id}/edit")
    assert response.status_code == 302
    page = html.unescape(hr.get(response.headers["Location"]).get_data(as_text=True))
    assert "is approved and cannot change. Start a new version to edit it." in page
    with pytest.raises(Forbidden):
        save_draft(session, job_description.id, 0, DraftHeader(title="Changed"), [])


def test_a_draft_approved_while_being_edited_refuses_the_save(hr, session, draft):
    fields = edit_form(hr, draft.id)
    approve = hr.post(
        f"/jds/{draft.id}/approve", data={"csrf_token": csrf_token(hr, f"/jds/{draft.id}")}
    )
    assert approve.status_code == 302
    fields["title"] = "Too late"
    response = hr.post(f"/jds/{draft.id}/edit", data=fields)
    assert response.status_code == 302
    assert "is approved and cannot change" in html.unescape(
        hr.get(response.headers["Location"]).get_data(as_text=True)
    )
    assert current(session, draft.id).title != "Too late"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("title", "  ", "Give the job a title."),
        ("salary_max", "1000", "The highest salary must not be less than the lowest."),
        ("hours_per_week", "many", "Not a valid decimal value."),
        ("edit_stamp", "", "The form was incomplete. Reload the page and try again."),
    ],
)
def test_bad_input_is_explained_and_nothing_is_saved(hr, session, draft, field, value, message):
    fields = edit_form(hr, draft.id)
    fields["salary_min"] = "20000"
    fields[field] = value
    response = hr.post(f"/jds/{draft.id}/edit", data=fields)
    assert response.status_code == 400
    assert message in html.unescape(response.get_data(as_text=True))
    assert current(session, draft.id).edit_stamp == 0


def test_panel_members_cannot_start_or_edit_drafts(client, create_user, draft):
    create_user("panel@example.org", role="panel")
    assert sign_in(client, "panel@example.org").status_code == 302
    assert client.get(f"/jds/{draft.id}/edit").status_code == 403
    assert client.post(f"/jds/{draft.id}/new-version", data={}).status_code in (400, 403)


def test_emptying_a_section_removes_it(session, draft):
    version = current(session, draft.id)
    headings = [section.heading for section in version.duty_sections]
    duties = [[duty.text for duty in section.duties] for section in version.duty_sections]
    duties[0] = []
    save_draft(session, draft.id, 0, DraftHeader(title=version.title), duties)
    session.commit()
    version = current(session, draft.id)
    assert [section.heading for section in version.duty_sections] == headings[1:]


def test_the_service_refuses_a_stale_stamp(session, draft):
    version = current(session, draft.id)
    duties = [[duty.text for duty in section.duties] for section in version.duty_sections]
    save_draft(session, draft.id, 0, DraftHeader(title="One"), duties)
    session.commit()
    with pytest.raises(StaleDraft, match="Someone else saved this draft at"):
        save_draft(session, draft.id, 0, DraftHeader(title="Two"), duties)
    session.rollback()
    stamps = session.scalars(select(JobDescriptionVersion.edit_stamp)).all()
    assert sorted(stamps) == [0, 1]
    assert current(session, draft.id).title == "One"


def test_a_duty_added_from_the_library_makes_an_open_edit_page_stale(session, draft):
    """Compose and the edit page change the same draft: the page loaded before the addition
    cannot save over it (the added duty would otherwise vanish)."""
    from jdtool.services.library import add_new_text

    version = current(session, draft.id)
    loaded_stamp = version.edit_stamp
    duties = [[duty.text for duty in section.duties] for section in version.duty_sections]
    add_new_text(session, draft.id, "duty", "Keep the sensory room tidy and stocked each week.")
    session.commit()
    with pytest.raises(StaleDraft):
        save_draft(session, draft.id, loaded_stamp, DraftHeader(title="Edited"), duties)
    session.rollback()
    texts = [duty.text for duty in current(session, draft.id).duties()]
    assert "Keep the sensory room tidy and stocked each week." in texts
