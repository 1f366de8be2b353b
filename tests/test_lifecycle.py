"""A vacancy from advert to appointment, in order: open → shortlisting → interviewing → decided →
closed, from the command line (panels on paper) and the web."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from jdtool.errors import Forbidden
from jdtool.models import Decision, ScoreSheet, Vacancy
from jdtool.models.people import utcnow
from jdtool.scoring import STAGE_OF_METHOD
from jdtool.services.applicants import add_applicant
from jdtool.services.decisions import record_decision
from jdtool.services.lifecycle import close_vacancy, vacancy_progress
from jdtool.services.retention import add_months
from jdtool.services.scoping import command_line_scope, scope_for
from jdtool.services.scoring import stage_criteria

from .recruitment_data import score_all
from .test_recruitment_cli import write
from .test_recruitment_web import sign_in, text, token

HEADER = "applicant,panel_member,criterion,method,score,note\n"


@pytest.fixture
def database_template(round_template):
    """Each test starts from a copy of one prepared round (seed 000, three applicants)."""
    return round_template


def stage_rows(cli, job_description_id, applicant, member, stage, value=2):
    """Score CSV rows for every box of `stage`, read from the person spec as `show --json`."""
    document = json.loads(cli("show", str(job_description_id), "--json").output)
    criteria = [
        c for category in document["person_spec"]["categories"] for c in category["criteria"]
    ]
    return "".join(
        f"{applicant},{member},{position},{method},{value},seen\n"
        for position, criterion in enumerate(criteria, start=1)
        for method in criterion["methods"]
        if STAGE_OF_METHOD.get(method) == stage
    )


def words(response) -> str:
    """The page's text without markup, spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", text(response)).split())


def line(result) -> str:
    """A refusal is one line on stderr, exit status 1."""
    assert result.exit_code == 1, result.output
    assert result.output.startswith("jdtool: ")
    assert result.output.count("\n") == 1, result.output
    return result.output.removeprefix("jdtool: ").strip()


def vacancy_list(cli) -> dict[str, list[str]]:
    rows = [row.split("\t") for row in cli("vacancy", "list").output.splitlines()]
    return {row[0]: row[1:] for row in rows}


