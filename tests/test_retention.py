"""Retention of applicants' personal data, and erasure requests (CLI, services, vacancy page)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from jdtool.models import (
    Applicant,
    Application,
    ApplicationFile,
    AuditEvent,
    ConflictDeclaration,
    Decision,
    EqualOpportunitiesAnswer,
    Score,
    ScoreDraft,
    Vacancy,
)
from jdtool.models.people import utcnow
from jdtool.services.applicants import add_applicant, attach_application_file
from jdtool.services.panels import declare_conflict
from jdtool.services.retention import add_months
from jdtool.services.vacancies import create_vacancy

from .hostile_files import clean_pdf
from .recruitment_data import build_template, load_round, score_all
from .test_recruitment_web import sign_in, text

PDF = clean_pdf("an application form")


def build_decided(url: str) -> None:
    """The prepared round, scored by both members, with files, a conflict, monitoring answers and
    decisions: applicant 1 appointed, applicants 2 and 3 not."""
    from jdtool.app import create_app

    build_template(url)
    app = create_app({"TESTING": True, "DATABASE_URL": url, "SECRET_KEY": "x"})
    with app.extensions["jdtool_sessions"]() as session:
        round_ = load_round(session)
        first, second, third = round_.applications
        for application in round_.applications:
            score_all(session, round_.chair, application, "2")
            attach_application_file(session, application, "form.pdf", PDF)
        score_all(session, round_.member, first, "3")
        score_all(session, round_.member, second, "1")
        declare_conflict(session, round_.member, third, "Applicant 3 is my neighbour")
        session.add(
            EqualOpportunitiesAnswer(application_id=second.id, age_band="25-34", disability="no")
        )
        for application, outcome in ((first, "appoint"), (second, "not appointed")):
            session.add(
                Decision(application_id=application.id, stage="shortlisting", outcome="shortlist",
                         reason="Meets every essential criterion")
            )  # fmt: skip
            session.add(
                Decision(application_id=application.id, stage="interview", outcome=outcome,
                         reason="Interview answers")
            )  # fmt: skip
        session.add(
            Decision(application_id=third.id, stage="shortlisting", outcome="reject",
                     reason="No experience with SEN")
        )  # fmt: skip
        round_.vacancy.shortlist_finalised_at = utcnow()
        session.commit()
    app.extensions["jdtool_engine"].dispose()


@pytest.fixture
def database_template():
    """Each test starts from a copy of the decided round, built once a run."""
    return "decided", build_decided


@pytest.fixture
def decided(session):
    """The decided round (see `decided_template`), loaded in the test's session."""
    return load_round(session)


def close(session, vacancy_id: int, months_ago: int) -> None:
    vacancy = session.get(Vacancy, vacancy_id)
    vacancy.closed_at = add_months(utcnow(), -months_ago) - timedelta(days=1)
    session.commit()


def rank(cli, vacancy_id: int) -> list[dict]:
    result = cli("vacancy", "rank", str(vacancy_id), "--stage", "shortlisting", "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (datetime(2026, 1, 15, 9, 30), 6, datetime(2026, 7, 15, 9, 30)),
        (datetime(2026, 8, 31), 6, datetime(2027, 2, 28)),
        (datetime(2027, 8, 31), 6, datetime(2028, 2, 29)),
        (datetime(2026, 12, 1), 1, datetime(2027, 1, 1)),
        (datetime(2026, 3, 31), -1, datetime(2026, 2, 28)),
    ],
)
def test_add_months_keeps_the_day_or_takes_the_last_of_the_month(start, months, expected):
    assert add_months(start, months) == expected


