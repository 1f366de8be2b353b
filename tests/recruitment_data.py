"""Data builders for the recruitment tests: a vacancy on the 1:1 SEN teaching assistant JD (see
`factories.TEACHING_ASSISTANT_SPEC`) with applicants and a panel."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from jdtool.models import Application, PanelMember, Vacancy
from jdtool.services.applicants import add_applicant
from jdtool.services.panels import add_panel_member
from jdtool.services.scoping import scope_for
from jdtool.services.score_sheets import ScoreEntry, submit_score_sheet
from jdtool.services.scoring import stage_criteria
from jdtool.services.vacancies import create_vacancy

from .factories import create_teaching_assistant

PASSWORD = "correct horse battery"
#: The spec's criteria scored on the application form, by 1-based position; 15 is also interviewed.
SHORTLISTING_POSITIONS = [8, 9, 10, 15, 16, 19, 20, 22]
ESSENTIAL_AT_SHORTLISTING = [8, 10, 15, 16, 19, 22]


@dataclass
class Round:
    vacancy: Vacancy
    applications: list[Application]
    chair: PanelMember
    member: PanelMember


def build_round(session: Session, applicants: int = 3, **vacancy_options) -> Round:
    """The teaching assistant JD approved, a vacancy, `applicants` applicants and a two-person
    shortlisting panel."""
    from jdtool.services.users import create_user

    job_description = create_teaching_assistant(session)
    vacancy = create_vacancy(session, job_description.id, "1:1 SEN TA", **vacancy_options)
    applications = [
        add_applicant(session, vacancy, f"Applicant {n}", f"applicant{n}@example.org")
        for n in range(1, applicants + 1)
    ]
    create_user(session, "chair@example.org", PASSWORD, name="Chair Person", role="panel")
    create_user(session, "member@example.org", PASSWORD, name="Panel Member", role="panel")
    chair = add_panel_member(session, vacancy, "chair@example.org", "shortlisting", chair=True)
    member = add_panel_member(session, vacancy, "member@example.org", "shortlisting")
    session.commit()
    return Round(vacancy, applications, chair.member, member.member)


def score_all(
    session: Session,
    member: PanelMember,
    application: Application,
    value: str = "2",
    overrides: dict[int, str] | None = None,
    stage: str = "shortlisting",
):
    """Submit a whole sheet: `value` everywhere, except positions given in `overrides`."""
    overrides = overrides or {}
    scope = scope_for(session, member.user, member.vacancy_id)
    entries = {
        (c.criterion.id, method): ScoreEntry(overrides.get(c.position, value), "seen")
        for c in stage_criteria(scope.vacancy.version, stage)
        for method in c.methods
    }
    sheet = submit_score_sheet(session, scope, application.id, stage, entries)
    session.commit()
    return sheet


def build_template(url: str) -> None:
    """Fill the empty database at `url` with one `build_round`, for tests to copy."""
    from jdtool.app import create_app

    app = create_app({"TESTING": True, "DATABASE_URL": url, "SECRET_KEY": "x"})
    with app.extensions["jdtool_sessions"]() as session:
        build_round(session)
    app.extensions["jdtool_engine"].dispose()


def load_round(session: Session) -> Round:
    """The round stored by `build_template`."""
    from sqlalchemy import select

    vacancy = session.scalars(select(Vacancy).order_by(Vacancy.id)).first()
    chair = next(m for m in vacancy.panel if m.is_chair)
    member = next(m for m in vacancy.panel if not m.is_chair)
    return Round(vacancy, list(vacancy.applications), chair, member)
