"""A form sent twice (a double click, two tabs, two administrators at once) records one change
and never shows an error page."""

from __future__ import annotations

import contextlib
import threading

import pytest
from sqlalchemy import func, select

from jdtool.errors import DomainError, Forbidden
from jdtool.models import (
    Application,
    AuditEvent,
    ConsensusScore,
    Decision,
    User,
    Vacancy,
)
from jdtool.services import users as users_service
from jdtool.services.decisions import record_decision
from jdtool.services.moderation import record_consensus
from jdtool.services.scoping import scope_for
from jdtool.services.scoring import stage_criteria

from .recruitment_data import PASSWORD
from .test_recruitment_web import sign_in, token


@pytest.fixture
def database_template(round_template):
    return round_template


def events(session, action: str) -> int:
    session.expire_all()
    return session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action == action))


def other_session(app):
    return app.extensions["jdtool_sessions"]()


class _WaitingHasher:
    """Password hashing that waits for the other request: both have passed their checks."""

    def __init__(self, real, barrier: threading.Barrier) -> None:
        self._real, self._barrier = real, barrier

    def hash(self, password: str) -> str:
        with contextlib.suppress(threading.BrokenBarrierError):
            self._barrier.wait(timeout=5)
        return self._real.hash(password)

    def __getattr__(self, name):
        return getattr(self._real, name)


