"""Accounts, roles and the audit log."""

from __future__ import annotations

import click

from ..models.audit import AUDIT_ACTIONS as AUDIT_ACTION_NAMES
from .core import Context, main


@main.command("create-admin")
@click.argument("email")
@click.option("--name", help="Display name.")
@click.password_option(help="At least 10 characters.")
@click.pass_obj
def create_admin_command(context: Context, email: str, name: str | None, password: str) -> None:
    """Create an administrator account."""
    from ..services.users import create_user

    with context.session() as session:
        user = create_user(session, email, password, name=name, role="admin")
        message = f"Created administrator {user.email}."
    click.echo(message)


@main.group("user")
def user_group() -> None:
    """Accounts and their roles (admin, hr, head, panel)."""


@user_group.command("add")
@click.argument("email")
@click.option("--role", type=click.Choice(["admin", "hr", "head", "panel"]), required=True)
@click.option("--name", help="Full name (default: the part of the email before @).")
@click.password_option(help="At least 10 characters.")
@click.pass_obj
def user_add_command(
    context: Context, email: str, role: str, name: str | None, password: str
) -> None:
    """Create an account with a role."""
    from ..services.users import add_user

    with context.session() as session:
        user = add_user(session, email, password, name=name, role=role)
        line = f"{user.id}\t{user.email}\t{user.role}"
    click.echo(line)


@user_group.command("list")
@click.pass_obj
def user_list_command(context: Context) -> None:
    """Every account: `email<TAB>name<TAB>role`."""
    from ..services.users import list_users

    with context.session() as session:
        for user in list_users(session):
            click.echo(f"{user.email}\t{user.name}\t{user.role}")


@user_group.command("role")
@click.argument("email")
@click.argument("role", type=click.Choice(["admin", "hr", "head", "panel"]))
@click.pass_obj
def user_role_command(context: Context, email: str, role: str) -> None:
    """Give an account another role."""
    from ..services.users import change_role

    with context.session() as session:
        user = change_role(session, email, role)
        line = f"{user.email}\t{user.role}"
    click.echo(line)


@user_group.command("disable")
@click.argument("email")
@click.pass_obj
def user_disable_command(context: Context, email: str) -> None:
    """Disable an account: it cannot sign in and its sessions end."""
    _set_disabled(context, email, True)


@user_group.command("enable")
@click.argument("email")
@click.pass_obj
def user_enable_command(context: Context, email: str) -> None:
    """Let a disabled account sign in again."""
    _set_disabled(context, email, False)


def _set_disabled(context: Context, email: str, disabled: bool) -> None:
    from ..services.users import set_disabled

    with context.session() as session:
        user = set_disabled(session, email, disabled)
        line = f"{user.email}\t{'disabled' if disabled else 'enabled'}"
    click.echo(line)


@user_group.command("reset-password")
@click.argument("email")
@click.pass_obj
def user_reset_password_command(context: Context, email: str) -> None:
    """Give an account a one-time password (printed once, kept nowhere); its sessions end and
    its next sign-in must choose a new password."""
    from ..services.users import reset_password

    with context.session() as session:
        user, password = reset_password(session, email)
        line = f"{user.email}\t{password}"
    click.echo(line)


@main.command("audit")
@click.option("--action", type=click.Choice(sorted(AUDIT_ACTION_NAMES)), help="Only this action.")
@click.option("--actor", help="Only events by someone whose email or label contains this.")
@click.option("--limit", type=click.IntRange(1, 10_000), default=50, show_default=True)
@click.pass_obj
def audit_command(context: Context, action: str | None, actor: str | None, limit: int) -> None:
    """The audit log, newest first: `when<TAB>who<TAB>action<TAB>subject<TAB>detail`."""
    from ..services.audit import list_events

    with context.session() as session:
        page = list_events(session, action=action, actor=actor, page_size=limit)
        for event in page.events:
            click.echo(
                "\t".join(
                    [
                        event.at.isoformat(timespec="seconds"),
                        event.actor,
                        event.action,
                        event.subject,
                        " ".join(event.detail.split()),
                    ]
                )
            )
