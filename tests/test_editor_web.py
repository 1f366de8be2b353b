"""The draft editor on the web: every part of a JD and person spec, without JavaScript."""

from __future__ import annotations

import html
import re

import pytest
from werkzeug.datastructures import MultiDict

from jdtool.services.documents import get_job_description, version_dict

from .browser_form import form_pairs, replace
from .test_web import sign_in

STALE = "Someone else saved this draft at "


@pytest.fixture
def hr(client, create_user):
    create_user()
    assert sign_in(client).status_code == 302
    return client


def current(session, job_description_id: int) -> dict:
    session.expire_all()
    return version_dict(get_job_description(session, job_description_id).current)


def editor(client, job_description_id: int, pairs=None, action: str | None = None):
    """GET the editor (or POST `pairs` with `action`); returns (response, the form's pairs)."""
    if pairs is None:
        response = client.get(f"/jds/{job_description_id}/edit")
    else:
        data = MultiDict(pairs + ([("action", action)] if action else []))
        response = client.post(f"/jds/{job_description_id}/edit", data=data)
    page = response.get_data(as_text=True)
    return response, form_pairs(page) if response.status_code != 302 else []


def text_of(response) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))


def value(pairs, name: str) -> str:
    return dict(pairs)[name]


def test_saving_the_page_unchanged_changes_no_text(hr, session, import_seed):
    job_description = import_seed("000")
    before = current(session, job_description.id)
    _, pairs = editor(hr, job_description.id)
    response, _ = editor(hr, job_description.id, pairs, "save")
    assert response.status_code == 302
    after = current(session, job_description.id)
    assert after["edit_stamp"] == before["edit_stamp"] + 1
    for key in before:
        if key != "edit_stamp":
            assert after[key] == before[key], key


def test_the_school_and_trust_are_chosen_from_the_records(hr, session, import_seed):
    from jdtool.services.organisations import add_organisation

    add_organisation(session, "Riverside Learning Trust")
    add_organisation(session, "Hillside Primary", parent="Riverside Learning Trust")
    session.commit()
    job_description = import_seed("004")
    response, pairs = editor(hr, job_description.id)
    page = text_of(response)
    assert "Riverside Learning Trust" in page
    assert "New (type the name below)" in page
    pairs = replace(pairs, "organisation_record", "Riverside Learning Trust")
    pairs = replace(pairs, "school_record", "Hillside Primary")
    assert editor(hr, job_description.id, pairs, "save")[0].status_code == 302
    version = job_description.current
    session.refresh(version)
    assert version.school.name == "Hillside Primary"
    assert version.school.parent.name == "Riverside Learning Trust"
    assert version.organisation.name == "Riverside Learning Trust"
    # "New" with a name that matches a record (case and spacing aside) uses the record.
    _, pairs = editor(hr, job_description.id)
    pairs = replace(pairs, "school_record", "__new__")
    pairs = replace(pairs, "school", "  hillside   PRIMARY ")
    assert editor(hr, job_description.id, pairs, "save")[0].status_code == 302
    session.refresh(version)
    assert version.school.name == "Hillside Primary"


def test_the_schools_standard_statements_are_offered_to_a_draft_lacking_them(
    hr, session, import_seed
):
    from jdtool.services.organisations import add_organisation

    job_description = import_seed("004")
    school = job_description.current.school
    trust = add_organisation(session, "Kent Schools Trust", equality_statement="We value all.")
    school.parent = trust
    session.commit()
    response, pairs = editor(hr, job_description.id)
    assert "We value all." in text_of(response)
    response, pairs = editor(hr, job_description.id, pairs, "offer-statement-0")
    assert response.status_code == 200
    assert editor(hr, job_description.id, pairs, "save")[0].status_code == 302
    assert "We value all." in current(session, job_description.id)["statements"]


