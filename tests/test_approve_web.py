"""Approving with eyes open: every check listed with a link to fix it, blocking checks, warnings
acknowledged and logged, and no approval of text the approver did not see."""

from __future__ import annotations

import html
import re

import pytest
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from jdtool.models import AuditEvent
from jdtool.services.documents import get_job_description, version_dict

from .browser_form import form_pairs, replace
from .test_web import approve_form, sign_in


@pytest.fixture
def hr(client, create_user):
    create_user()
    assert sign_in(client).status_code == 302
    return client


def status_of(session, job_description_id: int) -> str:
    session.expire_all()
    return get_job_description(session, job_description_id).current.status


def page_text(response) -> str:
    return html.unescape(
        re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))
    )


def test_unknown_priorities_block_approval_with_a_link_to_fix_them(hr, session, import_seed):
    job_description = import_seed("002")
    response = hr.get(f"/jds/{job_description.id}/approve")
    page = response.get_data(as_text=True)
    text = page_text(response)
    assert "Fix before approving" in text
    assert "No criterion is marked essential or desirable." in text
    assert f'href="/jds/{job_description.id}/edit#person-spec"' in page
    assert "It cannot be approved until the points above are fixed." in text
    assert "Approve version 1</button>" not in page
    # A form sent anyway (an old page, a crafted request) is refused the same way.
    refused = hr.post(
        f"/jds/{job_description.id}/approve", data=approve_form(hr, job_description.id)
    )
    assert refused.status_code == 400
    assert "It cannot be approved yet. No criterion is marked essential or desirable." in page_text(
        refused
    )
    assert status_of(session, job_description.id) == "draft"


def test_every_warning_must_be_ticked(hr, session, import_seed):
    job_description = import_seed("001")
    fields = approve_form(hr, job_description.id)
    ticked = fields.getlist("acknowledge")
    assert len(ticked) > 1
    fields.setlist("acknowledge", ticked[1:])
    response = hr.post(f"/jds/{job_description.id}/approve", data=fields)
    assert response.status_code == 400
    assert (
        "Tick each warning to confirm you have read it (1 not ticked). Nothing was approved."
        in (page_text(response))
    )
    # The ticks the user made are kept.
    assert (
        len(
            re.findall(r'name="acknowledge" value="[^"]+" checked', response.get_data(as_text=True))
        )
        == len(ticked) - 1
    )
    assert status_of(session, job_description.id) == "draft"


def test_acknowledged_warnings_are_logged_with_the_approval(hr, session, import_seed):
    job_description = import_seed("001")
    fields = approve_form(hr, job_description.id)
    assert hr.post(f"/jds/{job_description.id}/approve", data=fields).status_code == 302
    assert status_of(session, job_description.id) == "approved"
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "approve")).one()
    assert event.actor == "hr@example.org"
    assert "; edit stamp 0" in event.detail
    seen = session.scalars(select(AuditEvent).where(AuditEvent.action == "approve-warnings")).one()
    assert (seen.actor, seen.subject) == ("hr@example.org", event.subject)
    assert seen.detail.startswith("warnings acknowledged: ")
    assert "No criterion says how it is assessed." in seen.detail


def test_a_draft_saved_after_the_approve_page_was_opened_is_not_approved(hr, session, import_seed):
    job_description = import_seed("001")
    fields = approve_form(hr, job_description.id)
    editor = MultiDict(form_pairs(hr.get(f"/jds/{job_description.id}/edit").get_data(as_text=True)))
    editor = MultiDict(replace(list(editor.items(multi=True)), "title", "Changed after the check"))
    editor["action"] = "save"
    assert hr.post(f"/jds/{job_description.id}/edit", data=editor).status_code == 302

    response = hr.post(f"/jds/{job_description.id}/approve", data=fields)
    assert response.status_code == 409
    text = page_text(response)
    assert "Not approved" in text
    assert "Nothing was approved: check the draft again before approving it." in text
    assert status_of(session, job_description.id) == "draft"
    # The page now carries the new stamp: approving from it works.
    assert 'name="edit_stamp" value="1"' in response.get_data(as_text=True)
    again = hr.post(f"/jds/{job_description.id}/approve", data=approve_form(hr, job_description.id))
    assert again.status_code == 302
    session.expire_all()
    assert version_dict(get_job_description(session, job_description.id).current)["title"] == (
        "Changed after the check"
    )


def test_approve_page_of_an_approved_version_goes_back_to_it(hr, session, approved_seed):
    job_description = approved_seed("000")
    response = hr.get(f"/jds/{job_description.id}/approve")
    assert response.status_code == 302
    assert "Version 1 is already approved." in hr.get(response.headers["Location"]).get_data(
        as_text=True
    )


def test_a_form_without_the_edit_stamp_is_refused(hr, session, import_seed):
    job_description = import_seed("001")
    fields = approve_form(hr, job_description.id)
    del fields["edit_stamp"]
    response = hr.post(f"/jds/{job_description.id}/approve", data=fields)
    assert response.status_code == 400
    assert "The form was incomplete. Reload the page and try again." in page_text(response)
    assert status_of(session, job_description.id) == "draft"