def test_adding_the_same_user_twice_at_once_gives_one_line_not_an_error_page(
    app, session, create_user, monkeypatch
):
    create_user("admin@example.org", PASSWORD, role="admin")
    clients = [app.test_client(), app.test_client()]
    forms = []
    for client in clients:
        sign_in(client, "admin@example.org")
        forms.append(
            {
                "email": "new@example.org",
                "role": "hr",
                "password": "a long first password",
                "csrf_token": token(client, "/admin/users"),
            }
        )
    monkeypatch.setattr(
        users_service, "_hasher", _WaitingHasher(users_service._hasher, threading.Barrier(2))
    )
    responses = [None, None]

    def send(n: int) -> None:
        responses[n] = clients[n].post("/admin/users", data=forms[n])

    threads = [threading.Thread(target=send, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(r.status_code for r in responses) == [302, 303]
    loser = next(r for r in responses if r.status_code == 303)
    page = clients[responses.index(loser)].get(loser.location).get_data(as_text=True)
    assert "That was already saved (the form may have been sent twice)" in page
    assert session.scalar(select(func.count(User.id)).where(User.email == "new@example.org")) == 1
    assert events(session, "user-add") == 1


def test_the_same_decision_twice_is_recorded_once(session, round_):
    scope = scope_for(session, round_.chair.user, round_.vacancy.id)
    application = round_.applications[0]
    for _ in range(2):
        record_decision(session, scope, application.id, "shortlisting", "reject", "No SEN", [])
        session.commit()
    assert session.scalar(select(func.count(Decision.id))) == 1
    assert events(session, "decision") == 1
    record_decision(session, scope, application.id, "shortlisting", "reject", "Other", [])
    session.commit()
    assert events(session, "decision") == 2


def test_the_same_agreed_score_twice_is_recorded_once(session, round_):
    scope = scope_for(session, round_.chair.user, round_.vacancy.id)
    criterion = stage_criteria(round_.vacancy.version, "shortlisting")[0]
    for _ in range(2):
        record_consensus(
            session, scope, round_.applications[0].id, "shortlisting",
            criterion.criterion.id, criterion.methods[0], "2", "Agreed at the meeting",
        )  # fmt: skip
        session.commit()
    assert session.scalar(select(func.count(ConsensusScore.id))) == 1
    assert events(session, "consensus") == 1


def test_closing_twice_at_once_is_logged_once(app, session, round_):
    from jdtool.services.retention import close_vacancy

    stale = session.get(Vacancy, round_.vacancy.id)  # read before the other request commits
    with other_session(app) as other:
        close_vacancy(other, other.get(Vacancy, round_.vacancy.id))
        other.commit()
    with pytest.raises(DomainError, match="was already closed"):
        close_vacancy(session, stale)
    session.rollback()
    assert events(session, "decision") == 1


def test_finalising_twice_at_once_is_logged_once(app, session, round_, monkeypatch):
    from jdtool.services import decisions

    scope = scope_for(session, round_.chair.user, round_.vacancy.id)
    monkeypatch.setattr(decisions, "rank_stage", lambda *args: [])  # every applicant decided
    monkeypatch.setattr(decisions, "SHORTLIST_MINIMUM_MEMBERS", 0)
    with other_session(app) as other:
        decisions.finalise_shortlist(other, scope_for(other, round_.chair.user, round_.vacancy.id))
        other.commit()
    with pytest.raises(DomainError, match="already final"):
        decisions.finalise_shortlist(session, scope)
    session.rollback()
    assert events(session, "shortlist-final") == 1


def test_approving_twice_at_once_is_logged_once(app, session, round_):
    from jdtool.services.approval import approve_job_description
    from jdtool.services.documents import get_job_description

    from .conftest import seed_path
    from .factories import import_reviewed

    job_description = import_reviewed(session, seed_path("001"))
    session.commit()
    before = events(session, "approve")
    draft = get_job_description(session, job_description.id).current  # read before the other
    assert draft.status == "draft"
    with other_session(app) as other:
        approve_job_description(other, job_description.id)
        other.commit()
    with pytest.raises(Forbidden, match="already approved"):
        approve_job_description(session, job_description.id)
    session.rollback()
    assert events(session, "approve") == before + 1


def test_overlapping_retention_runs_log_once(app, session, round_):
    from jdtool.models.people import utcnow
    from jdtool.services.retention import add_months, run_retention

    vacancy = session.get(Vacancy, round_.vacancy.id)
    vacancy.closed_at = add_months(utcnow(), -7)
    session.commit()
    list(session.scalars(select(Application)))  # this run has read the applications
    with other_session(app) as other:
        assert len(run_retention(other, 6)) == 1
        other.commit()
    assert run_retention(session, 6) == []
    session.commit()
    assert events(session, "retention") == 1


def test_two_administrators_demoting_each_other_at_once_leave_one(
    app, session, create_user, monkeypatch
):
    create_user("one@example.org", PASSWORD, role="admin")
    create_user("two@example.org", PASSWORD, role="admin")
    session.commit()
    barrier = threading.Barrier(2)
    real_record = users_service.record_event

    def record_after_the_other_checked(*args, **kwargs):
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait(timeout=2)
        return real_record(*args, **kwargs)

    monkeypatch.setattr(users_service, "record_event", record_after_the_other_checked)
    outcomes = {}

    def demote(email: str) -> None:
        with other_session(app) as other:
            try:
                users_service.change_role(other, email, "hr")
                other.commit()
                outcomes[email] = "demoted"
            except DomainError as error:
                other.rollback()
                outcomes[email] = str(error)

    emails = ("one@example.org", "two@example.org")
    threads = [threading.Thread(target=demote, args=(email,)) for email in emails]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    session.expire_all()
    assert session.scalar(select(func.count(User.id)).where(User.role == "admin")) == 1
    assert sorted(outcomes.values())[0] == "demoted"
    assert "is the only administrator" in sorted(outcomes.values())[1]


def _send_at_once(clients, url: str, forms: list[dict]) -> list:
    responses = [None] * len(clients)

    def send(n: int) -> None:
        responses[n] = clients[n].post(url, data=forms[n])

    threads = [threading.Thread(target=send, args=(n,)) for n in range(len(clients))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return responses


def _wait_for_each_other(monkeypatch, module, name: str) -> None:
    """`module.name` waits until both requests reach it: both have passed their checks."""
    barrier, real = threading.Barrier(2), getattr(module, name)

    def waiting(*args, **kwargs):
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait(timeout=5)
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, waiting)


def test_adding_the_same_applicant_twice_at_once_adds_and_logs_one(
    app, session, round_, create_user, monkeypatch
):
    from jdtool.services import applicants as applicant_service

    create_user("hr@example.org", PASSWORD)
    url = f"/vacancies/{round_.vacancy.id}/applicants"
    clients = [app.test_client(), app.test_client()]
    forms = []
    for client in clients:
        sign_in(client, "hr@example.org")
        forms.append({"one-name": "Sam Jones", "one-email": "sam@example.org",
                      "one-csrf_token": token(client, url)})  # fmt: skip
    before = events(session, "applicant-add")
    _wait_for_each_other(monkeypatch, applicant_service, "new_reference")
    responses = _send_at_once(clients, url, forms)
    assert all(response.status_code < 500 for response in responses)
    assert 302 in [response.status_code for response in responses]
    applications = session.scalar(
        select(func.count(Application.id)).where(Application.vacancy_id == round_.vacancy.id)
    )
    assert applications == len(round_.applications) + 1
    assert events(session, "applicant-add") == before + 1


def test_monitoring_answers_sent_twice_at_once_are_stored_and_logged_once(
    app, session, round_, create_user, monkeypatch
):
    from jdtool.models import EqualOpportunitiesAnswer
    from jdtool.services import equal_opportunities

    create_user("hr@example.org", PASSWORD)
    url = f"/vacancies/{round_.vacancy.id}/equal-opportunities"
    clients = [app.test_client(), app.test_client()]
    forms = []
    for client in clients:
        sign_in(client, "hr@example.org")
        forms.append({"application_id": round_.applications[0].id, "age_band": "25-34",
                      "csrf_token": token(client, url)})  # fmt: skip
    _wait_for_each_other(monkeypatch, equal_opportunities, "_check_may_read")
    responses = _send_at_once(clients, url, forms)
    # The second either loses the race in the database (303, one line) or finds the same
    # answers already stored (302): never an error page, one row, one event.
    assert {response.status_code for response in responses} <= {302, 303}
    session.expire_all()
    assert session.scalar(select(func.count(EqualOpportunitiesAnswer.id))) == 1
    assert events(session, "equal-opportunities") == 1