def test_unknown_priorities_and_methods_are_set_in_the_browser(hr, session, import_seed):
    job_description = import_seed("002")  # E/D and methods unknown for all seven criteria
    response, pairs = editor(hr, job_description.id)
    assert "7 criteria do not say whether they are essential or desirable" in text_of(response)
    for position in range(7):
        field = f"categories-0-criteria-{position}"
        pairs = replace(pairs, f"{field}-priority", "desirable" if position else "essential")
        pairs = replace(pairs, f"{field}-methods", "application", "interview")
    response, _ = editor(hr, job_description.id, pairs, "save")
    assert response.status_code == 302
    criteria = current(session, job_description.id)["person_spec"]["categories"][0]["criteria"]
    assert [c["priority"] for c in criteria] == ["essential"] + ["desirable"] * 6
    assert all(c["methods"] == ["application", "interview"] for c in criteria)


def test_header_fields_including_organisation_school_salary_and_contract(hr, session, import_seed):
    job_description = import_seed("004")
    _, pairs = editor(hr, job_description.id)
    for name, new in {
        "organisation_record": "__new__",
        "organisation": "Riverside Learning Trust",
        "school_record": "__new__",
        "school": "Hillside Primary",
        "salary_min": "25,583",
        "salary_max": "26403",
        "salary_basis": "fte",
        "hours_per_week": "31.67",
        "weeks_per_year": "38",
        "inset_days": "5",
        "contract": "Fixed term",
        "contract_end": "2027-07-31",
    }.items():
        pairs = replace(pairs, name, new)
    assert editor(hr, job_description.id, pairs, "save")[0].status_code == 302
    shown = current(session, job_description.id)
    assert (shown["organisation"], shown["school"]) == (
        "Riverside Learning Trust",
        "Hillside Primary",
    )
    assert (shown["salary"]["min"], shown["salary"]["max"]) == (25583, 26403)
    assert shown["salary"]["basis"] == "fte"
    assert (shown["hours_per_week"], shown["weeks_per_year"], shown["inset_days"]) == (31.67, 38, 5)
    assert (shown["contract"], shown["contract_end"]) == ("Fixed term", "2027-07-31")


def test_add_move_and_delete_buttons_change_the_page_not_the_draft(hr, session, import_seed):
    job_description = import_seed("000")
    before = current(session, job_description.id)
    first, second = before["sections"][0]["duties"][:2]
    _, pairs = editor(hr, job_description.id)
    response, pairs = editor(hr, job_description.id, pairs, "down-duty-0-0")
    assert response.status_code == 200
    assert value(pairs, "sections-0-duties-0") == second
    assert value(pairs, "sections-0-duties-1") == first
    _, pairs = editor(hr, job_description.id, pairs, "add-duty-1")
    new_duty = f"sections-1-duties-{len(before['sections'][1]['duties'])}"
    assert value(pairs, new_duty) == ""
    pairs = replace(pairs, new_duty, "Keep the sensory room tidy.")
    _, pairs = editor(hr, job_description.id, pairs, "delete-statement-0")
    assert current(session, job_description.id) == before  # nothing saved yet
    assert editor(hr, job_description.id, pairs, "save")[0].status_code == 302
    after = current(session, job_description.id)
    assert after["sections"][0]["duties"][:2] == [second, first]
    assert after["sections"][1]["duties"][-1] == "Keep the sensory room tidy."
    assert after["statements"] == before["statements"][1:]


def test_a_duty_moves_between_sections_and_sections_reorder(hr, session, import_seed):
    job_description = import_seed("000")
    before = current(session, job_description.id)
    last_of_first = before["sections"][0]["duties"][-1]
    _, pairs = editor(hr, job_description.id)
    last = len(before["sections"][0]["duties"]) - 1
    _, pairs = editor(hr, job_description.id, pairs, f"down-duty-0-{last}")
    assert value(pairs, "sections-1-duties-0") == last_of_first
    _, pairs = editor(hr, job_description.id, pairs, "up-section-1")
    pairs = replace(pairs, "sections-0-heading", "Working with the pupil")
    assert editor(hr, job_description.id, pairs, "save")[0].status_code == 302
    after = current(session, job_description.id)
    assert after["sections"][0]["heading"] == "Working with the pupil"
    assert after["sections"][0]["duties"][0] == last_of_first
    assert after["sections"][1]["heading"] == before["sections"][0]["heading"]