def test_retention_deletes_unsuccessful_applicants_data_and_keeps_scores(cli, session, decided):
    vacancy_id = decided.vacancy.id
    first, second, third = (a.id for a in decided.applications)
    references = {a.id: a.reference for a in decided.applications}
    score_count = session.scalar(select(func.count(Score.id)))
    ranking_before = rank(cli, vacancy_id)
    close(session, vacancy_id, months_ago=6)

    dry = cli("retention", "run", "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert f"vacancy {vacancy_id}\twould delete\t2 applications" in dry.output
    assert "dry run: nothing changed" in dry.output
    session.expire_all()
    assert session.scalar(select(func.count(Applicant.id))) == 3

    result = cli("retention", "run")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        f"vacancy {vacancy_id}\tdeleted\t2 applications, 2 people, 2 files, "
        "24 evidence notes, 1 conflict reasons, 1 equal-opportunities answers",
        "1 vacancies, 2 applications deleted",
    ]
    session.expire_all()
    assert session.scalar(select(func.count()).select_from(EqualOpportunitiesAnswer)) == 0
    # The appointed applicant keeps everything; the others keep only their reference.
    assert session.scalars(select(Applicant.email)).all() == ["applicant1@example.org"]
    assert session.get(Application, first).applicant.name == "Applicant 1"
    for application_id in (second, third):
        application = session.get(Application, application_id)
        assert application.applicant is None
        assert application.personal_data_deleted_at is not None
        assert application.reference == references[application_id]
    assert session.scalars(select(ApplicationFile.application_id)).all() == [first]
    assert session.scalar(select(ConflictDeclaration.reason)) == ""
    assert session.scalar(select(func.count(Score.id))) == score_count
    assert session.scalar(select(func.count(Decision.id))) == 5
    # The ranking still works and is the same, with the deleted applicants by reference.
    ranking_after = rank(cli, vacancy_id)
    assert [(r["total"], r["rank"], r["eligible"]) for r in ranking_after] == [
        (r["total"], r["rank"], r["eligible"]) for r in ranking_before
    ]
    events = session.scalars(select(AuditEvent).where(AuditEvent.action == "retention")).all()
    assert [e.subject for e in events] == [f"vacancy {vacancy_id}"]
    assert references[second] in events[0].detail
    assert "Applicant" not in events[0].detail
    assert "@" not in events[0].detail

    again = cli("retention", "run")
    assert again.output.splitlines() == ["0 vacancies, 0 applications deleted"]
    session.expire_all()
    assert (
        session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action == "retention"))
        == 1
    )


def test_stage_record_names_deleted_applicants_by_reference(cli, session, decided):
    from jdtool.services.recruitment_records import stage_record
    from jdtool.services.scoping import command_line_scope

    close(session, decided.vacancy.id, months_ago=7)
    assert cli("retention", "run").exit_code == 0
    session.expire_all()
    scope = command_line_scope(session, decided.vacancy.id)
    labels = sorted(c.label for c in stage_record(session, scope, "shortlisting").candidates)
    second, third = decided.applications[1:]
    assert labels == sorted(
        [
            "Applicant 1",
            f"Applicant {second.reference} (data deleted)",
            f"Applicant {third.reference} (data deleted)",
        ]
    )


def test_retention_waits_for_the_period_and_for_closing(cli, session, decided):
    close(session, decided.vacancy.id, months_ago=5)
    assert cli("retention", "run").output.splitlines() == ["0 vacancies, 0 applications deleted"]
    session.get(Vacancy, decided.vacancy.id).closed_at = None
    session.commit()
    assert cli("retention", "run").output.splitlines() == ["0 vacancies, 0 applications deleted"]
    session.expire_all()
    assert session.scalar(select(func.count(Applicant.id))) == 3


def test_retention_months_come_from_the_configuration(cli, session, decided, monkeypatch):
    close(session, decided.vacancy.id, months_ago=3)
    monkeypatch.setenv("JDTOOL_RETENTION_MONTHS", "3")
    assert "1 vacancies, 2 applications deleted" in cli("retention", "run").output
    monkeypatch.setenv("JDTOOL_RETENTION_MONTHS", "soon")
    result = cli("retention", "run")
    assert result.exit_code == 1
    assert result.output == (
        "jdtool: The retention period must be a whole number of months, not 'soon'.\n"
    )


