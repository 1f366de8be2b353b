"""Approvals raced against saves from the editor and additions from Compose, on a two-worker
server: every approved version's text matches its content hash, and is the text at the edit
stamp the approver's page showed."""

from __future__ import annotations

import random
import re
from concurrent.futures import ThreadPoolExecutor

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from jdtool.app import create_app
from jdtool.cli import main
from jdtool.models import AuditEvent, JobDescriptionVersion
from jdtool.services.documents import content_hash, import_document, start_new_version
from jdtool.services.users import create_user

from .browser_form import form_pairs
from .conftest import seed_path
from .gunicorn import WebClient, run_gunicorn

PASSWORD = "correct horse battery"
EDITORS = ("editor1@example.org", "editor2@example.org")
APPROVERS = ("approver1@example.org", "approver2@example.org")
COMPOSER = "composer@example.org"
ROUNDS = 3


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request, tmp_path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'jdtool.sqlite3'}"
    return request.getfixturevalue("postgres_url")


def open_app(url: str):
    return create_app({"TESTING": True, "DATABASE_URL": url, "SECRET_KEY": "x"})


def prepare(url: str) -> int:
    app = open_app(url)
    with app.extensions["jdtool_sessions"]() as session:
        for email in (*EDITORS, *APPROVERS, COMPOSER):
            create_user(session, email, PASSWORD, role="hr")
        path = seed_path("001")  # every criterion's E/D stated: nothing blocks approval
        job_description_id = import_document(session, path.name, path.read_bytes()).id
        session.commit()
    app.extensions["jdtool_engine"].dispose()
    return job_description_id


def start_next_draft(url: str, job_description_id: int) -> None:
    app = open_app(url)
    with app.extensions["jdtool_sessions"]() as session:
        start_new_version(session, job_description_id)
        session.commit()
    app.extensions["jdtool_engine"].dispose()


def test_approvals_raced_against_saves_approve_exactly_what_was_seen(database):
    jd = prepare(database)
    #: (approver, version number shown) -> the edit stamp their approve page carried.
    seen: dict[tuple[str, int], int] = {}
    #: (editor, round, stamp loaded) -> the title that editor's successful save wrote.
    titles: dict[tuple[str, int, int], str] = {}
    replies = []
    with run_gunicorn(database, workers=2) as base_url:
        clients = {email: WebClient(base_url) for email in (*EDITORS, *APPROVERS, COMPOSER)}
        for email, client in clients.items():
            client.sign_in(email, PASSWORD)

        def save(email: str, round_: int, attempt: int):
            client = clients[email]
            page = client.get(f"/jds/{jd}/edit")
            if page.status != 200:  # approved already: the editor is closed
                return page
            pairs = form_pairs(page.body)
            fields = dict(pairs)
            stamp = int(fields["edit_stamp"])
            title = f"Saved by {email} in round {round_}, attempt {attempt}"
            duties = sum(1 for name, _ in pairs if name.startswith("sections-0-duties-"))
            pairs = [(n, title if n == "title" else v) for n, v in pairs]
            pairs += [(f"sections-0-duties-{duties}", f"{title}: a new duty."), ("action", "save")]
            reply = client.post(f"/jds/{jd}/edit", pairs)
            if reply.status == 302:  # saved (a stale save is refused on the page: 409)
                titles[email, round_, stamp] = title  # round N edits version N
            return reply

        def compose(round_: int, attempt: int):
            client = clients[COMPOSER]
            token = client.csrf_token(f"/library/compose/{jd}")
            fields = {
                "csrf_token": token,
                "kind": "duty",
                "text": f"Added from the library in round {round_}, attempt {attempt}.",
                "force": "yes",
            }
            return client.post(f"/library/compose/{jd}", fields)

        def approve(email: str, round_: int):
            client = clients[email]
            page = client.get(f"/jds/{jd}/approve")
            if page.status != 200:
                return page
            stamp = int(re.search(r'name="edit_stamp" value="(\d+)"', page.body)[1])
            number = int(re.search(r"Version (\d+) \(draft\)", page.body)[1])
            seen[email, number] = stamp
            pairs = [(name, value) for name, value in form_pairs(page.body)]
            pairs += [
                ("acknowledge", key)
                for key in re.findall(r'name="acknowledge" value="([^"]+)"', page.body)
            ]
            return client.post(f"/jds/{jd}/approve", pairs)

        for round_ in range(1, ROUNDS + 1):
            if round_ > 1:
                start_next_draft(database, jd)
            tasks = [(save, email, round_, attempt) for email in EDITORS for attempt in (1, 2)]
            tasks += [(compose, round_, attempt) for attempt in (1, 2)]
            tasks += [(approve, email, round_) for email in APPROVERS]
            random.Random(round_).shuffle(tasks)
            with ThreadPoolExecutor(max_workers=len(tasks)) as pool:
                futures = [pool.submit(task, *arguments) for task, *arguments in tasks]
                replies += [future.result(timeout=120) for future in futures]
            # Whoever lost every race approves now, from a fresh page.
            reply = approve(APPROVERS[0], round_)
            assert reply.status == 302, reply.body[-800:]

    assert [reply.status for reply in replies if reply.status >= 500] == []

    app = open_app(database)
    with app.extensions["jdtool_sessions"]() as session:
        versions = session.scalars(
            select(JobDescriptionVersion).where(JobDescriptionVersion.job_description_id == jd)
        ).all()
        assert [(v.number, v.status) for v in versions] == [
            (number, "approved") for number in range(1, ROUNDS + 1)
        ]
        approvals = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "approve").order_by(AuditEvent.id)
        ).all()
        assert len(approvals) == ROUNDS
        edits = session.scalars(select(AuditEvent).where(AuditEvent.action == "draft-edit")).all()
        for version, event in zip(versions, approvals, strict=True):
            # The text is the text its hash was taken of …
            assert content_hash(version) == version.content_hash
            assert f"content hash {version.content_hash}" in event.detail
            # … and the draft at the stamp the approver's page showed.
            approved_stamp = int(re.search(r"edit stamp (\d+)", event.detail)[1])
            assert approved_stamp == version.edit_stamp
            assert seen[event.actor, version.number] == approved_stamp
            saved_by = [
                e.actor
                for e in edits
                if e.subject.endswith(f"version {version.number}")
                and f"(edit {approved_stamp})" in e.detail
            ]
            if saved_by:  # the last change before approval was a save from the editor
                assert version.title == titles[saved_by[0], version.number, approved_stamp - 1]
    app.extensions["jdtool_engine"].dispose()

    verify = CliRunner().invoke(main, ["--db", database, "verify"])
    assert (verify.exit_code, verify.output) == (0, "")