def test_categories_sub_groups_and_criteria_are_edited(hr, session, import_seed):
    job_description = import_seed("000")
    before = current(session, job_description.id)
    categories = before["person_spec"]["categories"]
    _, pairs = editor(hr, job_description.id)
    _, pairs = editor(hr, job_description.id, pairs, "add-category")
    new = f"categories-{len(categories)}"
    pairs = replace(pairs, f"{new}-name", "Compassion")
    pairs = replace(pairs, f"{new}-parent", "0")  # a sub-group of the first category
    _, pairs = editor(hr, job_description.id, pairs, f"add-criterion-{len(categories)}")
    pairs = replace(pairs, f"{new}-criteria-0-text", "Shows kindness to every pupil.")
    pairs = replace(pairs, f"{new}-criteria-0-priority", "desirable")
    pairs = replace(pairs, f"{new}-criteria-0-methods", "interview", "references")
    pairs = replace(pairs, "categories-0-name", "Values")  # the group of sub-groups 1-4
    pairs = replace(pairs, "categories-5-name", "Qualifications and training")
    _, pairs = editor(hr, job_description.id, pairs, "delete-criterion-5-0")
    assert editor(hr, job_description.id, pairs, "save")[0].status_code == 302
    after = current(session, job_description.id)["person_spec"]["categories"]
    assert [category["parent"] for category in after[1:5]] == ["Values"] * 4
    assert after[5]["name"] == "Qualifications and training"
    assert after[5]["criteria"] == categories[5]["criteria"][1:]
    assert after[-1] == {
        "name": "Compassion",
        "parent": "Values",
        "criteria": [
            {
                "text": "Shows kindness to every pupil.",
                "priority": "desirable",
                "methods": ["interview", "references"],
            }
        ],
    }


@pytest.mark.parametrize(
    ("field", "bad", "message"),
    [
        ("title", " ", "Job title: enter the text."),
        ("salary_max", "1000", "Highest salary: must not be less than the lowest."),
        ("hours_per_week", "many", "Hours per week: enter a number, like 25583 or 31.5."),
        ("contract_end", "31/07/2027", "Contract end date: enter a date as YYYY-MM-DD."),
        ("sections-0-heading", "", "Duty section 1 heading: enter the text."),
        ("categories-1-criteria-0-priority", "high", "is not essential, desirable or null"),
        ("categories-1-criteria-0-methods", "telepathy", "is not an assessment method"),
    ],
)
def test_bad_input_is_summarised_and_shown_beside_its_field(
    hr, session, import_seed, field, bad, message
):
    job_description = import_seed("000")
    before = current(session, job_description.id)
    _, pairs = editor(hr, job_description.id)
    pairs = replace(pairs, "salary_min", "20000")
    pairs = replace(pairs, field, bad)
    response, _ = editor(hr, job_description.id, pairs, "save")
    assert response.status_code == 400
    page = html.unescape(response.get_data(as_text=True))
    summary = page.split('class="error-summary"')[1].split("</div>")[0]
    assert "There is a problem: nothing was saved" in summary
    assert f'href="#{field}"' in summary
    assert message in summary
    # … and beside the field, which keeps what was typed (a bad value is not lost).
    anchor = page.index(f'id="{field}"')
    assert message in page[max(0, anchor - 900) : anchor + 900]
    assert current(session, job_description.id) == before


def test_a_stale_save_is_refused_with_the_someone_else_saved_message(
    hr, app, session, create_user, import_seed
):
    job_description = import_seed("000")
    create_user("head@example.org", role="head")
    colleague = app.test_client()
    assert sign_in(colleague, "head@example.org").status_code == 302
    _, mine = editor(hr, job_description.id)
    _, theirs = editor(colleague, job_description.id)
    theirs = replace(theirs, "title", "Their title")
    assert editor(colleague, job_description.id, theirs, "save")[0].status_code == 302
    mine = replace(mine, "title", "My title")
    response, _ = editor(hr, job_description.id, mine, "save")
    assert response.status_code == 409
    assert STALE in text_of(response)
    assert "Reload the draft" in text_of(response)
    assert current(session, job_description.id)["title"] == "Their title"