def test_a_panel_on_paper_runs_a_whole_round_from_the_command_line(cli, seed_document, tmp_path):
    jd = seed_document("000", approve=True).id
    closing = (date.today() + timedelta(days=14)).isoformat()
    created = cli("vacancy", "create", "--jd", str(jd), "--title", "1:1 TA", "--closing-date",
                  closing)  # fmt: skip
    assert created.exit_code == 0, created.output
    vacancy = created.output.strip()
    assert vacancy_list(cli)[vacancy] == ["1:1 TA", "open", closing, "0 applicants"]

    applicants = write(tmp_path, "a.csv", "name,email,reference\nAna,ana@example.org,A-ANAAAA\n"
                       "Bo,bo@example.org,A-BBBBBB\nCy,cy@example.org,A-CYCYCY\n")  # fmt: skip
    assert cli("applicants", "import", vacancy, applicants).exit_code == 0
    for email, stage, chair in (
        ("chair@example.org", "shortlisting", True),
        ("member@example.org", "shortlisting", False),
        ("chair@example.org", "interview", True),
        ("member@example.org", "interview", False),
    ):
        added = cli("panel", "add", vacancy, email, "--stage", stage, *(["--chair"] * chair))
        assert added.exit_code == 0, added.output

    rows = HEADER
    for member in ("chair@example.org", "member@example.org"):
        for applicant in ("A-ANAAAA", "A-BBBBBB", "A-CYCYCY"):
            rows += stage_rows(cli, jd, applicant, member, "shortlisting")
    shortlisting = write(tmp_path, "s.csv", rows)
    assert cli("scores", "import", vacancy, shortlisting, "--stage", "shortlisting").exit_code == 0
    assert vacancy_list(cli)[vacancy][1] == "shortlisting"

    assert line(cli("vacancy", "close", vacancy)).startswith("The shortlist is not final yet")
    assert "Record a decision and reason for: " in line(
        cli("vacancy", "finalise", vacancy, "--stage", "shortlisting")
    )
    interview_rows = write(
        tmp_path,
        "i.csv",
        HEADER + stage_rows(cli, jd, "A-ANAAAA", "chair@example.org", "interview"),
    )
    assert "The shortlist is not final yet" in line(
        cli("scores", "import", vacancy, interview_rows, "--stage", "interview")
    )

    decided = cli("vacancy", "decide", vacancy, "ana@example.org", "--stage", "shortlisting",
                  "--outcome", "shortlist", "--reason", "Meets every essential", "--criteria",
                  "8,10")  # fmt: skip
    assert decided.exit_code == 0, decided.output
    assert decided.output == "A-ANAAAA\tshortlisting\tshortlist\n"
    for applicant, outcome in (("A-BBBBBB", "reject"), ("a-cycycy", "shortlist")):
        result = cli("vacancy", "decide", vacancy, applicant, "--stage", "shortlisting",
                     "--outcome", outcome, "--reason", "Panel's reasons")  # fmt: skip
        assert result.exit_code == 0, result.output
    assert vacancy_list(cli)[vacancy][3] == "3 applicants; 3 of 3 decided"
    finalised = cli("vacancy", "finalise", vacancy, "--stage", "shortlisting")
    assert finalised.exit_code == 0, finalised.output
    assert finalised.output == f"Vacancy {vacancy}: the shortlist is final (2 shortlisted).\n"
    assert vacancy_list(cli)[vacancy][1:] == [
        "interviewing",
        closing,
        "3 applicants; 2 shortlisted; 0 of 2 decided at interview",
    ]

    rejected = write(
        tmp_path,
        "r.csv",
        HEADER + stage_rows(cli, jd, "A-BBBBBB", "chair@example.org", "interview"),
    )
    assert "A-BBBBBB was not shortlisted, so they are not scored or decided at interview" in (
        cli("scores", "import", vacancy, rejected, "--stage", "interview").output
    )
    rows = HEADER
    for member in ("chair@example.org", "member@example.org"):
        for applicant in ("A-ANAAAA", "A-CYCYCY"):
            rows += stage_rows(cli, jd, applicant, member, "interview", value=3)
    imported = cli("scores", "import", vacancy, write(tmp_path, "i2.csv", rows), "--stage",
                   "interview")  # fmt: skip
    assert imported.exit_code == 0, imported.output
    assert (
        line(
            cli(
                "vacancy",
                "decide",
                vacancy,
                "A-BBBBBB",
                "--stage",
                "interview",
                "--outcome",
                "appoint",
                "--reason",
                "Strong",
            )  # fmt: skip
        )
        == "A-BBBBBB was not shortlisted, so they are not scored or decided at interview."
    )
    appointed = cli("vacancy", "decide", vacancy, "A-ANAAAA", "--stage", "interview", "--outcome",
                    "appoint", "--reason", "Best interview")  # fmt: skip
    assert appointed.exit_code == 0, appointed.output
    assert line(cli("vacancy", "close", vacancy)) == (
        "Record an interview decision (appoint, or no appointment with a reason) for A-CYCYCY "
        "before closing the vacancy."
    )
    assert (
        line(
            cli(
                "vacancy",
                "decide",
                vacancy,
                "A-CYCYCY",
                "--stage",
                "interview",
                "--outcome",
                "no-appointment",
                "--reason",
                "  ",
            )  # fmt: skip
        )
        == "Give the reason for not appointing."
    )
    not_appointed = cli("vacancy", "decide", vacancy, "A-CYCYCY", "--stage", "interview",
                        "--outcome", "no-appointment", "--reason", "Second choice")  # fmt: skip
    assert not_appointed.exit_code == 0, not_appointed.output
    assert vacancy_list(cli)[vacancy][1] == "decided"

    closed = cli("vacancy", "close", vacancy)
    assert closed.exit_code == 0, closed.output
    due = add_months(utcnow(), 6)
    assert f"will be deleted from {due:%d %B %Y}" in closed.output
    assert vacancy_list(cli)[vacancy][1:] == [
        "closed", closing,
        "3 applicants; 2 shortlisted; 2 of 2 decided at interview; 1 appointed",
    ]  # fmt: skip

    late = write(tmp_path, "late.csv", "name,email\nDi,di@example.org\n")
    assert line(cli("applicants", "import", vacancy, late)).endswith("it takes no more applicants.")
    assert line(cli("scores", "import", vacancy, shortlisting, "--stage", "shortlisting")).endswith(
        "it takes no more scores."
    )
    assert line(
        cli(
            "vacancy",
            "decide",
            vacancy,
            "A-CYCYCY",
            "--stage",
            "interview",
            "--outcome",
            "appoint",
            "--reason",
            "Changed our minds",
        )  # fmt: skip
    ).endswith("it takes no more decisions.")
    assert line(cli("vacancy", "close", vacancy)) == f"Vacancy {vacancy} was already closed."


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["nobody@example.org", "--stage", "shortlisting", "--outcome", "shortlist"],
         "No applicant 'nobody@example.org' applied for vacancy"),
        (["applicant1@example.org", "--stage", "shortlisting", "--outcome", "appoint"],
         "At shortlisting the decision is one of: shortlist, reject."),
        (["applicant1@example.org", "--stage", "shortlisting", "--outcome", "shortlist",
          "--criteria", "8,x"], "'x' is not a criterion number"),
        (["applicant1@example.org", "--stage", "shortlisting", "--outcome", "shortlist",
          "--criteria", "1"], "Criterion 1 is not assessed at shortlisting"),
        (["applicant1@example.org", "--stage", "interview", "--outcome", "appoint"],
         "The shortlist is not final yet: interview scores and decisions start once it is."),
    ],
)  # fmt: skip
def test_decide_refuses_what_the_web_form_refuses(cli, round_, arguments, message):
    result = cli("vacancy", "decide", str(round_.vacancy.id), *arguments, "--reason", "Because")
    assert message in line(result)


