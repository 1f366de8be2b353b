"""Many people at once on a multi-process server: three panel members score every applicant at
the same time (each sheet also sent twice at once) while two HR officers edit one JD draft."""

from __future__ import annotations

import random
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from html import unescape

import pytest
from sqlalchemy import select

from jdtool.app import create_app
from jdtool.models import ScoreSheet
from jdtool.services.documents import get_job_description, version_dict
from jdtool.services.panels import add_panel_member
from jdtool.services.scoring import stage_criteria
from jdtool.services.users import create_user

from .browser_form import form_pairs
from .factories import create_job_description
from .gunicorn import WebClient, run_gunicorn
from .recruitment_data import PASSWORD, build_round
from .test_drafts import STALE

APPLICANTS = 4
#: Each HR officer's attempts to save the draft (bounded: the test must stay short).
SAVES_EACH = 4
OWN_STALE = "You already saved this draft at "
ALREADY_SUBMITTED = "You have already submitted scores for this applicant."


@dataclass
class Prepared:
    vacancy_id: int
    application_ids: list[int]
    members: dict[str, str]  # email -> the score that member gives everywhere
    cells: list[str]  # the grid's score field names
    draft_id: int


def prepare(url: str) -> Prepared:
    """A vacancy with three shortlisting panel members and applicants; a JD draft; two HR users."""
    app = create_app({"TESTING": True, "DATABASE_URL": url, "SECRET_KEY": "x"})
    with app.extensions["jdtool_sessions"]() as session:
        round_ = build_round(session, applicants=APPLICANTS)
        create_user(session, "third@example.org", PASSWORD, name="Third Member", role="panel")
        add_panel_member(session, round_.vacancy, "third@example.org", "shortlisting")
        for email in ("hr1@example.org", "hr2@example.org"):
            create_user(session, email, PASSWORD, role="hr")
        draft = create_job_description(session, title="1:1 TA")
        cells = [
            f"score-{c.criterion.id}-{method}"
            for c in stage_criteria(round_.vacancy.version, "shortlisting")
            for method in c.methods
        ]
        session.commit()
        prepared = Prepared(
            round_.vacancy.id,
            [application.id for application in round_.applications],
            {"chair@example.org": "1", "member@example.org": "2", "third@example.org": "3"},
            cells,
            draft.id,
        )
    app.extensions["jdtool_engine"].dispose()
    return prepared


def duties_in(fields: dict[str, str]) -> list[str]:
    """The first duty section's duties as the editor's form holds them."""
    duties, position = [], 0
    while f"sections-0-duties-{position}" in fields:
        duties.append(fields[f"sections-0-duties-{position}"])
        position += 1
    return duties


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request, tmp_path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'jdtool.sqlite3'}"
    return request.getfixturevalue("postgres_url")


