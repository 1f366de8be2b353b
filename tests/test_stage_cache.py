"""The scoring pages are worked out once per worker and kept until a commit changes scoring
data (services/change_marks.py, services/stage_scores.py). Kept or not, a page must show every
change: made through the web, by another session (another worker or the command line), or by
a bulk statement."""

from __future__ import annotations

from dataclasses import FrozenInstanceError

import pytest
from click.testing import CliRunner
from sqlalchemy import select, update

from jdtool.app import create_app
from jdtool.cli import main
from jdtool.models import Applicant, ChangeCounter, PanelMember, User
from jdtool.services import stage_scores
from jdtool.services.change_marks import DATABASE
from jdtool.services.decisions import rank_stage
from jdtool.services.scoping import scope_for
from jdtool.services.scoring import stage_criteria
from jdtool.services.stage_scores import ApplicationView, load_stage_scores

from .gunicorn import WebClient, run_gunicorn
from .recruitment_data import PASSWORD
from .recruitment_data import score_all as score
from .test_page_queries import page_text, statements_run
from .test_recruitment_web import sign_in, text, token


@pytest.fixture
def database_template(round_template):
    return round_template


def count(app) -> int:
    with app.extensions["jdtool_sessions"]() as other:
        return other.scalar(select(ChangeCounter.value).where(ChangeCounter.name == "scoring"))


def urls(round_) -> list[str]:
    vacancy_id = round_.vacancy.id
    return [
        f"/vacancies/{vacancy_id}/shortlisting/ranking",
        f"/vacancies/{vacancy_id}/shortlisting/moderation",
        f"/vacancies/{vacancy_id}/shortlisting/applications/{round_.applications[0].id}",
    ]


def test_a_page_seen_again_reads_only_the_user_and_the_vacancy(app, client, session, round_):
    for member in (round_.chair, round_.member):
        score(session, member, round_.applications[0], "2")
    sign_in(client, "chair@example.org")
    ranking, moderation, _grid = urls(round_)
    first = {url: page_text(client, url) for url in (ranking, moderation)}
    assert statements_run(app, client, ranking) == 2  # the user, the vacancy with the count
    assert statements_run(app, client, moderation) == 2
    assert {url: page_text(client, url) for url in (ranking, moderation)} == first


def test_viewing_pages_does_not_move_the_count_and_a_refused_change_neither(
    app, client, session, round_
):
    score(session, round_.chair, round_.applications[0], "2")
    sign_in(client, "chair@example.org")
    before = count(app)
    for url in urls(round_):
        client.get(url)
    assert count(app) == before
    decision = f"/vacancies/{round_.vacancy.id}/shortlisting/applications/"
    refused = client.post(
        f"{decision}{round_.applications[0].id}/decision",
        data={"csrf_token": token(client, urls(round_)[0]), "outcome": "shortlist", "reason": ""},
    )
    assert refused.status_code == 400
    assert count(app) == before


def test_a_score_from_another_session_shows_on_every_kept_page(app, client, session, round_):
    application = round_.applications[0]
    score(session, round_.chair, application, "2")
    sign_in(client, "chair@example.org")
    before = {url: page_text(client, url) for url in urls(round_)}
    counted = count(app)
    with app.extensions["jdtool_sessions"]() as other:  # another worker, or the command line
        member = other.get(PanelMember, round_.member.id)
        score(other, member, other.merge(application), "0")
    assert count(app) == counted + 1
    after = {url: page_text(client, url) for url in urls(round_)}
    for url in urls(round_):
        assert after[url] != before[url], url


def test_a_decision_recorded_by_hr_shows_on_the_chairs_kept_ranking(
    app, client, session, round_, create_user
):
    application = round_.applications[0]
    for member in (round_.chair, round_.member):
        score(session, member, application, "2")
    sign_in(client, "chair@example.org")
    ranking = urls(round_)[0]
    assert "Kept for the reason given" not in text(client.get(ranking))
    create_user("hr@example.org", "correct horse battery", role="hr")
    hr = app.test_client()
    hr.post(
        "/login",
        data={
            "email": "hr@example.org",
            "password": "correct horse battery",
            "csrf_token": token(hr, "/login"),
        },
    )
    criterion = stage_criteria(round_.vacancy.version, "shortlisting")[0].criterion
    hr.post(
        f"/vacancies/{round_.vacancy.id}/shortlisting/applications/{application.id}/decision",
        data={
            "csrf_token": token(hr, ranking),
            "outcome": "shortlist",
            "reason": "Kept for the reason given",
            "criteria": [str(criterion.id)],
        },
    )
    assert "Shortlisted</strong>: Kept for the reason given" in text(client.get(ranking))


def test_a_renamed_member_and_a_bulk_change_to_an_applicant_show_at_once(
    app, client, session, round_
):
    application = round_.applications[0]
    for member in (round_.chair, round_.member):
        score(session, member, application, "2")
    sign_in(client, "chair@example.org")
    moderation, ranking = urls(round_)[1], urls(round_)[0]
    client.get(moderation)
    client.get(ranking)
    with app.extensions["jdtool_sessions"]() as other:
        other.get(User, round_.member.user_id).name = "Renamed Member"
        other.commit()
    assert "Renamed Member" in text(client.get(moderation))
    with app.extensions["jdtool_sessions"]() as other:
        other.execute(
            update(Applicant)
            .where(Applicant.id == application.applicant_id)
            .values(name="Bulk Changed Name")
        )
        other.commit()
    assert "Bulk Changed Name" in text(client.get(ranking))


