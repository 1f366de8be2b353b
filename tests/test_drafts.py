"""Editing a draft job description on the web: new version, header and duties, version stamp."""

from __future__ import annotations

import html

import pytest
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from jdtool.errors import Forbidden
from jdtool.models import JobDescriptionVersion
from jdtool.services.documents import get_job_description, start_new_version, version_dict
from jdtool.services.drafts import DraftHeader, StaleDraft, save_draft

from .browser_form import form_pairs
from .test_web import approve_form, csrf_token, sign_in

STALE = "Someone else saved this draft at "


def edit_form(client, job_description_id: int) -> MultiDict:
    response = client.get(f"/jds/{job_description_id}/edit")
    assert response.status_code == 200
    return MultiDict(form_pairs(response.get_data(as_text=True)))


def duties_of(fields: MultiDict, section: int = 0) -> list[str]:
    texts, position = [], 0
    while f"sections-{section}-duties-{position}" in fields:
        texts.append(fields[f"sections-{section}-duties-{position}"])
        position += 1
    return texts


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
    fields = MultiDict(form_pairs(edit_page))
    version = current(session, job_description.id)
    assert (version.number, version.status) == (2, "draft")
    assert fields["title"] == version.title
    assert fields["edit_stamp"] == "0"
    assert duties_of(fields) == [d.text for d in version.duty_sections[0].duties]
    # The draft's page offers editing, not another new version.
    page = hr.get(f"/jds/{job_description.id}").get_data(as_text=True)
    assert "Edit draft" in page
    assert "New version" not in page


def test_saving_the_form_changes_header_and_duties(hr, session, draft):
    fields = edit_form(hr, draft.id)
    fields["title"] = "1:1 SEN Teaching Assistant (Key Stage 2)"
    fields["salary_min"], fields["salary_max"] = "24000", "25000.50"
    fields["hours_per_week"] = "30"
    duties = duties_of(fields)
    kept, removed, changed = duties[0], duties[1], duties[2]
    fields["sections-0-duties-1"] = ""  # an emptied duty is removed on saving
    fields["sections-0-duties-2"] = changed + " Weekly."
    fields[f"sections-0-duties-{len(duties)}"] = "Keep the pupil's visual timetable up to date."
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


def test_a_stale_save_is_refused_with_409_and_writes_nothing(hr, app, session, draft, create_user):
    create_user("head@example.org", role="head")
    colleague = app.test_client()
    assert sign_in(colleague, "head@example.org").status_code == 302
    first = edit_form(colleague, draft.id)
    second = edit_form(hr, draft.id)
    first["title"] = "Saved first"
    assert colleague.post(f"/jds/{draft.id}/edit", data=first).status_code == 302
    saved = version_dict(current(session, draft.id))

    second["title"] = "Saved second, from the old page"
    second["sections-0-duties-0"] = "Only this duty"
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
    approve = hr.post(f"/jds/{draft.id}/approve", data=approve_form(hr, draft.id))
    assert approve.status_code == 302
    fields["title"] = "Too late"
    response = hr.post(f"/jds/{draft.id}/edit", data=fields)
    assert response.status_code == 303  # refused: back to the document, with the message
    assert "is approved and cannot change" in html.unescape(
        hr.get(response.headers["Location"]).get_data(as_text=True)
    )
    assert current(session, draft.id).title != "Too late"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("title", "  ", "Job title: enter the text."),
        ("salary_max", "1000", "Highest salary: must not be less than the lowest."),
        ("hours_per_week", "many", "Hours per week: enter a number, like 25583 or 31.5."),
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
    stamps = session.scalars(
        select(JobDescriptionVersion.edit_stamp).order_by(JobDescriptionVersion.number)
    ).all()
    assert stamps[1] == 1  # the draft: one save, not two
    assert current(session, draft.id).title == "One"


def test_a_duty_added_from_the_library_makes_an_open_edit_page_stale(session, draft):
    """Compose and the edit page change the same draft: the page loaded before the addition
    cannot save over it (the added duty would otherwise vanish)."""
    from jdtool.services.compose import add_new_text

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
