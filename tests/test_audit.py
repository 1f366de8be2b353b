"""The audit log: what is recorded, that it cannot be changed, who may read it, and the
sign-in limits (tests/test_sign_in_limits.py has the floods)."""

from __future__ import annotations

import re
from datetime import date
from html import unescape

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from jdtool.app import create_app
from jdtool.models import AuditEvent
from jdtool.services.audit import record_event
from jdtool.services.recruitment_records import stage_record_docx
from jdtool.services.scoping import scope_for

from .recruitment_data import PASSWORD, build_round, score_all
from .test_web import csrf_token, sign_in


def events(session, action=None) -> list[AuditEvent]:
    session.expire_all()
    query = select(AuditEvent).order_by(AuditEvent.id)
    if action:
        query = query.where(AuditEvent.action == action)
    return list(session.scalars(query))


def page_text(response) -> str:
    words = re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))
    return unescape(re.sub(r"\s+", " ", words))


def test_sign_ins_and_sign_outs_are_logged_with_who_and_from_where(client, session, create_user):
    create_user("hr@example.org", PASSWORD)
    sign_in(client, "hr@example.org", "not the password")
    sign_in(client, "HR@example.org ")
    client.post("/logout", data={"csrf_token": csrf_token(client, "/jds")})

    logged = [(e.action, e.subject, e.actor, e.address) for e in events(session)]
    assert logged == [
        ("login-failed", "hr@example.org", "anonymous", "127.0.0.1"),
        ("login", "hr@example.org", "hr@example.org", "127.0.0.1"),
        ("logout", "hr@example.org", "hr@example.org", "127.0.0.1"),
    ]
    assert all("not the password" not in e.detail for e in events(session))


def test_imports_approvals_exports_and_signatures_are_logged_from_the_cli(cli, session, tmp_path):
    from .conftest import seed_path

    assert cli("import", str(seed_path("003"))).exit_code == 0
    assert cli("approve", "1").exit_code == 0
    assert cli("export", "1", "--kind", "jd", "-o", str(tmp_path / "jd.docx")).exit_code == 0
    signed = cli("export", "1", "--kind", "signed", "--for", "Sam Jones", "-o",
                 str(tmp_path / "s.docx"))  # fmt: skip
    assert signed.exit_code == 0, signed.output
    assert cli("signed", "record", "1", "--on", "2026-01-02", "--by", "Head").exit_code != 0
    today = date.today().isoformat()
    assert cli("signed", "record", "1", "--on", today, "--by", "A Head").exit_code == 0

    logged = events(session)
    assert [e.action for e in logged] == [
        "import", "approve", "approve-warnings", "export", "export", "sign",
    ]  # fmt: skip
    assert {e.actor for e in logged} == {logged[0].actor}
    assert logged[0].actor.startswith("command line")
    assert logged[0].subject == "job description 1"
    assert "003_" in logged[0].detail
    assert logged[1].detail.startswith("content hash ")
    assert logged[2].detail.startswith("warnings acknowledged: ")
    assert "job description .docx" in logged[3].detail
    assert "signed copy 1 produced" in logged[4].detail
    assert logged[5].detail.endswith(" by A Head")


def test_a_refused_action_leaves_no_event(cli, session, tmp_path):
    bad = tmp_path / "not-a-jd.docx"
    bad.write_bytes(b"this is not a word file")
    assert cli("import", str(bad)).exit_code == 1
    assert cli("approve", "1").exit_code == 1
    assert events(session) == []