def test_panel_scoring_and_draft_editing_at_the_same_time(database):
    prepared = prepare(database)
    with run_gunicorn(database, workers=2) as base_url:
        panel = {email: WebClient(base_url) for email in prepared.members}
        hr = {email: WebClient(base_url) for email in ("hr1@example.org", "hr2@example.org")}
        for email, client in {**panel, **hr}.items():
            client.sign_in(email, PASSWORD)

        def sheet_path(application_id: int) -> str:
            return f"/vacancies/{prepared.vacancy_id}/shortlisting/applications/{application_id}"

        def submit(email: str, application_id: int):
            client = panel[email]
            fields = {"csrf_token": client.csrf_token(sheet_path(application_id))}
            fields |= dict.fromkeys(prepared.cells, prepared.members[email])
            return email, application_id, client.post(sheet_path(application_id), fields)

        def edit(email: str, attempt: int):
            client = hr[email]
            page = client.get(f"/jds/{prepared.draft_id}/edit")
            fields = dict(form_pairs(page.body))  # seed 001: no method ticked, one value a name
            fields["title"] = f"Saved by {email}, attempt {attempt}"
            fields[f"sections-0-duties-{len(duties_in(fields))}"] = (
                f"Duty added by {email} in attempt {attempt}."
            )
            fields["action"] = "save"
            return page.status, fields, client.post(f"/jds/{prepared.draft_id}/edit", fields)

        # Every sheet twice, the two copies side by side so that they are sent at the same time;
        # the HR saves in between, in a shuffled but repeatable order.
        units = [
            [(submit, email, application_id)] * 2
            for email in prepared.members
            for application_id in prepared.application_ids
        ] + [[(edit, email, attempt)] for email in hr for attempt in range(SAVES_EACH)]
        random.Random(6).shuffle(units)
        tasks = [task for unit in units for task in unit]
        with ThreadPoolExecutor(max_workers=8) as pool:
            futures = [pool.submit(task, *arguments) for task, *arguments in tasks]
            results = [future.result(timeout=120) for future in futures]

        scoring = [result for result in results if isinstance(result[1], int)]
        saves = [result for result in results if isinstance(result[1], dict)]
        replies = [reply for *_rest, reply in results]
        assert [r.status for r in replies if r.status >= 500] == []

        # Scoring: per member and applicant, one submission accepted (back on the sheet), the
        # other refused (sent back to the stage with a message), never an error.
        accepted: dict[tuple[str, int], int] = {}
        for email, application_id, reply in scoring:
            if reply.location.endswith(sheet_path(application_id)):
                assert reply.status == 302, reply.body[-500:]
                accepted[email, application_id] = accepted.get((email, application_id), 0) + 1
            else:  # a refused form: 303 (See Other) back to the stage
                assert reply.status == 303, reply.body[-500:]
                assert reply.location.endswith(f"/vacancies/{prepared.vacancy_id}/shortlisting")
        assert accepted == {
            (email, application_id): 1
            for email in prepared.members
            for application_id in prepared.application_ids
        }
        # A further duplicate is explained on the page it leads to.
        email, application_id = "chair@example.org", prepared.application_ids[0]
        *_rest, reply = submit(email, application_id)
        assert reply.status == 303
        assert ALREADY_SUBMITTED in unescape(panel[email].get(reply.location).body)

        # Draft: every save is either accepted or refused as stale, with the message.
        accepted_saves = []
        for page_status, fields, reply in saves:
            assert page_status == 200
            if reply.status == 302:
                accepted_saves.append(fields)
            else:
                assert reply.status == 409, reply.body[-500:]
                # Refused with the message, naming someone else or (when the newer save was
                # this user's own, from another attempt) the user.
                assert STALE in unescape(reply.body) or OWN_STALE in unescape(reply.body)
        assert accepted_saves

    app = create_app({"TESTING": True, "DATABASE_URL": database, "SECRET_KEY": "x"})
    with app.extensions["jdtool_sessions"]() as session:
        sheets = session.scalars(
            select(ScoreSheet).where(ScoreSheet.vacancy_id == prepared.vacancy_id)
        ).all()
        assert sorted((s.panel_member.user.email, s.application_id) for s in sheets) == sorted(
            accepted
        )
        assert all(sheet.live for sheet in sheets)
        for sheet in sheets:
            given = int(prepared.members[sheet.panel_member.user.email])
            assert len(sheet.scores) == len(prepared.cells)
            assert {score.value for score in sheet.scores} == {given}

        # No lost update: each accepted save was made from the one before it (stamps 0, 1, 2…),
        # and the draft is exactly the last of them.
        version = get_job_description(session, prepared.draft_id).current
        stamps = sorted(int(fields["edit_stamp"]) for fields in accepted_saves)
        assert stamps == list(range(len(accepted_saves)))
        assert version.edit_stamp == len(accepted_saves)
        last = next(f for f in accepted_saves if int(f["edit_stamp"]) == stamps[-1])
        final = version_dict(version)
        assert final["title"] == last["title"]
        assert final["sections"][0]["duties"] == duties_in(last)
    app.extensions["jdtool_engine"].dispose()