def test_an_applicant_with_a_live_application_elsewhere_keeps_it(cli, session, decided):
    second = decided.applications[1]
    other = create_vacancy(session, decided.vacancy.version.job_description_id, "Lunch cover")
    elsewhere = add_applicant(session, other, "Applicant 2", "applicant2@example.org")
    session.commit()
    close(session, decided.vacancy.id, months_ago=6)
    result = cli("retention", "run")
    assert "2 applications, 1 people" in result.output
    session.expire_all()
    assert session.get(Application, second.id).applicant is None
    assert session.get(Application, elsewhere.id).applicant.email == "applicant2@example.org"


def test_closing_a_vacancy_starts_the_clock(cli, session, decided, client, create_user):
    result = cli("vacancy", "close", str(decided.vacancy.id))
    assert result.exit_code == 0, result.output
    due = add_months(utcnow(), 6)
    assert f"will be deleted from {due:%d %B %Y} (6 months)" in result.output
    again = cli("vacancy", "close", str(decided.vacancy.id))
    assert again.exit_code == 1
    assert again.output == f"jdtool: Vacancy {decided.vacancy.id} was already closed.\n"

    create_user("head@example.org", role="admin")
    sign_in(client, "head@example.org")
    page = text(client.get(f"/vacancies/{decided.vacancy.id}"))
    assert f"personal data is deleted from {due.day} {due:%B %Y} (6 months after closing" in page


def test_an_open_vacancy_says_when_the_clock_starts(session, decided, client, create_user):
    create_user("head@example.org", role="admin")
    sign_in(client, "head@example.org")
    page = text(client.get(f"/vacancies/{decided.vacancy.id}"))
    assert "deleted 6 months after the vacancy is closed" in page


def test_erase_removes_one_person_everywhere(cli, session, decided):
    second = decided.applications[1]
    close(session, decided.vacancy.id, months_ago=1)
    result = cli("erase", "Applicant2@Example.org")
    assert result.exit_code == 0, result.output
    assert result.output == (
        "Erased: 1 applications, 1 people, 1 files, 16 evidence notes, 0 conflict reasons, "
        "1 equal-opportunities answers "
        f"({second.reference}).\n"
    )
    session.expire_all()
    assert session.get(Application, second.id).applicant is None
    assert session.scalars(select(Applicant.email)).all() == [
        "applicant1@example.org",
        "applicant3@example.org",
    ]
    event = session.scalar(select(AuditEvent).where(AuditEvent.action == "erase"))
    assert f"vacancy {decided.vacancy.id} / {second.reference}" in event.detail
    assert "applicant2" not in event.detail.lower()


def test_erase_warns_about_an_appointed_applicant(cli, session, decided):
    first = decided.applications[0]
    close(session, decided.vacancy.id, months_ago=1)
    result = cli("erase", "applicant1@example.org")
    assert result.exit_code == 0, result.output
    assert f"Note: {first.reference} was appointed" in result.output


def test_erase_refuses_while_a_vacancy_is_open(cli, session, decided):
    second = decided.applications[1]
    result = cli("erase", "applicant2@example.org")
    assert result.exit_code == 1
    assert result.output == (
        f"jdtool: Not erased: vacancy {decided.vacancy.id} ({second.reference}) is still open, "
        "and its decisions must stay explainable; close the vacancy first, then erase.\n"
    )
    session.expire_all()
    assert session.get(Application, second.id).applicant is not None


def test_erase_unknown_email_is_one_line(cli, decided):
    result = cli("erase", "nobody@example.org")
    assert result.exit_code == 1
    assert result.output == "jdtool: No applicant has the email address nobody@example.org.\n"