def test_finalise_needs_decisions_and_only_finalises_the_shortlist(cli, round_):
    vacancy = str(round_.vacancy.id)
    assert "must submit their scores" in line(cli("vacancy", "finalise", vacancy, "--stage",
                                                  "shortlisting"))  # fmt: skip
    wrong = cli("vacancy", "finalise", vacancy, "--stage", "interview")
    assert wrong.exit_code == 2  # click: not one of the choices


# -- the service rules -------------------------------------------------------------------------


def shortlist(session, round_, outcomes):
    scope = command_line_scope(session, round_.vacancy.id)
    for application, outcome in zip(round_.applications, outcomes, strict=True):
        record_decision(session, scope, application.id, "shortlisting", outcome, "Reasons", [])
    round_.vacancy.shortlist_finalised_at = utcnow()
    session.commit()


def test_status_follows_the_records(session, round_):
    vacancy = round_.vacancy
    vacancy.closing_date = date.today() + timedelta(days=1)
    assert vacancy_progress(session, vacancy).status == "open"
    vacancy.closing_date = date.today() - timedelta(days=1)
    assert vacancy_progress(session, vacancy).status == "shortlisting"
    vacancy.closing_date = None
    score_all(session, round_.chair, round_.applications[0])
    assert vacancy_progress(session, vacancy).status == "shortlisting"
    for application in round_.applications:
        score_all(session, round_.member, application)
    shortlist(session, round_, ["shortlist", "reject", "reject"])
    progress = vacancy_progress(session, vacancy)
    assert (progress.status, progress.shortlisted, progress.interviewed) == ("interviewing", 1, 1)
    scope = command_line_scope(session, vacancy.id)
    record_decision(session, scope, round_.applications[0].id, "interview", "not appointed",
                    "Did not meet the standard at interview", [])  # fmt: skip
    progress = vacancy_progress(session, vacancy)
    assert (progress.status, progress.closing_blockers) == ("decided", ())
    assert progress.summary.endswith("no appointment")
    close_vacancy(session, scope)
    assert vacancy_progress(session, vacancy).status == "closed"


def test_a_shortlisting_reject_is_neither_scored_nor_appointed_at_interview(session, round_):
    from jdtool.services.panels import add_panel_member

    seat = add_panel_member(session, round_.vacancy, "chair@example.org", "interview", chair=True)
    for application in round_.applications:
        score_all(session, round_.chair, application)
        score_all(session, round_.member, application)
    shortlist(session, round_, ["shortlist", "reject", "reject"])
    rejected = round_.applications[1]
    with pytest.raises(Forbidden, match="was not shortlisted"):
        score_all(session, seat.member, rejected, stage="interview")
    session.rollback()
    scope = scope_for(session, round_.chair.user, round_.vacancy.id)
    with pytest.raises(Forbidden, match="was not shortlisted"):
        record_decision(session, scope, rejected.id, "interview", "appoint", "Good", [])
    session.rollback()
    assert session.scalar(select(func.count(Decision.id)).where(Decision.stage == "interview")) == 0
    interview = stage_criteria(round_.vacancy.version, "interview")
    assert interview  # seed 000 interviews, so the refusal is about the shortlist


def test_a_closed_vacancy_takes_nothing_more(session, round_):
    round_.vacancy.closed_at = utcnow()
    session.commit()
    with pytest.raises(Forbidden, match="it takes no more applicants"):
        add_applicant(session, round_.vacancy, "Late Applicant", "late@example.org")
    with pytest.raises(Forbidden, match="it takes no more scores"):
        score_all(session, round_.chair, round_.applications[0])
    session.rollback()
    assert session.scalar(select(func.count(ScoreSheet.id))) == 0


# -- the web -----------------------------------------------------------------------------------


@pytest.fixture
def hr(client, create_user):
    create_user("hr@example.org", "correct horse battery", role="hr")
    sign_in(client, "hr@example.org")
    return client