def test_score_submissions_decisions_and_record_exports_are_logged_by_reference(
    session, client, create_user
):
    round_ = build_round(session, applicants=2)
    first, second = round_.applications
    score_all(session, round_.chair, first)
    score_all(session, round_.member, first, value="3")
    sign_in(client, "chair@example.org")
    url = f"/vacancies/{round_.vacancy.id}/shortlisting/applications/{first.id}/decision"
    ranking = f"/vacancies/{round_.vacancy.id}/shortlisting/ranking"
    response = client.post(
        url,
        data={
            "csrf_token": csrf_token(client, ranking),
            "outcome": "shortlist",
            "reason": f"{first.applicant.name} showed evidence on every essential.",
        },
    )
    assert response.status_code in (302, 303), page_text(response)
    client.get(f"/vacancies/{round_.vacancy.id}/shortlisting/scores.csv")
    hr = create_user("hr@example.org", PASSWORD)
    scope = scope_for(session, hr, round_.vacancy.id)
    stage_record_docx(session, scope, "shortlisting", first.id)  # the per-candidate record
    session.commit()

    submitted = events(session, "score-submit")
    assert [e.subject for e in submitted] == [
        f"vacancy {round_.vacancy.id} shortlisting / {first.reference}"
    ] * 2
    assert "chair@example.org" in submitted[0].detail
    decision = events(session, "decision")
    assert len(decision) == 1
    assert decision[0].actor == "chair@example.org"
    assert decision[0].detail.startswith("shortlist; reason recorded (")
    exported = events(session, "export")
    assert [e.detail for e in exported] == [
        "scores .csv: 16 rows",
        f"stage record .docx: the record of {first.reference}",
    ]
    # Applicants appear by reference only: erasing one later leaves the log clean.
    for event in events(session):
        for applicant in (first.applicant, second.applicant):
            assert applicant.email not in f"{event.subject} {event.detail}"
            assert applicant.name not in f"{event.subject} {event.detail}"


def test_the_database_refuses_to_change_or_delete_audit_rows(app, session):
    record_event(session, "import", "job description 1", "x.docx", actor="command line")
    session.commit()
    engine = app.extensions["jdtool_engine"]
    for statement in ("UPDATE audit_events SET detail = 'edited'", "DELETE FROM audit_events"):
        with pytest.raises(DBAPIError, match="append-only"), engine.begin() as connection:
            connection.execute(text(statement))
    event = events(session)[0]
    event.detail = "edited through the ORM"
    with pytest.raises(RuntimeError, match="append-only"):
        session.flush()
    session.rollback()
    assert [e.detail for e in events(session)] == ["x.docx"]


@pytest.mark.parametrize(
    ("role", "status"), [("admin", 200), ("hr", 403), ("head", 403), ("panel", 403)]
)
def test_only_administrators_read_the_audit_log(client, create_user, role, status):
    create_user("someone@example.org", PASSWORD, role=role)
    sign_in(client, "someone@example.org")
    response = client.get("/admin/audit")
    assert response.status_code == status
    if status == 200:
        shown = page_text(response)
        assert "Audit log" in shown
        assert "login someone@example.org" in shown
    assert ("Audit log</a>" in client.get("/jds").get_data(as_text=True)) == (role == "admin")


def test_anonymous_visitors_are_sent_to_sign_in_from_the_audit_log(client):
    response = client.get("/admin/audit")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_audit_log_filters_by_action_and_person(client, session, create_user):
    create_user("admin@example.org", PASSWORD, role="admin")
    create_user("hr@example.org", PASSWORD)
    sign_in(client, "hr@example.org", "wrong password")
    sign_in(client, "admin@example.org")
    shown = page_text(client.get("/admin/audit?action=login-failed"))
    assert "1 event." in shown
    assert "login-failed hr@example.org" in shown
    shown = page_text(client.get("/admin/audit?actor=ADMIN@"))
    assert "1 event." in shown
    assert page_text(client.get("/admin/audit?action=bogus&since=nonsense")).count(" event") >= 1


def test_cli_prints_the_audit_log_newest_first(cli, tmp_path):
    from .conftest import seed_path

    cli("import", str(seed_path("001")))
    cli("approve", "1")
    result = cli("audit")
    assert result.exit_code == 0
    lines = [line.split("\t") for line in result.output.splitlines()]
    assert [line[2] for line in lines] == ["approve-warnings", "approve", "import"]
    assert cli("audit", "--action", "import").output.count("\n") == 1


# -- sign-in rate limit -----------------------------------------------------------------------


def test_repeated_wrong_passwords_lock_the_account_for_a_while(client, session, create_user):
    create_user("hr@example.org", PASSWORD)
    create_user("other@example.org", PASSWORD)
    for _ in range(5):
        assert sign_in(client, "hr@example.org", "guess").status_code == 400
    refused = sign_in(client, "hr@example.org")  # even the right password
    assert refused.status_code == 429
    assert "Too many failed sign-ins for this account. Wait " in page_text(refused)
    assert client.get("/jds").status_code == 302  # not signed in
    assert events(session, "login-blocked")[0].subject == "hr@example.org"
    # Another account from the same address is still fine (below the address limit).
    assert sign_in(client, "other@example.org").status_code == 302


