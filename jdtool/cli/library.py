"""The clause library: search, near-duplicate clusters, merges."""

from __future__ import annotations

import json

import click

from .core import Context, main


@main.group("library")
def library_group() -> None:
    """The clause library: search, near-duplicate clusters, merges."""


@library_group.command("search")
@click.argument("words", required=False, default="")
@click.option("--kind", type=click.Choice(["duty", "criterion", "statement"]))
@click.option("--category", help="Only clauses whose category contains this.")
@click.option("--min-usage", type=int, default=0, help="Used by at least this many documents.")
@click.pass_obj
def library_search_command(
    context: Context, words: str, kind: str | None, category: str | None, min_usage: int
) -> None:
    """Canonical clauses: ID, kind, documents using it, category, text."""
    from ..services.library import search_library

    with context.session() as session:
        for entry in search_library(
            session, words, kind=kind, category=category, min_usage=min_usage
        ):
            clause = entry.clause
            click.echo(
                f"{clause.id}\t{clause.kind}\t{entry.usage}\t{clause.category or ''}\t{clause.text}"
            )


@library_group.command("clusters")
@click.option("--kind", type=click.Choice(["duty", "criterion", "statement"]))
@click.option("--json", "as_json", is_flag=True, help="Print the clusters as JSON.")
@click.pass_obj
def library_clusters_command(context: Context, kind: str | None, as_json: bool) -> None:
    """Groups of near-duplicate clauses across the library (first: suggested canonical)."""
    from ..services.library import find_clusters

    with context.session() as session:
        clusters = [
            {
                "kind": cluster.kind,
                "clauses": [
                    {
                        "id": member.clause.id,
                        "text": member.clause.text,
                        "usage": member.usage,
                        "score": round(member.score),
                    }
                    for member in cluster.members
                ],
            }
            for cluster in find_clusters(session, kind)
        ]
    if as_json:
        click.echo(json.dumps(clusters, indent=2, ensure_ascii=False))
        return
    for number, cluster in enumerate(clusters, start=1):
        click.echo(f"Cluster {number} ({cluster['kind']})")
        for clause in cluster["clauses"]:
            documents = "document" if clause["usage"] == 1 else "documents"
            click.echo(
                f"  {clause['id']}\t{clause['score']}\t{clause['usage']} {documents}\t"
                f"{clause['text']}"
            )


@library_group.command("merge")
@click.argument("canonical_id", type=int)
@click.argument("clause_ids", type=int, nargs=-1, required=True)
@click.option("--text", "canonical_text", help="New canonical wording (default: keep it).")
@click.pass_obj
def library_merge_command(
    context: Context, canonical_id: int, clause_ids: tuple[int, ...], canonical_text: str | None
) -> None:
    """Merge near-duplicate clauses into CANONICAL_ID; documents keep their own text."""
    from ..services.library import merge_clauses

    with context.session() as session:
        merge = merge_clauses(session, clause_ids, canonical_id, canonical_text=canonical_text)
        message = (
            f"Merge {merge.id}: {len(merge.members)} clause(s) are now variants of clause "
            f"{canonical_id} (lowest score {merge.score:.0f})."
        )
    click.echo(message)


@library_group.command("undo")
@click.argument("merge_id", type=int)
@click.pass_obj
def library_undo_command(context: Context, merge_id: int) -> None:
    """Undo a clause merge."""
    from ..services.library import undo_merge

    with context.session() as session:
        merge = undo_merge(session, merge_id)
        message = f"Undid merge {merge.id}: {len(merge.members)} clause(s) stand alone again."
    click.echo(message)
