"""Shared fixtures: an app on a fresh SQLite database, its client, the CLI, and data factories."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from click.testing import CliRunner

from jdtool import create_app
from jdtool.cli import main

SEEDS = Path(__file__).resolve().parent.parent / "seed_jds"
SEED_IDS = ("000", "001", "002", "003", "004")


def seed_path(seed_id: str) -> Path:
    """The seed document whose file name starts with `seed_id`."""
    return next(SEEDS.glob(f"{seed_id}_*.txt"))


@pytest.fixture
def database_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'jdtool.sqlite3'}"


@pytest.fixture
def app(database_url, tmp_path):
    return create_app(
        {
            "TESTING": True,
            "DATABASE_URL": database_url,
            "SECRET_KEY": "test-secret",
        }
    )


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
def import_seed(session):
    """Factory: import a seed document, committed; returns the JobDescription."""
    from jdtool.services.documents import import_document

    def factory(seed_id: str):
        path = seed_path(seed_id)
        job_description = import_document(session, path.name, path.read_bytes())
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


@pytest.fixture
def approved_seed(session, import_seed):
    """Factory: import a seed document and approve it, committed; returns the JobDescription."""
    from jdtool.services.documents import approve_job_description

    def factory(seed_id: str):
        job_description = import_seed(seed_id)
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
def round_template(tmp_path_factory):
    """A database file holding one prepared recruitment round (see tests/recruitment_data.py);
    modules that use it copy it as their `database_url` (building it costs seconds)."""
    from .recruitment_data import build_template

    return build_template(tmp_path_factory.mktemp("round"))


@pytest.fixture
def round_(session):
    """The prepared round, loaded in the test's session."""
    from .recruitment_data import load_round

    return load_round(session)
