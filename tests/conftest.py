"""Shared fixtures: an app on a fresh database (SQLite and PostgreSQL), its client, the CLI, and
data factories.

Every test that uses `database_url` (and so `app`, `client`, `session`, `cli`, ...) runs twice:
`[sqlite]` and `[postgresql]`. `JDTOOL_TEST_DATABASES=sqlite` narrows that for local iteration.
A test's database is a copy of a template built once a run (see `database_template`).
"""

from __future__ import annotations

import itertools
import json
import os
import shutil
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner

from jdtool.app import create_app
from jdtool.cli import main
from jdtool.services.approved_content import forget_approved_content
from jdtool.services.stage_scores import forget_stage_scores

SEEDS = Path(__file__).resolve().parent.parent / "seed_jds"
SEED_IDS = ("000", "001", "002", "003", "004")


def seed_path(seed_id: str) -> Path:
    """The seed document whose file name starts with `seed_id`."""
    return next(SEEDS.glob(f"{seed_id}_*.txt"))


DATABASES = tuple(
    kind.strip()
    for kind in os.environ.get("JDTOOL_TEST_DATABASES", "sqlite,postgresql").split(",")
    if kind.strip()
)


def migrate(url: str) -> None:
    """Bring the database at `url` to the newest schema."""
    from jdtool.db import make_engine, upgrade_database

    engine = make_engine(url)
    try:
        upgrade_database(engine)
    finally:
        engine.dispose()


class DatabaseTemplates:
    """Prepared databases, built once a run and copied for each test: a SQLite file, or a
    PostgreSQL database used as `CREATE DATABASE ... TEMPLATE`."""

    def __init__(self, request: pytest.FixtureRequest, folder: Path) -> None:
        self._request = request
        self._folder = folder
        self._built: dict[tuple[str, str], str] = {}

    def _postgres_server(self) -> str:
        return self._request.getfixturevalue("postgres_server")

    def template(self, kind: str, name: str, build: Callable[[str], None]) -> str:
        """The template `name` for `kind` ("sqlite" or "postgresql"), built by `build(url)`."""
        if (kind, name) not in self._built:
            if kind == "sqlite":
                path = self._folder / f"{name}.sqlite3"
                build(f"sqlite:///{path}")
                self._built[kind, name] = str(path)
            elif kind == "postgresql":
                from .postgres import create_database

                database = f"template_{name}"
                build(create_database(self._postgres_server(), database))
                self._built[kind, name] = database
            else:
                raise ValueError(f"unknown test database {kind!r}: use sqlite or postgresql")
        return self._built[kind, name]

    @contextmanager
    def copy(self, kind: str, name: str, build: Callable[[str], None], folder: Path):
        """A fresh copy of the template; yields its URL, drops it afterwards."""
        template = self.template(kind, name, build)
        if kind == "sqlite":
            path = folder / "jdtool.sqlite3"
            shutil.copyfile(template, path)
            yield f"sqlite:///{path}"
            return
        from .postgres import create_database, drop_database

        server = self._postgres_server()
        database = f"test_{next(_postgres_databases)}"
        url = create_database(server, database, template=template)
        try:
            yield url
        finally:
            drop_database(server, database)


@pytest.fixture(scope="session")
def database_templates(request, tmp_path_factory) -> DatabaseTemplates:
    return DatabaseTemplates(request, tmp_path_factory.mktemp("templates"))


@pytest.fixture
def database_template() -> tuple[str, Callable[[str], None]]:
    """(name, build) of the database each test starts from: by default an empty, migrated one.
    A module overrides this fixture to start from prepared data (see `round_template`)."""
    return "empty", migrate


@pytest.fixture(params=DATABASES)
def database_kind(request) -> str:
    """The database engine this test runs on: "sqlite" or "postgresql"."""
    return request.param


@pytest.fixture(scope="module", params=DATABASES)
def live_database_url(request, database_templates, tmp_path_factory):
    """An empty, migrated database shared by one module's live server, on each database."""
    folder = tmp_path_factory.mktemp("live")
    with database_templates.copy(request.param, "empty", migrate, folder) as url:
        yield url


@pytest.fixture
def database_url(database_kind, database_template, database_templates, tmp_path):
    name, build = database_template
    with database_templates.copy(database_kind, name, build, tmp_path) as url:
        yield url


@pytest.fixture(autouse=True)
def _fresh_worker_caches():
    """Each test starts as a newly started worker would: no approved content or stage scores
    held (two test databases can give the same IDs, hash and count to different rows)."""
    forget_approved_content()
    forget_stage_scores()
    yield
    forget_approved_content()
    forget_stage_scores()


@pytest.fixture
def app(database_url, tmp_path):
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": database_url,
            "SECRET_KEY": "test-secret",
        }
    )
    yield app
    app.extensions["jdtool_engine"].dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def session(app):
    session = app.extensions["jdtool_sessions"]()
    yield session
    session.rollback()
    session.close()


@pytest.fixture
def cli(database_url):
    """Run `jdtool --db <test database> ARGS...`; returns click's Result."""
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None):
        return runner.invoke(main, ["--db", database_url, *args], input=input)

    return invoke


