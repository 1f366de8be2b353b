"""Word documents: JD and person spec, adverts, signed copies."""

from __future__ import annotations

from pathlib import Path

import click

from .core import Context, fail, main

EXPORT_SUFFIXES = {"jd": (".docx",), "signed": (".docx",), "advert": (".docx", ".txt", ".html")}


ADVERT_OPTIONS = (
    "closing_date", "interview_date", "start_date", "how_to_apply", "contact",
    "full_time_hours", "weeks_in_year", "leave_days", "paid_weeks",
)  # fmt: skip


@main.command("export")
@click.argument("job_description_id", type=int)
@click.option(
    "--kind",
    type=click.Choice(["jd", "advert", "signed"]),
    required=True,
    help="jd: the JD and person spec; signed: a signed copy (needs --for); advert: the advert.",
)
@click.option("--for", "postholder", help="The postholder a signed copy is for.")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    required=True,
    help="File to write; an advert may be .docx, .txt or .html.",
)
@click.option("--closing-date", type=click.DateTime(["%Y-%m-%d"]), help="Advert: YYYY-MM-DD.")
@click.option("--interview-date", type=click.DateTime(["%Y-%m-%d"]), help="Advert: YYYY-MM-DD.")
@click.option("--start-date", help="Advert: as you want it written, e.g. 'September 2026'.")
@click.option("--how-to-apply", help="Advert: how to apply.")
@click.option("--contact", help="Advert: who to contact with questions.")
@click.option("--full-time-hours", type=float, help="Advert pay: full-time hours (37).")
@click.option(
    "--weeks-in-year", type=click.Choice(["52", "52.143"]), help="Advert pay: divisor (52.143)."
)
@click.option("--leave-days", type=float, help="Advert pay: annual leave + bank holidays (35).")
@click.option("--paid-weeks", help="Advert pay: the employer's paid weeks, e.g. 45.05 or 447/522.")
@click.pass_obj
def export_command(
    context: Context,
    job_description_id: int,
    kind: str,
    postholder: str | None,
    output: Path,
    **advert_options,
) -> None:
    """Write a Word document (or advert text/HTML) of the newest approved version.

    Advert options are saved with the job description's advert details.
    """
    from ..services import adverts, exports

    suffix = output.suffix.lower()
    if suffix not in EXPORT_SUFFIXES[kind]:
        allowed = " or ".join(EXPORT_SUFFIXES[kind])
        fail(f"A {kind} export can be written as {allowed}, not “{suffix or 'no suffix'}”.")
    if kind == "signed" and not (postholder and postholder.strip()):
        fail("A signed copy needs the postholder's name: --for NAME.")
    if kind != "signed" and postholder:
        fail("--for is only for signed copies (--kind signed).")
    changes = {name: value for name, value in advert_options.items() if value is not None}
    if changes and kind != "advert":
        fail("The advert options are only for adverts (--kind advert).")
    for name in ("closing_date", "interview_date"):
        if name in changes:
            changes[name] = changes[name].date()
    if "weeks_in_year" in changes:
        changes["weeks_in_year"] = float(changes["weeks_in_year"])
    try:
        with context.session() as session:
            if kind == "jd":
                content = exports.export_job_description(session, job_description_id).content
                message = f"Wrote {output}"
            elif kind == "advert":
                if changes:
                    adverts.save_advert_details(session, job_description_id, **changes)
                exported = adverts.export_advert(session, job_description_id, suffix[1:])
                content = exported.content
                composed = adverts.compose_advert(session, job_description_id)
                message = f"Wrote {output}"
                if composed.pay is not None:
                    message += f": actual salary {composed.pay.actual_text()}"
                else:
                    message += f" ({composed.pay_problem})"
            else:
                signed_copy = exports.produce_signed_copy(session, job_description_id, postholder)
                content = signed_copy.content
                message = (
                    f"Wrote {output}: signed copy {signed_copy.id} of version "
                    f"{signed_copy.version_number} for {signed_copy.postholder} "
                    f"(SHA-256 {signed_copy.sha256[:12]})"
                )
            output.write_bytes(content)
    except OSError as error:
        fail(f"{output}: cannot write the file ({error.strerror}).")
    click.echo(message)


@main.group("signed")
def signed_group() -> None:
    """Signed copies: list them, save one again, record one as signed."""


@signed_group.command("list")
@click.argument("job_description_id", type=int)
@click.pass_obj
def signed_list_command(context: Context, job_description_id: int) -> None:
    """One line per signed copy: ID, postholder, version, produced, signed, SHA-256."""
    from ..services.exports import list_signed_copies

    with context.session() as session:
        lines = []
        for listing in list_signed_copies(session, job_description_id):
            copy = listing.signed_copy
            signed = f"signed {copy.signed_on} by {copy.signed_by}" if copy.signed_on else ""
            older = (
                f"older: version {listing.superseded_by} is approved"
                if listing.superseded_by
                else ""
            )
            lines.append(
                f"{copy.id}\t{copy.postholder}\tversion {copy.version_number}\t"
                f"{copy.produced_at:%Y-%m-%d %H:%M}\t{signed}\t{copy.sha256}\t{older}".rstrip()
            )
    for line in lines:
        click.echo(line)


@signed_group.command("save")
@click.argument("signed_copy_id", type=int)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
@click.pass_obj
def signed_save_command(context: Context, signed_copy_id: int, output: Path) -> None:
    """Write a signed copy's stored .docx again (the same bytes as when it was produced)."""
    from ..services.exports import get_signed_copy

    try:
        with context.session() as session:
            content = get_signed_copy(session, signed_copy_id).content
        output.write_bytes(content)
    except OSError as error:
        fail(f"{output}: cannot write the file ({error.strerror}).")
    click.echo(f"Wrote {output}")


@signed_group.command("record")
@click.argument("signed_copy_id", type=int)
@click.option("--on", "signed_on", type=click.DateTime(["%Y-%m-%d"]), required=True)
@click.option("--by", "signed_by", required=True, help="Everyone who signed.")
@click.pass_obj
def signed_record_command(context: Context, signed_copy_id: int, signed_on, signed_by: str) -> None:
    """Record that a signed copy has been signed: the date and by whom."""
    from ..services.exports import record_signed

    with context.session() as session:
        copy = record_signed(session, signed_copy_id, signed_on.date(), signed_by)
        message = (
            f"Recorded signed copy {copy.id} as signed on {copy.signed_on} by {copy.signed_by}."
        )
    click.echo(message)