def test_vacancy_list_shows_status_closing_date_and_progress(hr, session, round_):
    round_.vacancy.closing_date = date(2026, 9, 30)
    session.commit()
    page = words(hr.get("/vacancies"))
    assert "Vacancy Status Closing date Progress" in page
    assert "Open for applications" in page or "Shortlisting" in page
    assert "30 September 2026" in page
    assert "3 applicants" in page


def test_vacancy_is_created_with_a_closing_date(hr, round_):
    data = {
        "csrf_token": token(hr, "/vacancies"),
        "job_description": str(round_.vacancy.version.job_description_id),
        "title": "Second post",
        "scale": "0-3",
        "closing_date": "2026-10-01",
    }
    page = text(hr.post("/vacancies", data=data, follow_redirects=True))
    assert "Closing date</dt><dd>1 October 2026" in page


def test_closing_on_the_web_is_refused_until_decisions_are_made(hr, session, round_):
    url = f"/vacancies/{round_.vacancy.id}/close"
    page = text(hr.get(url))
    assert "The vacancy cannot be closed yet" in page
    assert "The shortlist is not final yet" in page
    assert "Yes, close the vacancy" not in page
    refused = hr.post(url, data={"csrf_token": token(hr, url), "confirm": "yes"},
                      follow_redirects=True)  # fmt: skip
    assert refused.status_code == 200
    assert "The shortlist is not final yet" in text(refused)
    session.expire_all()
    assert session.get(Vacancy, round_.vacancy.id).closed_at is None


def test_closing_on_the_web_asks_for_confirmation_and_shows_the_deletion_date(hr, session, round_):
    for application in round_.applications:
        score_all(session, round_.chair, application)
        score_all(session, round_.member, application)
    shortlist(session, round_, ["reject", "reject", "reject"])
    url = f"/vacancies/{round_.vacancy.id}/close"
    due = add_months(utcnow(), 6)
    page = words(hr.get(url))
    assert f"will be deleted from {due.day} {due:%B %Y} (6 months after closing)" in page
    unconfirmed = hr.post(url, data={"csrf_token": token(hr, url)}, follow_redirects=True)
    assert "Confirm that the vacancy should be closed." in text(unconfirmed)
    session.expire_all()
    assert session.get(Vacancy, round_.vacancy.id).closed_at is None
    closed = hr.post(url, data={"csrf_token": token(hr, url), "confirm": "yes"},
                     follow_redirects=True)  # fmt: skip
    assert "Vacancy closed: the retention period starts today." in text(closed)
    again = hr.post(url, data={"csrf_token": token(hr, url), "confirm": "yes"},
                    follow_redirects=True)  # fmt: skip
    assert again.status_code == 200
    assert "was closed on" in text(again)


def test_a_closed_vacancy_refuses_scores_decisions_and_applicants_on_the_web(
    client, session, round_
):
    from .recruitment_data import PASSWORD

    round_.vacancy.closed_at = utcnow()
    session.commit()
    sign_in(client, "chair@example.org")
    vacancy, application = round_.vacancy.id, round_.applications[0].id
    grid = f"/vacancies/{vacancy}/shortlisting/applications/{application}"
    data = {"csrf_token": token(client, grid)}
    for c in stage_criteria(round_.vacancy.version, "shortlisting"):
        data[f"score-{c.criterion.id}-application"] = "2"
    refused = client.post(grid, data=data, follow_redirects=True)
    assert refused.status_code == 200
    assert "it takes no more scores." in text(refused)
    assert "was closed on" in text(client.get(f"/vacancies/{vacancy}/shortlisting"))
    decision = client.post(f"{grid}/decision", data={"csrf_token": token(client, grid),
                           "outcome": "shortlist", "reason": "Good"},
                           follow_redirects=True)  # fmt: skip
    assert decision.status_code == 400  # shown beside the decision form, nothing recorded
    assert "it takes no more decisions." in text(decision)
    assert session.scalar(select(func.count(ScoreSheet.id))) == 0
    assert PASSWORD


def test_the_interview_stage_says_what_it_waits_for(client, session, round_):
    from jdtool.services.panels import add_panel_member

    add_panel_member(session, round_.vacancy, "chair@example.org", "interview", chair=True)
    session.commit()
    sign_in(client, "chair@example.org")
    vacancy = round_.vacancy.id
    page = text(client.get(f"/vacancies/{vacancy}/interview"))
    assert "Interview scoring opens when the shortlist is final" in page
    grid = client.get(f"/vacancies/{vacancy}/interview/applications/{round_.applications[0].id}",
                      follow_redirects=True)  # fmt: skip
    assert "The shortlist is not final yet" in text(grid)