@pytest.fixture
def create_user(session):
    """Factory: a user with a known password, committed."""
    from jdtool.services.users import create_user as create

    def factory(email="hr@example.org", password="correct horse battery", role="hr", name=None):
        user = create(session, email, password, role=role, name=name)
        session.commit()
        return user

    return factory


@pytest.fixture
def create_job_description(session):
    """Factory: a job description built in code (see `factories.create_job_description`),
    committed; returns the JobDescription."""
    from .factories import create_job_description as create

    def factory(**options):
        job_description = create(session, **options)
        session.commit()
        return job_description

    return factory


@pytest.fixture
def teaching_assistant(session):
    """The approved 1:1 SEN teaching assistant JD (see `factories.TEACHING_ASSISTANT_SPEC`),
    committed."""
    from .factories import create_teaching_assistant

    job_description = create_teaching_assistant(session)
    session.commit()
    return job_description


@pytest.fixture
def seed_document(session):
    """Factory: store a seed's hand-checked content without reading the seed file (see
    `factories.create_seed_document`), committed; returns the JobDescription."""
    from .factories import create_seed_document

    def factory(seed_id: str, *, approve: bool = False, advertised: bool = False):
        job_description = create_seed_document(
            session, seed_id, approve=approve, advertised=advertised
        )
        session.commit()
        return job_description

    return factory


@pytest.fixture
def import_seed(session):
    """Factory: import a seed document, committed; returns the JobDescription. For tests about
    importing; other tests build their documents with `create_job_description` or
    `seed_document`."""
    from .factories import import_reviewed

    def factory(seed_id: str):
        path = seed_path(seed_id)
        job_description = import_reviewed(session, path)
        session.commit()
        return job_description

    return factory


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


def ready_for_approval(session, job_description_id: int, priority: str = "essential"):
    """What HR does before approving an import: accept it when it needs review (seed 000: a
    template prompt was left out), and decide each criterion whose source did not say essential
    or desirable (seed 002), through the editor's edit operation. Both block approval."""
    from jdtool.services.documents import accept_review
    from jdtool.services.drafts import draft_content, edit_draft

    if draft_content(session, job_description_id)["needs_review"]:
        accept_review(session, job_description_id)
    content = draft_content(session, job_description_id)
    criteria = [
        criterion
        for category in (content["person_spec"] or {"categories": []})["categories"]
        for criterion in category["criteria"]
    ]
    if any(criterion["priority"] is None for criterion in criteria):
        for criterion in criteria:
            criterion["priority"] = criterion["priority"] or priority
        edit_draft(session, job_description_id, content, content["edit_stamp"])


@pytest.fixture
def accept_with_cli(cli, tmp_path):
    """`jdtool edit ID` with `"needs_review": false`: accept an import's review from the shell."""

    def accept(job_description_id: int | str) -> None:
        content = json.loads(cli("show", str(job_description_id), "--json").stdout)
        content["needs_review"] = False
        path = tmp_path / f"accept-{job_description_id}.json"
        path.write_text(json.dumps(content), encoding="utf-8")
        result = cli("edit", str(job_description_id), str(path))
        assert result.exit_code == 0, result.stderr

    return accept


@pytest.fixture
def approved_seed(session, import_seed):
    """Factory: import a seed document and approve it, committed; returns the JobDescription."""
    from jdtool.services.approval import approve_job_description

    def factory(seed_id: str):
        job_description = import_seed(seed_id)
        ready_for_approval(session, job_description.id)
        approve_job_description(session, job_description.id)
        session.commit()
        return job_description

    return factory


def make_png(width: int = 120, height: int = 40, rgb: tuple[int, int, int] = (29, 112, 184)):
    """A real PNG image (a filled rectangle), built with zlib alone."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    row = b"\x00" + bytes(rgb) * width
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(row * height))
        + chunk(b"IEND", b"")
    )


@pytest.fixture(scope="session")
def postgres_server():
    """One throwaway PostgreSQL server for the whole run; yields its URL."""
    from .postgres import throwaway_postgres

    with throwaway_postgres() as url:
        yield url


_postgres_databases = itertools.count(1)


@pytest.fixture
def postgres_url(postgres_server) -> str:
    """A new, empty PostgreSQL database for one test; returns its URL."""
    from .postgres import create_database

    return create_database(postgres_server, f"test_{next(_postgres_databases)}")


@pytest.fixture(scope="session")
def round_template() -> tuple[str, Callable[[str], None]]:
    """The template holding one prepared recruitment round (see tests/recruitment_data.py).
    Modules that use it start each test from a copy (building it costs seconds):

        @pytest.fixture
        def database_template(round_template):
            return round_template
    """
    from .recruitment_data import build_template

    return "round", build_template


@pytest.fixture
def round_(session):
    """The prepared round, loaded in the test's session."""
    from .recruitment_data import load_round

    return load_round(session)


@pytest.fixture
def empty_database_url(database_kind, request, tmp_path):
    """A database with no tables at all (not even migrated), on each database."""
    if database_kind == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.sqlite3'}"
        return
    from .postgres import create_database, drop_database

    server = request.getfixturevalue("postgres_server")
    name = f"test_{next(_postgres_databases)}"
    yield create_database(server, name)
    drop_database(server, name)