def migrate(url: str, revision: str, *, down: bool = False) -> None:
    from alembic import command
    from alembic.config import Config

    from jdtool.db import MIGRATIONS, make_engine

    engine = make_engine(url)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    try:
        with engine.connect() as connection:
            if engine.dialect.name == "sqlite":
                connection.exec_driver_sql("PRAGMA foreign_keys = OFF")
                connection.commit()
            with connection.begin():
                config.attributes["connection"] = connection
                (command.downgrade if down else command.upgrade)(config, revision)
    finally:
        engine.dispose()


@pytest.mark.parametrize("engine_name", ["sqlite", "postgresql"])
def test_migration_0007_keeps_recruitment_data(engine_name, request, tmp_path):
    """Down to the schema before 0007 and up again with scores and decisions in place."""
    from jdtool.app import create_app
    from jdtool.db import make_engine

    from .recruitment_data import build_round

    url = (
        request.getfixturevalue("postgres_url")
        if engine_name == "postgresql"
        else f"sqlite:///{tmp_path / 'm.sqlite3'}"
    )
    app = create_app({"TESTING": True, "DATABASE_URL": url, "SECRET_KEY": "x"})
    with app.extensions["jdtool_sessions"]() as session:
        round_ = build_round(session)
        score_all(session, round_.member, round_.applications[0])
    app.extensions["jdtool_engine"].dispose()
    counted = "SELECT (SELECT count(*) FROM applications), (SELECT count(*) FROM scores)"

    def counts():
        engine = make_engine(url)
        with engine.connect() as connection:
            result = tuple(connection.exec_driver_sql(counted).one())
        engine.dispose()
        return result

    before = counts()
    migrate(url, "0006", down=True)
    assert counts() == before
    app = create_app({"TESTING": True, "DATABASE_URL": url, "SECRET_KEY": "x"})  # upgrades
    assert counts() == before
    with app.extensions["jdtool_sessions"]() as session:
        application = session.scalars(select(Application).order_by(Application.id)).first()
        application.applicant_id = None  # refused: a deleted person needs its date
        with pytest.raises(IntegrityError):
            session.flush()
    app.extensions["jdtool_engine"].dispose()


def test_retention_on_postgresql(postgres_url):
    """The retention run and an erasure on PostgreSQL, through the command line."""
    from click.testing import CliRunner

    from jdtool.app import create_app
    from jdtool.cli import main

    from .recruitment_data import build_round

    app = create_app({"TESTING": True, "DATABASE_URL": postgres_url, "SECRET_KEY": "x"})
    with app.extensions["jdtool_sessions"]() as session:
        round_ = build_round(session)
        for application in round_.applications:
            score_all(session, round_.chair, application)
            attach_application_file(session, application, "form.pdf", PDF)
        session.add(
            Decision(application_id=round_.applications[0].id, stage="interview",
                     outcome="appoint", reason="Best interview")
        )  # fmt: skip
        close(session, round_.vacancy.id, months_ago=6)
    app.extensions["jdtool_engine"].dispose()

    def run(*args):
        return CliRunner().invoke(main, ["--db", postgres_url, *args])

    result = run("retention", "run")
    assert result.output.splitlines()[-1] == "1 vacancies, 2 applications deleted"
    assert run("retention", "run").output.splitlines() == ["0 vacancies, 0 applications deleted"]
    erased = run("erase", "applicant1@example.org")
    assert erased.exit_code == 0, erased.output
    ranking = json.loads(run("vacancy", "rank", "1", "--stage", "shortlisting", "--json").output)
    assert len(ranking) == 3


def test_applicants_page_after_retention_shows_references_only(
    cli, session, decided, client, create_user
):
    second = decided.applications[1]
    close(session, decided.vacancy.id, months_ago=6)
    assert cli("retention", "run").exit_code == 0
    create_user("head@example.org", role="admin")
    sign_in(client, "head@example.org")
    page = text(client.get(f"/vacancies/{decided.vacancy.id}/applicants"))
    assert f"Applicant {second.reference} (data deleted)" in page
    assert "applicant2@example.org" not in page
    assert "Applicant 2" not in page
    assert "applicant1@example.org" in page
    assert page.count("Deleted with the personal data") == 2
    ranking = text(client.get(f"/vacancies/{decided.vacancy.id}/shortlisting/ranking"))
    assert f"Applicant {second.reference} (data deleted)" in ranking


