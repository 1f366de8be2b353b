"""The `jdtool` command group: its context (configuration, one unit of work) and error handling.

Commands raise `UserError` (jdtool.errors) for anything the user can fix; the group prints the
message as one line, `jdtool: …`, and exits with status 1. A command never commits or rolls back
by hand: `Context.session()` commits when the block ends cleanly and rolls back otherwise.
"""

from __future__ import annotations

import sys
from contextlib import contextmanager

import click

from ..errors import UserError


class Context:
    def __init__(self, database_url: str | None) -> None:
        self.database_url = database_url
        self._app = None

    @property
    def app(self):
        if self._app is None:
            from ..app import create_app

            overrides = {"DATABASE_URL": self.database_url} if self.database_url else None
            self._app = create_app(overrides)
        return self._app

    @contextmanager
    def session(self):
        """One transaction: committed when the block ends cleanly, rolled back otherwise."""
        from ..services.audit import command_line_actor, set_actor

        session = self.app.extensions["jdtool_sessions"]()
        set_actor(session, command_line_actor())
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()


def fail(message: str) -> None:
    click.echo(f"jdtool: {message}", err=True)
    sys.exit(1)


class JdtoolGroup(click.Group):
    """Runs a command; a user error anywhere inside it becomes one line on stderr and exit 1."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except UserError as error:
            fail(str(error))


@click.group(cls=JdtoolGroup)
@click.option(
    "--db",
    "database_url",
    envvar="JDTOOL_DATABASE_URL",
    help="Database URL (default: a SQLite file in the instance folder).",
)
@click.pass_context
def main(click_context: click.Context, database_url: str | None) -> None:
    """Job descriptions and person specifications for schools."""
    click_context.obj = Context(database_url)