def test_after_many_failures_from_one_address_a_failing_account_waits_at_once(
    app, client, create_user
):
    """A flood from one address delays each account tried from there after its first failure;
    an account with no failures (a colleague behind the same address) still signs in."""
    app.config["LOGIN_FAILURES_PER_ADDRESS"] = 4
    create_user("hr@example.org", PASSWORD)
    create_user("head@example.org", PASSWORD)
    for n in range(5):
        sign_in(client, f"nobody{n}@example.org", "guess")
    sign_in(client, "hr@example.org", "guess")
    assert sign_in(client, "hr@example.org").status_code == 429
    assert sign_in(client, "head@example.org").status_code == 302


def test_the_limit_is_shared_by_every_web_worker(database_url, create_user):
    """Two app instances on one database (as two gunicorn workers) count the same failures."""
    create_user("hr@example.org", PASSWORD)
    config = {"TESTING": True, "DATABASE_URL": database_url, "SECRET_KEY": "shared"}
    workers = [create_app(config).test_client(), create_app(config).test_client()]
    for attempt in range(5):
        sign_in(workers[attempt % 2], "hr@example.org", "guess")
    assert sign_in(workers[0], "hr@example.org").status_code == 429
    assert sign_in(workers[1], "hr@example.org").status_code == 429


def test_behind_a_trusted_proxy_the_clients_address_is_logged_and_limited(database_url):
    app = create_app(
        {"TESTING": True, "DATABASE_URL": database_url, "SECRET_KEY": "x", "TRUSTED_PROXIES": 1}
    )
    client = app.test_client()
    headers = {"X-Forwarded-For": "203.0.113.7"}
    token = csrf_token(client)
    client.post(
        "/login",
        data={"email": "nobody@example.org", "password": "guess", "csrf_token": token},
        headers=headers,
    )
    with app.extensions["jdtool_sessions"]() as session:
        assert [e.address for e in events(session)] == ["203.0.113.7"]


# -- applicants and monitoring answers ---------------------------------------------------------


def test_adding_one_applicant_is_logged_by_reference(session, client, create_user):
    round_ = build_round(session, applicants=1)
    create_user("hr@example.org", PASSWORD)
    sign_in(client, "hr@example.org")
    url = f"/vacancies/{round_.vacancy.id}/applicants"
    before = len(events(session, "applicant-add"))
    client.post(
        url,
        data={"one-name": "Sam Jones", "one-email": "sam.jones@example.org",
              "one-csrf_token": csrf_token(client, url), "csrf_token": csrf_token(client, url)},
    )  # fmt: skip
    added = events(session, "applicant-add")[before:]
    assert len(added) == 1
    assert re.fullmatch(rf"vacancy {round_.vacancy.id} / A-\w{{6}}", added[0].subject)
    assert added[0].actor == "hr@example.org"
    logged = " ".join(f"{e.subject} {e.detail}" for e in events(session))
    assert "Sam" not in logged
    assert "sam.jones" not in logged


def test_an_applicant_list_import_is_one_event_not_one_per_applicant(cli, session, tmp_path):
    round_ = build_round(session, applicants=1)
    before = len(events(session))
    listing = tmp_path / "applicants.csv"
    listing.write_text("name,email\nSam Jones,sam@example.org\nAl Smith,al@example.org\n")
    assert cli("applicants", "import", str(round_.vacancy.id), str(listing)).exit_code == 0
    assert [e.action for e in events(session)[before:]] == ["import"]


def test_monitoring_answers_are_logged_as_recorded_never_what_they_say(
    session, client, create_user
):
    round_ = build_round(session, applicants=1)
    create_user("hr@example.org", PASSWORD)
    sign_in(client, "hr@example.org")
    application = round_.applications[0]
    url = f"/vacancies/{round_.vacancy.id}/equal-opportunities"
    client.post(
        url,
        data={"csrf_token": csrf_token(client, url), "application_id": application.id,
              "age_band": "55-64", "ethnicity": "Mixed or multiple ethnic groups"},
    )  # fmt: skip
    [entry] = events(session, "equal-opportunities")
    assert entry.subject == f"vacancy {round_.vacancy.id} / {application.reference}"
    assert entry.detail == "monitoring answers recorded"
    assert entry.actor == "hr@example.org"
    logged = " ".join(f"{e.subject} {e.detail}" for e in events(session))
    assert "55-64" not in logged
    assert "Mixed" not in logged