def test_no_file_can_be_added_once_the_data_is_deleted(cli, session, decided):
    from jdtool.errors import DomainError

    second = decided.applications[1]
    close(session, decided.vacancy.id, months_ago=6)
    assert cli("retention", "run").exit_code == 0
    session.expire_all()
    application = session.get(Application, second.id)
    with pytest.raises(DomainError, match="was deleted; its application cannot take new files"):
        attach_application_file(session, application, "form.pdf", PDF)


def test_no_monitoring_answers_once_the_data_is_deleted(cli, session, decided):
    from jdtool.errors import DomainError
    from jdtool.services.equal_opportunities import record_answers
    from jdtool.services.scoping import command_line_scope

    second = decided.applications[1]
    close(session, decided.vacancy.id, months_ago=6)
    assert cli("retention", "run").exit_code == 0
    session.expire_all()
    scope = command_line_scope(session, decided.vacancy.id)
    with pytest.raises(DomainError, match="was deleted; no monitoring answers"):
        record_answers(session, scope, second.id, {"sex": "female"})


def test_hr_closes_the_vacancy_and_an_admin_runs_retention_on_the_web(
    session, decided, client, create_user
):
    from .test_recruitment_web import token

    vacancy_id = decided.vacancy.id
    create_user("hr@example.org", role="hr")
    sign_in(client, "hr@example.org")
    url = f"/vacancies/{vacancy_id}"
    closed = client.post(f"{url}/close", data={"csrf_token": token(client, url), "confirm": "yes"})
    assert closed.status_code == 302
    page = text(client.get(url))
    assert "Vacancy closed: the retention period starts today." in page
    assert "Close the vacancy" not in page
    assert client.get("/admin/retention").status_code == 403  # HR is not an administrator

    create_user("admin@example.org", role="admin")
    client.post("/logout", data={"csrf_token": token(client, url)})
    sign_in(client, "admin@example.org")
    assert "Nothing is due" in text(client.get("/admin/retention"))
    close(session, vacancy_id, months_ago=6)
    second, third = decided.applications[1:]
    due = text(client.get("/admin/retention"))
    assert f"{second.reference}, {third.reference}" in due
    done = client.post("/admin/retention", data={"csrf_token": token(client, "/admin/retention")})
    assert done.status_code == 302
    after = text(client.get("/admin/retention"))
    assert "Personal data deleted for 2 applications in 1 vacancies." in after
    assert "Nothing is due" in after
    session.expire_all()
    assert session.get(Application, second.id).applicant is None


def test_the_server_refuses_to_start_with_a_bad_retention_setting(cli, monkeypatch):
    monkeypatch.setenv("JDTOOL_RETENTION_MONTHS", "0")
    result = cli("serve", "--port", "1")
    assert result.exit_code == 1
    assert result.output == "jdtool: The retention period must be between 1 and 120 months.\n"


NAME = "Zelda Quimby"


