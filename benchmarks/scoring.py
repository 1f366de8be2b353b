"""Ranking and moderation-page time for a large shortlisting round, as ratios to the floor of
reading the same score rows from the database.

    .venv/bin/python benchmarks/scoring.py [--applicants 500] [--criteria 40] [--members 3]

Every figure is the best of --repeats runs, each on a fresh session with the per-worker cache of
approved content emptied first (nothing cached), measured in the same process against the same
SQLite file, so the ratios hold on a busy machine.
"""

from __future__ import annotations

import argparse
import gc
import random
import re
import tempfile
import time
from pathlib import Path

from sqlalchemy import insert, select

from jdtool.app import create_app
from jdtool.models import (
    Criterion,
    CriterionMethod,
    JobDescription,
    JobDescriptionVersion,
    PersonSpecCategory,
    Score,
    ScoreSheet,
)
from jdtool.services.applicants import add_applicant
from jdtool.services.approval import approve_job_description
from jdtool.services.approved_content import forget_approved_content
from jdtool.services.decisions import rank_stage
from jdtool.services.panels import add_panel_member
from jdtool.services.scoping import scope_for
from jdtool.services.stage_scores import forget_stage_scores, load_stage_scores
from jdtool.services.users import create_user
from jdtool.services.vacancies import create_vacancy

PASSWORD = "benchmark password"


def build(app, applicants: int, criteria: int, members: int) -> int:
    """A vacancy with every member's submitted sheet for every applicant; returns its ID."""
    sessions = app.extensions["jdtool_sessions"]
    with sessions() as session:
        job_description = JobDescription(source_filename="benchmark.txt")
        version = JobDescriptionVersion(title="Benchmark TA", has_person_spec=True)
        job_description.versions.append(version)
        category = PersonSpecCategory(position=1, name="Everything")
        version.categories.append(category)
        for position in range(1, criteria + 1):
            criterion = Criterion(
                position=position,
                text=f"Criterion number {position}",
                priority="essential" if position % 3 else "desirable",
            )
            criterion.method_links.append(
                CriterionMethod(method_code="application", method_position=1)
            )
            category.criteria.append(criterion)
        session.add(job_description)
        session.flush()
        approve_job_description(session, job_description.id)
        vacancy = create_vacancy(session, job_description.id, "Benchmark vacancy")
        create_user(session, "hr@example.org", PASSWORD, role="hr")
        panel = []
        for number in range(members):
            email = f"member{number}@example.org"
            create_user(session, email, PASSWORD, role="panel")
            panel.append(add_panel_member(session, vacancy, email, "shortlisting").member)
        applications = [
            add_applicant(session, vacancy, f"Applicant {n}", f"a{n}@example.org")
            for n in range(applicants)
        ]
        criterion_ids = [c.id for c in version.criteria()]
        session.execute(
            insert(ScoreSheet),
            [
                {
                    "vacancy_id": vacancy.id,
                    "application_id": application.id,
                    "panel_member_id": member.id,
                    "stage": "shortlisting",
                    "live": True,
                }
                for application in applications
                for member in panel
            ],
        )
        sheet_ids = session.scalars(select(ScoreSheet.id)).all()
        scorer = random.Random(0)
        session.execute(
            insert(Score),
            [
                {
                    "sheet_id": sheet_id,
                    "criterion_id": criterion_id,
                    "method_code": "application",
                    "value": scorer.choice((0, 1, 2, 2, 3, 3)),
                    "note": "",
                }
                for sheet_id in sheet_ids
                for criterion_id in criterion_ids
            ],
        )
        session.commit()
        return vacancy.id


def best_of(repeats: int, action) -> float:
    timings = []
    for _ in range(repeats):
        forget_approved_content()
        forget_stage_scores()  # the work itself, not this worker's copy of it
        start = time.perf_counter()
        action()
        timings.append(time.perf_counter() - start)
    return min(timings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--applicants", type=int, default=500)
    parser.add_argument("--criteria", type=int, default=40)
    parser.add_argument("--members", type=int, default=3)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'benchmark.sqlite3'}"
        app = create_app({"DATABASE_URL": url, "SECRET_KEY": "benchmark", "TESTING": True})
        start = time.perf_counter()
        vacancy_id = build(app, args.applicants, args.criteria, args.members)
        built = time.perf_counter() - start
        # As `jdtool serve` runs (server.py): what start-up left is out of the collector's
        # sight, so a page pays for the objects it makes, not for walking the app's own.
        gc.collect()
        gc.freeze()
        sessions = app.extensions["jdtool_sessions"]
        score_rows = args.applicants * args.criteria * args.members

        def floor() -> None:
            with sessions() as session:
                rows = session.execute(
                    select(
                        ScoreSheet.application_id,
                        ScoreSheet.panel_member_id,
                        Score.criterion_id,
                        Score.method_code,
                        Score.value,
                    )
                    .join(Score, Score.sheet_id == ScoreSheet.id)
                    .where(
                        ScoreSheet.vacancy_id == vacancy_id,
                        ScoreSheet.stage == "shortlisting",
                        ScoreSheet.live.is_(True),
                    )
                ).all()
                assert len(rows) == score_rows

        def hr_scope(session):
            from jdtool.models import User

            user = session.scalar(select(User).where(User.email == "hr@example.org"))
            return scope_for(session, user, vacancy_id)

        def load() -> None:
            with sessions() as session:
                load_stage_scores(session, hr_scope(session), "shortlisting")

        def ranking() -> None:
            with sessions() as session:
                ranked = rank_stage(session, hr_scope(session), "shortlisting")
                assert len(ranked) == args.applicants

        client = app.test_client()
        login_page = client.get("/login").get_data(as_text=True)
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', login_page).group(1)
        client.post(
            "/login", data={"email": "hr@example.org", "password": PASSWORD, "csrf_token": token}
        )

        def moderation_page() -> None:
            response = client.get(f"/vacancies/{vacancy_id}/shortlisting/moderation")
            assert response.status_code == 200

        floor_time = best_of(args.repeats, floor)
        rows = [
            ("read the score rows (floor)", floor_time),
            ("load every visible score", best_of(args.repeats, load)),
            ("rank (gate, totals, ties)", best_of(args.repeats, ranking)),
            ("render the moderation page", best_of(args.repeats, moderation_page)),
        ]
        print(
            f"{args.applicants} applicants × {args.criteria} criteria × {args.members} members "
            f"= {score_rows:,} scores (built in {built:.1f} s; best of {args.repeats})"
        )
        print(f"{'step':<32}{'seconds':>10}{'× floor':>10}")
        for name, seconds in rows:
            print(f"{name:<32}{seconds:>10.3f}{seconds / floor_time:>10.1f}")
        app.extensions["jdtool_engine"].dispose()


if __name__ == "__main__":
    main()