def test_a_session_that_changed_scores_reads_afresh_with_the_scope_it_had(session, round_):
    """Within one session, a scope read before its own change is not answered from the store."""
    application = round_.applications[0]
    scope = scope_for(session, round_.chair.user, round_.vacancy.id)
    assert rank_stage(session, scope, "shortlisting")[0].standing.total == 0
    score(session, round_.chair, application, "3")
    ranked = {r.application.id: r.standing for r in rank_stage(session, scope, "shortlisting")}
    assert ranked[application.id].total > 0


def test_kept_scores_are_plain_frozen_data(app, session, round_):
    score(session, round_.chair, round_.applications[0], "2")
    with app.extensions["jdtool_sessions"]() as reader:  # a request's session: reads only
        scope = scope_for(reader, reader.get(User, round_.chair.user_id), round_.vacancy.id)
        scores = load_stage_scores(reader, scope, "shortlisting")
        assert load_stage_scores(reader, scope, "shortlisting") is scores  # kept
    assert isinstance(scores.applications[0], ApplicationView)
    with pytest.raises(FrozenInstanceError):
        scores.applications[0].reference = "changed"  # type: ignore[misc]
    with pytest.raises(FrozenInstanceError):
        scores.members[0].user.name = "changed"  # type: ignore[misc]


def test_a_worker_keeps_one_copy_per_page_however_many_commits(app, client, session, round_):
    """Each commit makes the kept pages out of date; they are replaced, not piled up."""
    sign_in(client, "chair@example.org")
    ranking, moderation, _grid = urls(round_)
    client.get(ranking)
    client.get(moderation)
    held = len(stage_scores._kept)
    assert held > 0
    for application in round_.applications:
        score(session, round_.chair, application, "2")
        client.get(ranking)
        client.get(moderation)
    assert len(stage_scores._kept) == held


def test_two_server_workers_show_a_decision_recorded_through_either(
    database_url, session, round_, create_user
):
    """Each gunicorn worker keeps its own pages; a commit through one worker reaches both."""
    for member in (round_.chair, round_.member):
        score(session, member, round_.applications[0], "2")
    create_user("hr@example.org", PASSWORD, role="hr")
    ranking = urls(round_)[0]
    with run_gunicorn(database_url, workers=2) as base_url:
        chair = WebClient(base_url)
        chair.sign_in("chair@example.org", PASSWORD)
        for _ in range(12):  # both workers, four threads each, work the page out and keep it
            assert chair.get(ranking).status == 200
        hr = WebClient(base_url)
        hr.sign_in("hr@example.org", PASSWORD)
        decided = hr.post(
            f"{ranking.removesuffix('ranking')}applications/{round_.applications[0].id}/decision",
            {
                "csrf_token": hr.csrf_token(ranking),
                "outcome": "reject",
                "reason": "Recorded through the other worker",
            },
        )
        assert decided.location == f"{ranking}#application-{round_.applications[0].id}"
        pages = [chair.get(ranking).body for _ in range(12)]
    assert all("Recorded through the other worker" in page for page in pages)


def kept_names() -> set[str]:
    """Every applicant name this worker holds in its kept stage scores and rankings."""
    names = set()
    for _count, value in stage_scores._kept._entries.values():
        rows = (
            value.applications if hasattr(value, "applications") else [r.application for r in value]
        )  # noqa: E501
        names.update(row.applicant.name for row in rows if row.applicant is not None)
    return names


def test_a_newer_count_drops_what_was_kept_at_older_ones(app, client, session, round_):
    """Once a commit retires them, kept pages are dropped, not left in memory: they may name
    an applicant whose personal data has since been deleted."""
    application = round_.applications[0]
    score(session, round_.chair, application, "2")  # so the grid shows the chair's sheet
    sign_in(client, "chair@example.org")
    for url in urls(round_):  # the grid keeps a place of its own, not visited again below
        client.get(url)
    assert application.applicant.name in kept_names()
    with app.extensions["jdtool_sessions"]() as other:
        other.execute(
            update(Applicant)
            .where(Applicant.id == application.applicant_id)
            .values(name="Name Deleted")
        )
        other.commit()
    client.get(urls(round_)[0])
    assert application.applicant.name not in kept_names()
    assert "Name Deleted" in kept_names()


def test_signing_in_and_out_does_not_retire_kept_pages(app, client, round_):
    sign_in(client, "chair@example.org")
    before = count(app)
    client.post("/logout", data={"csrf_token": token(client, urls(round_)[0])})
    sign_in(client, "chair@example.org")
    assert count(app) == before


def test_a_savepoint_counts_once_at_the_outer_commit(app, session, round_):
    before = count(app)
    with session.begin_nested():
        session.get(Applicant, round_.applications[0].applicant_id).name = "Inside A Savepoint"
    assert count(app) == before  # released, not committed: no count yet, no lock held
    failed = session.begin_nested()
    session.get(Applicant, round_.applications[1].applicant_id).name = "Rolled Back"
    session.flush()
    failed.rollback()
    session.commit()
    assert count(app) == before + 1


def test_a_restore_draws_a_new_database_mark(tmp_path):
    def mark(url: str) -> int:
        app = create_app({"TESTING": True, "DATABASE_URL": url, "SECRET_KEY": "x"})
        with app.extensions["jdtool_sessions"]() as reader:
            value = reader.scalar(select(ChangeCounter.value).where(ChangeCounter.name == DATABASE))
        app.extensions["jdtool_engine"].dispose()
        return value

    source = f"sqlite:///{tmp_path / 'source.sqlite3'}"
    target = f"sqlite:///{tmp_path / 'target.sqlite3'}"
    dump = tmp_path / "backup.zip"
    assert CliRunner().invoke(main, ["--db", source, "dump", "-o", str(dump)]).exit_code == 0
    assert CliRunner().invoke(main, ["--db", target, "restore", str(dump)]).exit_code == 0
    assert mark(target) != mark(source)
