"""Demo data: the five seed job descriptions, an administrator and a vacancy with a panel."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

SEED_FOLDER = Path(__file__).resolve().parent.parent / "seed_jds"
DEMO_ADMIN_EMAIL = "admin@example.org"
DEMO_ADMIN_PASSWORD = "jdtool-demo-admin"
DEMO_VACANCY_TITLE = "1:1 SEN Teaching Assistant (demo vacancy)"
DEMO_PANEL_PASSWORD = "jdtool-demo-panel"
DEMO_PANEL = (
    ("chair@example.org", "Priya Shah", True),
    ("senco@example.org", "Tom Ellis (SENCo)", False),
    ("governor@example.org", "Ruth Okafor (governor)", False),
)
DEMO_APPLICANTS = (
    "Amina Begum", "Ben Carter", "Chloe Davies", "Daniel Evans", "Ella Fraser", "Farah Hussain",
    "George Ibbotson", "Hannah Jones", "Isaac Kowalski", "Jade Lewis", "Kieran Murphy",
    "Lucy Nwosu",
)  # fmt: skip


def load_demo(session) -> list[str]:
    """Load what is missing (safe to run again); the lines to show the user."""
    from .models import JobDescription, User
    from .services.documents import import_document
    from .services.users import create_user

    lines = []
    loaded = set(session.scalars(select(JobDescription.source_filename)))
    for path in sorted(SEED_FOLDER.glob("*.txt")):
        if path.name not in loaded:
            job_description = import_document(session, path.name, path.read_bytes())
            lines.append(f"Loaded {job_description.id}\t{job_description.current.title}")
    if session.scalar(select(User).where(User.email == DEMO_ADMIN_EMAIL)) is None:
        create_user(session, DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD, name="Demo admin", role="admin")
    vacancy_lines = _demo_vacancy(session)
    return [
        *lines,
        f"Sign in as {DEMO_ADMIN_EMAIL} with password {DEMO_ADMIN_PASSWORD}",
        *vacancy_lines,
    ]


def _demo_vacancy(session) -> list[str]:
    """A vacancy on seed 000 with applicants, a three-person panel and most of their scores."""
    import random
    from datetime import date

    from .models import JobDescription, User, Vacancy
    from .services.applicants import add_applicant
    from .services.approval import approve_job_description
    from .services.documents import accept_review
    from .services.panels import add_panel_member
    from .services.scoping import scope_for
    from .services.score_sheets import ScoreEntry, submit_score_sheet
    from .services.scoring import stage_criteria
    from .services.users import create_user
    from .services.vacancies import create_vacancy

    sign_ins = [
        f"Panel sign-in: {email} with password {DEMO_PANEL_PASSWORD}" for email, *_ in DEMO_PANEL
    ]
    vacancy = session.scalar(select(Vacancy).where(Vacancy.title == DEMO_VACANCY_TITLE))
    if vacancy is not None:
        return [f"Demo vacancy {vacancy.id} is ready.", *sign_ins]
    seed = session.scalar(
        select(JobDescription).where(
            JobDescription.source_filename.startswith("000_", autoescape=True)
        )
    )
    if seed is None:
        return []
    if not any(version.status == "approved" for version in seed.versions):
        if seed.current.needs_review:
            # The demo vacancy needs seed 000 approved; the other seeds keep their review.
            accept_review(session, seed.id)
        approve_job_description(session, seed.id)
    vacancy = create_vacancy(session, seed.id, DEMO_VACANCY_TITLE, maintained_school=True)
    applications = [
        add_applicant(
            session,
            vacancy,
            name,
            name.lower().replace(" ", ".") + "@example.net",
            disability_confident=index == 4,
        )
        for index, name in enumerate(DEMO_APPLICANTS)
    ]
    members = []
    for index, (email, name, chair) in enumerate(DEMO_PANEL):
        if session.scalar(select(User).where(User.email == email)) is None:
            create_user(session, email, DEMO_PANEL_PASSWORD, name=name, role="panel")
        training = date(2025, 9, 1) if index == 0 else None
        members.append(
            add_panel_member(
                session, vacancy, email, "shortlisting", chair=chair, training_date=training
            ).member
        )
    _demo_questions(session, vacancy)
    scorer = random.Random(0)
    criteria = stage_criteria(vacancy.version, "shortlisting")
    for index, application in enumerate(applications):
        strength = scorer.choice((1, 2, 2, 3))
        for member in members:
            if member is members[-1] and index >= len(applications) - 2:
                continue  # left for the demo user to score in the grid
            entries = {}
            for item in criteria:
                value = max(0, min(3, strength + scorer.choice((-1, 0, 0, 1))))
                if index == 1 and item.position == 8:
                    value = 0  # no GCSE evidence: fails the essential gate
                for method in item.methods:
                    entries[(item.criterion.id, method)] = ScoreEntry(str(value), "")
            scope = scope_for(session, member.user, vacancy.id)
            submit_score_sheet(session, scope, application.id, "shortlisting", entries)
    return [f"Demo vacancy {vacancy.id}: {len(applications)} applicants.", *sign_ins]


def _demo_questions(session, vacancy) -> None:
    """Two interview questions, so the Questions page, the grid and the pack have something."""
    from .services.questions import QuestionDraft, add_question, question_criteria

    interview = [item.criterion.id for item in question_criteria(vacancy)]
    if not interview:
        return
    add_question(
        session,
        vacancy,
        QuestionDraft(
            "Tell us about a time you helped a pupil with special educational needs take part "
            "in a lesson. What did you do, and what happened?",
            interview[:2],
            guidance="A specific example: what they did themselves, and the difference it made.",
            follow_ups="What would you do differently now?\nHow did you work with the teacher?",
        ),
    )
    add_question(
        session,
        vacancy,
        QuestionDraft(
            "What would you do if a child told you something that worried you?",
            interview[-1:],
            guidance="Listens, promises no secrecy, tells the designated safeguarding lead the "
            "same day and writes down the child's own words.",
        ),
    )