def test_a_form_sent_twice_saves_once(hr, session, import_seed):
    job_description = import_seed("000")
    _, pairs = editor(hr, job_description.id)
    pairs = replace(pairs, "title", "Once")
    assert editor(hr, job_description.id, pairs, "save")[0].status_code == 302
    again, _ = editor(hr, job_description.id, pairs, "save")
    assert again.status_code == 409
    assert "You already saved this draft at" in text_of(again)
    assert current(session, job_description.id)["edit_stamp"] == 1


def test_a_form_without_its_edit_stamp_is_refused(hr, session, import_seed):
    job_description = import_seed("000")
    _, pairs = editor(hr, job_description.id)
    response, _ = editor(hr, job_description.id, replace(pairs, "edit_stamp"), "save")
    assert response.status_code == 400
    assert "The form was incomplete. Reload the page and try again." in text_of(response)
    assert current(session, job_description.id)["edit_stamp"] == 0


def test_an_old_page_s_button_for_a_row_that_is_gone_changes_nothing(hr, session, import_seed):
    job_description = import_seed("000")
    _, pairs = editor(hr, job_description.id)
    response, after = editor(hr, job_description.id, pairs, "delete-duty-9-99")
    assert response.status_code == 200

    def fields(form):  # the CSRF token is signed with the time, so it may differ
        return [(name, value) for name, value in form if name != "csrf_token"]

    assert fields(after) == fields(pairs)


def test_statements_other_sections_and_signing_roles(hr, session, import_seed):
    job_description = import_seed("002")  # four other sections, three signing roles
    before = current(session, job_description.id)
    _, pairs = editor(hr, job_description.id)
    _, pairs = editor(hr, job_description.id, pairs, "add-extra")
    new = f"extra_sections-{len(before['extra_sections'])}"
    pairs = replace(pairs, f"{new}-heading", "Working hours")
    pairs = replace(pairs, f"{new}-body", "Term time only.\r\n\r\nSome evening meetings.")
    _, pairs = editor(hr, job_description.id, pairs, "up-extra-1")
    _, pairs = editor(hr, job_description.id, pairs, "delete-signatory-0")
    _, pairs = editor(hr, job_description.id, pairs, "add-signatory")
    pairs = replace(pairs, f"signatories-{len(before['signatories']) - 1}", "Headteacher")
    _, pairs = editor(hr, job_description.id, pairs, "add-statement")
    pairs = replace(pairs, "statements-0", "We are committed to safeguarding children.")
    assert editor(hr, job_description.id, pairs, "save")[0].status_code == 302
    after = current(session, job_description.id)
    extras = before["extra_sections"]
    assert after["extra_sections"] == [
        extras[1],
        extras[0],
        *extras[2:],
        {"heading": "Working hours", "paragraphs": ["Term time only.", "Some evening meetings."]},
    ]
    assert after["signatories"] == [*before["signatories"][1:], "Headteacher"]
    assert after["statements"] == ["We are committed to safeguarding children."]


def test_a_crafted_form_with_a_huge_index_is_one_row(hr, session, import_seed):
    job_description = import_seed("004")
    _, pairs = editor(hr, job_description.id)
    sections = [name for name, _ in pairs if re.fullmatch(r"sections-\d+-heading", name)]
    pairs.append(("sections-99999999-heading", "Far away"))
    response, after = editor(hr, job_description.id, pairs, "add-statement")
    assert response.status_code == 200
    headings = [value for name, value in after if re.fullmatch(r"sections-\d+-heading", name)]
    assert len(headings) == len(sections) + 1
    assert headings[-1] == "Far away"
