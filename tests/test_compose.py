"""Compose and checks that act: choose where a clause goes, remove and move lines, page through
search, remove a duplicate or keep both."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from jdtool.errors import DomainError
from jdtool.models import AuditEvent, KeptDuplicate
from jdtool.services.checks import check_document
from jdtool.services.compose import add_clause, add_new_text, start_job_description
from jdtool.services.documents import get_job_description
from jdtool.services.draft_lines import keep_both, move_line, remove_duplicate, remove_line
from jdtool.services.draft_stamp import StaleDraft
from jdtool.services.library import search_library, search_library_page

from .test_web import csrf_token, sign_in

POLICIES = "Be aware of and comply with policies and procedures relating to child protection"


def duty_sections(job_description) -> list[tuple[str, list[str]]]:
    return [
        (section.heading, [duty.text for duty in section.duties])
        for section in job_description.current.duty_sections
    ]


@pytest.fixture
def composed(session):
    """A draft with three typed duties: two in "Support", one in "Safeguarding"."""
    draft = start_job_description(session, "1:1 SEN Teaching Assistant")
    for text, heading in (
        ("Escort the pupil to the school bus", "Support"),
        ("Prepare resources for the pupil's lessons", "Support"),
        ("Report every concern to the safeguarding lead", "Safeguarding"),
    ):
        add_new_text(session, draft.id, "duty", text, heading=heading)
    session.commit()
    return draft


# -- choosing where an added clause goes ----------------------------------------------------------


def test_an_added_clause_goes_to_the_section_chosen_or_a_new_one(session, seed_document, composed):
    seed_document("000")
    policies = search_library(session, "comply with policies", kind="duty")[0].clause
    add_clause(session, composed.id, policies.id, heading="Safeguarding")
    add_new_text(session, composed.id, "duty", "Supervise lunchtimes", heading="Lunchtimes")
    assert duty_sections(composed) == [
        ("Support", ["Escort the pupil to the school bus",
                     "Prepare resources for the pupil's lessons"]),
        ("Safeguarding", ["Report every concern to the safeguarding lead", policies.text]),
        ("Lunchtimes", ["Supervise lunchtimes"]),
    ]  # fmt: skip


# -- removing and moving lines ------------------------------------------------------------------


def test_moving_a_duty_crosses_into_the_next_section_and_removing_drops_an_empty_one(
    session, composed
):
    stamp = composed.current.edit_stamp
    assert move_line(session, composed.id, "duty", 2, "down", stamp) == (
        "Prepare resources for the pupil's lessons"
    )
    session.commit()
    assert duty_sections(composed) == [
        ("Support", ["Escort the pupil to the school bus"]),
        ("Safeguarding", ["Prepare resources for the pupil's lessons",
                          "Report every concern to the safeguarding lead"]),
    ]  # fmt: skip
    remove_line(session, composed.id, "duty", 1, stamp + 1)
    session.commit()
    assert [heading for heading, _duties in duty_sections(composed)] == ["Safeguarding"]
    assert move_line(session, composed.id, "duty", 2, "up", stamp + 2).startswith("Report")
    session.commit()
    assert duty_sections(composed)[0][1][0] == "Report every concern to the safeguarding lead"
    edits = session.scalars(select(AuditEvent).where(AuditEvent.action == "draft-edit")).all()
    assert len(edits) == 3


def test_a_line_change_from_an_old_page_is_refused_and_changes_nothing(
    session, create_user, composed
):
    user = create_user()
    stamp = composed.current.edit_stamp
    remove_line(session, composed.id, "duty", 3, stamp, user)
    session.commit()
    with pytest.raises(StaleDraft, match="You already saved this draft"):
        remove_line(session, composed.id, "duty", 3, stamp, user)
    session.rollback()
    with pytest.raises(StaleDraft, match="Someone else saved this draft"):
        move_line(session, composed.id, "duty", 1, "down", stamp)
    session.rollback()
    assert len(composed.current.duties()) == 2


@pytest.mark.parametrize(
    ("kind", "position", "change", "message"),
    [
        ("duty", 1, "up", "already the first"),
        ("duty", 3, "down", "already the last"),
        ("duty", 4, "remove", "Someone else saved"),  # a line an old page showed
        ("statement", 1, "remove", "Only duties and criteria"),
        ("duty", 1, "sideways", "only move up or down"),
    ],
)
def test_impossible_line_changes_are_explained(session, composed, kind, position, change, message):
    stamp = composed.current.edit_stamp
    if change == "remove":
        with pytest.raises(DomainError, match=message):
            remove_line(session, composed.id, kind, position, stamp)
    else:
        with pytest.raises(DomainError, match=message):
            move_line(session, composed.id, kind, position, change, stamp)


def test_removing_the_last_criterion_of_a_category_removes_the_category(session, seed_document):
    seed_document("000")
    draft = start_job_description(session, "TA")
    clause = search_library(session, "SEN children as a TA", kind="criterion")[0].clause
    add_clause(session, draft.id, clause.id, priority="essential", heading="Experience")
    add_new_text(
        session, draft.id, "criterion", "First aid", heading="Training", priority="desirable"
    )
    session.commit()
    remove_line(session, draft.id, "criterion", 1, draft.current.edit_stamp)
    session.commit()
    assert [category.name for category in draft.current.categories] == ["Training"]


# -- checks: remove this duplicate, keep both ------------------------------------------------------


def test_keep_both_stops_flagging_the_pair_and_survives_other_changes(
    session, create_user, seed_document
):
    user = create_user()
    seed = seed_document("000")
    assert len(check_document(session, seed.id).duplicates) == 6
    stamp = seed.current.edit_stamp
    keep_both(session, seed.id, "duty", 34, 38, stamp, user)
    keep_both(session, seed.id, "duty", 34, 38, stamp, user)  # sent twice: one record
    session.commit()
    checks = check_document(session, seed.id)
    assert len(checks.duplicates) == 5
    assert [(pair.position_a, pair.position_b) for pair in checks.kept] == [(34, 38)]
    assert len(session.scalars(select(KeptDuplicate)).all()) == 1
    (event,) = session.scalars(select(AuditEvent).where(AuditEvent.action == "duplicate-kept"))
    assert event.actor == "hr@example.org"
    assert "kept both duty 34" in event.detail

    # Removing another line moves the pair (now 33 and 37): still kept, by its texts.
    remove_line(session, seed.id, "duty", 1, stamp, user)
    session.commit()
    checks = check_document(session, seed.id)
    assert [(pair.position_a, pair.position_b) for pair in checks.kept] == [(33, 37)]


def test_remove_this_duplicate_removes_the_repeat(session, seed_document):
    seed = seed_document("000")
    removed = remove_duplicate(session, seed.id, "duty", 34, 38, seed.current.edit_stamp)
    session.commit()
    assert removed.startswith(POLICIES)
    texts = [duty.text for duty in seed.current.duties()]
    assert len(texts) == 45
    assert texts.count(removed) == 1
    assert len(check_document(session, seed.id).duplicates) == 5


def test_duplicate_decisions_from_an_old_page_or_for_no_pair_are_refused(session, seed_document):
    seed = seed_document("000")
    stamp = seed.current.edit_stamp
    with pytest.raises(StaleDraft):
        keep_both(session, seed.id, "duty", 34, 38, stamp + 1)
    with pytest.raises(DomainError, match="do not repeat each other"):
        remove_duplicate(session, seed.id, "duty", 1, 2, stamp)
    assert len(seed.current.duties()) == 46


# -- search pages ---------------------------------------------------------------------------------


def test_search_pages_count_everything_found(session, seed_document):
    seed_document("000")
    every = search_library(session, kind="duty", limit=1000)
    first = search_library_page(session, kinds=["duty"], per_page=20)
    assert first.total == len(every) > 20
    assert (first.first, first.last, first.page) == (1, 20, 1)
    last = search_library_page(session, kinds=["duty"], page=999, per_page=20)
    assert last.page == last.pages
    assert last.last == len(every)
    assert [entry.clause.id for entry in last.clauses] == [
        entry.clause.id for entry in every[(last.page - 1) * 20 :]
    ]
    assert search_library_page(session, kinds=["duty"], page=-3).page == 1
    assert search_library_page(session, "no such words anywhere").first == 0


# -- the web pages --------------------------------------------------------------------------------


@pytest.fixture
def hr(client, create_user, seed_document):
    """A signed-in HR officer; seeds 000 (ID 1) and 002 in the library; an empty draft (ID 3)."""
    create_user()
    seed_document("000")
    seed_document("002")
    sign_in(client)
    token = csrf_token(client, "/library/compose")
    response = client.post("/library/compose", data={"title": "1:1 SEN TA", "csrf_token": token})
    assert response.headers["Location"].endswith("/library/compose/3")
    return client


def compose_page(client, query: str = "") -> str:
    response = client.get(f"/library/compose/3{query}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def stamp_on(page: str) -> str:
    return re.search(r'name="edit_stamp" value="(\d+)"', page).group(1)


@pytest.mark.parametrize(
    ("page", "shown"),
    [
        ("", "Showing 1–20 of"),
        ("&page=2", "Showing 21–40 of"),
        ("&page=abc", "Showing 1–20 of"),
        ("&page=-1", "Showing 1–20 of"),
        ("&page=0", "Showing 1–20 of"),
        ("&page=99999999999999999999", "Showing 1–20 of"),
        ("&page=999", "Page 3 of 3"),
    ],
)
def test_compose_search_pages(hr, page, shown):
    html = compose_page(hr, f"?q=pupil&kind=duty{page}")
    assert shown in html
    total = int(re.search(r"Showing \d+–\d+ of (\d+)", html).group(1))
    assert total > 40


def test_library_search_page_has_pages_too(hr):
    html = hr.get("/library?kind=duty").get_data(as_text=True)
    assert re.search(r"Showing 1–50 of \d+ clauses", html)
    assert 'rel="next"' in html
    assert hr.get("/library?kind=duty&page=x").status_code == 200


def test_compose_adds_a_clause_to_the_section_chosen_or_named(hr, session):
    policies = search_library(session, "comply with policies", kind="duty")[0].clause
    url = "/library/compose/3"
    token = csrf_token(hr, url)
    hr.post(
        url, data={"clause_id": policies.id, "new_heading": "Safeguarding", "csrf_token": token}
    )
    hr.post(
        url,
        data={"kind": "duty", "text": "Supervise lunchtimes", "heading": "Safeguarding",
              "csrf_token": token},
    )  # fmt: skip
    html = compose_page(hr)
    assert re.search(r"Safeguarding</p>\s*<ol", html)
    assert html.count('<option value="Safeguarding"') >= 1
    session.expire_all()
    version = get_job_description(session, 3).current
    assert [(s.heading, len(s.duties)) for s in version.duty_sections] == [("Safeguarding", 2)]


def test_compose_explains_a_wrong_section_and_a_missing_priority_beside_the_field(hr, session):
    url = "/library/compose/3"
    token = csrf_token(hr, url)
    hr.post(url, data={"kind": "criterion", "text": "First aid", "new_heading": "Training",
                       "priority": "desirable", "csrf_token": token})  # fmt: skip
    wrong = hr.post(
        url, data={"kind": "duty", "text": "Supervise lunchtimes", "heading": "Training",
                   "csrf_token": token},
    )  # fmt: skip
    assert wrong.status_code == 400
    html = wrong.get_data(as_text=True)
    assert 'class="error-summary"' in html
    assert "“Training” is not a duty section of this document" in html
    assert 'id="new-heading-error"' in html
    clause = search_library(session, "SEN children as a TA", kind="criterion")[0].clause
    missing = hr.post(url, data={"clause_id": clause.id, "csrf_token": token}, query_string={
        "q": "SEN children as a TA", "kind": "criterion"})  # fmt: skip
    assert missing.status_code == 400
    html = missing.get_data(as_text=True)
    assert f'id="clause-{clause.id}-priority-error"' in html
    assert f'href="#clause-{clause.id}-priority"' in html


def test_remove_and_move_in_the_document_panel_and_a_second_send_is_explained(hr):
    url = "/library/compose/3"
    token = csrf_token(hr, url)
    for text in ("Escort the pupil to the bus", "Prepare resources", "Supervise lunchtimes"):
        hr.post(url, data={"kind": "duty", "text": text, "csrf_token": token})
    html = compose_page(hr)
    assert html.count('value="remove"') == 3
    stamp = stamp_on(html)
    change = {"kind": "duty", "position": 3, "edit_stamp": stamp, "csrf_token": token}
    moved = hr.post(f"{url}/lines", data={**change, "change": "up"}, follow_redirects=True)
    assert "Moved duty 3 up: “Supervise lunchtimes”." in moved.get_data(as_text=True)
    again = hr.post(f"{url}/lines", data={**change, "change": "up"}, follow_redirects=True)
    assert again.status_code == 200
    assert "You already saved this draft" in again.get_data(as_text=True)
    html = compose_page(hr)
    assert re.findall(r"<li>([^<]+?)\s*<span class=\"line-actions", html)[:3] == [
        "Escort the pupil to the bus", "Supervise lunchtimes", "Prepare resources"
    ]  # fmt: skip
    removed = hr.post(
        f"{url}/lines",
        data={**change, "position": 1, "change": "remove", "edit_stamp": stamp_on(html)},
        follow_redirects=True,
    )
    assert "Removed duty 1: “Escort the pupil to the bus”." in removed.get_data(as_text=True)
    assert compose_page(hr).count('value="remove"') == 2
    expired = hr.post(f"{url}/lines", data={**change, "csrf_token": "x", "change": "remove"})
    assert expired.status_code == 400  # the app's CSRF protection: never a server error
    bad = hr.post(
        f"{url}/lines",
        data={**change, "position": "two", "change": "remove"},
        follow_redirects=True,
    )
    assert "That change could not be made from this page" in bad.get_data(as_text=True)


def test_checks_page_removes_a_duplicate_and_keeps_both(hr):
    url = "/library/jds/1/report"
    html = hr.get(url).get_data(as_text=True)
    assert html.count('value="remove"') == 6
    token = csrf_token(hr, url)
    pair = {"kind": "duty", "position_a": 34, "position_b": 38, "csrf_token": token}
    kept = hr.post(
        "/library/jds/1/duplicates",
        data={**pair, "edit_stamp": stamp_on(html), "decision": "keep"},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "Kept both duties 34 and 38" in kept
    assert kept.count('value="remove"') == 5
    assert "1 pair reviewed and kept (duties 34 and 38)" in kept
    pair |= {"position_a": 35, "position_b": 39, "edit_stamp": stamp_on(kept)}
    removed = hr.post(
        "/library/jds/1/duplicates", data={**pair, "decision": "remove"}, follow_redirects=True
    ).get_data(as_text=True)
    assert "Removed duty 39" in removed
    assert removed.count('value="remove"') == 4
    twice = hr.post(
        "/library/jds/1/duplicates", data={**pair, "decision": "remove"}, follow_redirects=True
    )
    assert twice.status_code == 200
    assert "You already saved this draft" in twice.get_data(as_text=True)


def test_checks_of_an_approved_version_offer_no_actions(client, create_user, seed_document):
    create_user()
    seed_document("000", approve=True)
    sign_in(client)
    html = client.get("/library/jds/1/report").get_data(as_text=True)
    assert "Remove this duplicate" not in html
