"""Migration 0015: the interview-question tables come and go without touching the vacancy."""

from __future__ import annotations

from alembic import command
from sqlalchemy import inspect, text

from jdtool.app import create_app
from jdtool.db import make_engine, upgrade_database

from .test_migrations import alembic_config, jdtool, migrate_to

QUESTION_TABLES = {
    "interview_questions",
    "interview_question_criteria",
    "interview_question_guidance",
}


def test_interview_questions_migrate_down_and_up_again(empty_database_url, tmp_path):
    from .recruitment_data import build_round

    url = empty_database_url
    migrate_to(url, "0014")
    app = create_app({"TESTING": True, "DATABASE_URL": url, "SECRET_KEY": "x"})  # upgrades
    with app.extensions["jdtool_sessions"]() as session:
        vacancy_id = build_round(session).vacancy.id
    app.extensions["jdtool_engine"].dispose()
    questions = tmp_path / "questions.csv"
    questions.write_text("criterion,question,guidance\n12;6,Tell us about teamwork.,Own part\n")
    jdtool(url, "questions", "import", str(vacancy_id), str(questions))
    assert jdtool(url, "questions", "list", str(vacancy_id)) == "1\t6;12\tTell us about teamwork.\n"

    engine = make_engine(url)
    config = alembic_config()
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            # As the app upgrades: later migrations rebuild tables others refer to (batch mode).
            connection.exec_driver_sql("PRAGMA foreign_keys = OFF")
            connection.commit()
        with connection.begin():
            config.attributes["connection"] = connection
            command.downgrade(config, "0014")
    assert not QUESTION_TABLES & set(inspect(engine).get_table_names())
    with engine.connect() as connection:
        assert connection.scalar(text("SELECT count(*) FROM vacancies")) == 1
    engine.dispose()

    engine = make_engine(url)
    upgrade_database(engine)  # as the app does when it starts
    engine.dispose()
    assert jdtool(url, "questions", "list", str(vacancy_id)) == ""
    jdtool(url, "questions", "import", str(vacancy_id), str(questions))
    assert jdtool(url, "questions", "list", str(vacancy_id)).startswith("1\t6;12\t")
