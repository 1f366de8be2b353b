"""Run the web app, and load the demo data."""

from __future__ import annotations

import click

from .core import Context, main


@main.command("demo")
@click.pass_obj
def demo_command(context: Context) -> None:
    """Load the seed job descriptions, a demo administrator and a demo vacancy (safe to rerun)."""
    from ..demo import load_demo

    with context.session() as session:
        lines = load_demo(session)
    for line in lines:
        click.echo(line)


@main.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=5000, show_default=True, type=int, help="Port to listen on.")
@click.option(
    "--workers",
    default=1,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Server processes (gunicorn workers) answering requests side by side.",
)
@click.option(
    "--timeout",
    default=60,
    show_default=True,
    type=click.IntRange(1),
    help="Seconds a request may take before its worker is restarted.",
)
@click.pass_obj
def serve_command(context: Context, host: str, port: int, workers: int, timeout: int) -> None:
    """Run the web app with gunicorn.

    The database schema is upgraded and the instance secret key created once, before the
    workers start; each worker then opens its own database connections.
    """
    from ..server import run_server
    from ..services.retention import retention_months

    app = context.app  # upgrades the schema, reads or creates the secret key
    # settings the pages rely on: refuse to start rather than fail on every page
    retention_months(app.config["RETENTION_MONTHS"])
    app.extensions["jdtool_engine"].dispose()  # no connection may be shared across fork
    click.echo(
        f"jdtool is running at http://{host}:{port}/ with {workers} worker"
        f"{'s' if workers != 1 else ''}  (Ctrl+C to stop)"
    )
    run_server(app, host=host, port=port, workers=workers, timeout=timeout)