def docx_text(data: bytes) -> str:
    import io

    from docx import Document

    document = Document(io.BytesIO(data))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def name_a_person_in_free_text(session, decided):
    """The second applicant is Zelda Quimby; reasons, rationales and notes name her."""
    from jdtool.models import ConsensusScore, GateOverride, ScoreSheet
    from jdtool.services.scoring import stage_criteria

    first, second, third = decided.applications
    second.applicant.name = NAME
    criterion = stage_criteria(decided.vacancy.version, "shortlisting")[0]
    session.add_all(
        [
            Decision(application_id=second.id, stage="shortlisting", outcome="shortlist",
                     reason=f"{NAME} showed strong SEN experience"),
            Decision(application_id=third.id, stage="shortlisting", outcome="reject",
                     reason="Weaker than zelda  QUIMBY on every essential"),
            GateOverride(application_id=second.id, stage="shortlisting",
                         reason=f"Agreed with {NAME.upper()} by phone"),
            ConsensusScore(application_id=second.id, stage="shortlisting",
                           criterion_id=criterion.criterion.id,
                           method_code=criterion.methods[0], value=2,
                           rationale="Reference from applicant2@example.org's employer",
                           recorded_by_id=decided.chair.user_id),
        ]
    )  # fmt: skip
    sheet = session.scalars(select(ScoreSheet).where(ScoreSheet.application_id == first.id)).first()
    sheet.scores[0].note = f"Better than {NAME}"
    # An unfinished sheet (a draft) for another applicant whose note names the person.
    session.add(
        ScoreDraft(
            vacancy_id=first.vacancy_id, application_id=first.id,
            panel_member_id=decided.chair.id, stage="shortlisting",
            entries=json.dumps({"1-application": {"score": "2", "note": f"Close to {NAME}"}}),
        )
    )  # fmt: skip
    session.commit()


def test_erase_replaces_the_name_in_free_text_everywhere(
    cli, session, decided, client, create_user, database_url, tmp_path
):
    """Reasons that name the person show their reference after erasure: on the ranking page, in
    the records, the CSV, a fresh dump and the database file itself."""
    import zipfile

    vacancy_id = decided.vacancy.id
    second = decided.applications[1]
    name_a_person_in_free_text(session, decided)
    close(session, vacancy_id, months_ago=1)
    session.close()

    result = cli("erase", "applicant2@example.org")
    assert result.exit_code == 0, result.output

    session.expire_all()
    reasons = session.scalars(select(Decision.reason).order_by(Decision.id)).all()
    assert f"{second.reference} showed strong SEN experience" in reasons
    assert f"Weaker than {second.reference} on every essential" in reasons
    session.close()
    if database_url.startswith("sqlite"):
        path = database_url.removeprefix("sqlite:///")
        for suffix in ("", "-wal"):
            try:
                with open(path + suffix, "rb") as stored:
                    data = stored.read()
            except FileNotFoundError:
                continue
            for needle in (NAME, NAME.upper(), "zelda  QUIMBY", "applicant2@example.org"):
                assert needle.encode() not in data, (suffix, needle)

    dump = tmp_path / "after.zip"
    assert cli("dump", "-o", str(dump)).exit_code == 0
    with zipfile.ZipFile(dump) as archive:
        dumped = "\n".join(archive.read(n).decode() for n in archive.namelist()).lower()
    assert "quimby" not in dumped
    assert "applicant2@example.org" not in dumped

    create_user("head@example.org", role="admin")
    sign_in(client, "head@example.org")
    base = f"/vacancies/{vacancy_id}/shortlisting"
    seen = [
        text(client.get(f"{base}/ranking")),
        text(client.get(f"/vacancies/{vacancy_id}/applicants")),
        client.get(f"{base}/scores.csv").get_data(as_text=True),
        docx_text(client.get(f"{base}/record.docx").data),
        docx_text(client.get(f"{base}/applications/{second.id}/record.docx").data),
    ]
    assert f"{second.reference} showed strong SEN experience" in seen[0]
    for page in seen:
        assert "quimby" not in page.lower()
        assert "applicant2@example.org" not in page


def test_retention_replaces_the_name_in_free_text(cli, session, decided):
    name_a_person_in_free_text(session, decided)
    close(session, decided.vacancy.id, months_ago=7)
    session.close()
    assert cli("retention", "run").exit_code == 0
    from jdtool.models import ConsensusScore, GateOverride

    texts = [
        *session.scalars(select(Decision.reason)),
        *session.scalars(select(GateOverride.reason)),
        *session.scalars(select(ConsensusScore.rationale)),
        *session.scalars(select(Score.note)),
    ]
    assert not [t for t in texts if "quimby" in t.lower() or "applicant2@" in t]
    assert any(decided.applications[1].reference in t for t in texts)
