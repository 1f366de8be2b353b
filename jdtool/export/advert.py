"""A job advert: the facts a UK school advert must carry, as Word, plain text and HTML.

The advert is composed (by services/adverts.py) into a plain `Advert`; the three renderers here
share it, so the Word file, the text and the HTML always say the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from html import escape

from docx.document import Document
from docx.shared import Cm

from .styles import (
    CATEGORY_FILL,
    add_heading,
    add_logo,
    add_paragraph,
    add_table,
    new_document,
    set_column_widths,
    set_footer,
    set_properties,
    shade,
    write_cell,
)

PERSON_HEADING = "Who we are looking for"


@dataclass(frozen=True)
class Advert:
    title: str
    #: As the advert prints it: the trust and the school, e.g. "Oak Trust · Hill School".
    employer: str | None
    #: (label, value) facts in the order an advert lists them: salary, hours, contract, dates…
    facts: list[tuple[str, str]]
    #: How the actual salary was worked out, one step a line (empty when it could not be): for
    #: HR's advert page, never printed for applicants.
    pay_working: list[str]
    role_in_brief: str | None
    #: What the person specification asks for, in brief (never its criteria word for word).
    person_summary: str | None
    how_to_apply: str | None
    contact: str | None
    #: (heading, text): safeguarding, online search, equality, right to work.
    statements: list[tuple[str, str]] = field(default_factory=list)
    #: The organisation's logo (PNG or JPEG), if one was uploaded.
    logo: bytes | None = None
    #: The employing organisation (the trust, else the school): the Word file's author.
    organisation: str | None = None
    #: The day the advert was made (the Word file's created date; today when None).
    dated: date | None = None


def advert_docx(advert: Advert) -> Document:
    document = new_document()
    if advert.logo:
        add_logo(document, advert.logo)
    if advert.employer:
        add_paragraph(document, advert.employer, "Organisation")
    add_heading(document, advert.title, level=0)
    table = add_table(document, len(advert.facts), 2)
    for row, (label, value) in zip(table.rows, advert.facts, strict=True):
        write_cell(row.cells[0], label, "Table Heading")
        shade(row.cells[0], CATEGORY_FILL)
        write_cell(row.cells[1], value)
    set_column_widths(table, [Cm(4.5), Cm(12.5)])
    if advert.role_in_brief:
        add_heading(document, "The role", level=1)
        for paragraph in _paragraphs(advert.role_in_brief):
            add_paragraph(document, paragraph)
    if advert.person_summary:
        add_heading(document, PERSON_HEADING, level=1)
        add_paragraph(document, advert.person_summary)
    if advert.how_to_apply or advert.contact:
        add_heading(document, "How to apply", level=1)
        for paragraph in _paragraphs(advert.how_to_apply or ""):
            add_paragraph(document, paragraph)
        if advert.contact:
            add_paragraph(document, f"Contact: {advert.contact}")
    for heading, text in advert.statements:
        add_heading(document, heading, level=2)
        for paragraph in _paragraphs(text):
            add_paragraph(document, paragraph)
    set_footer(document, " · ".join(part for part in (advert.employer, advert.title) if part))
    set_properties(
        document,
        title=advert.title,
        author=advert.organisation or advert.employer,
        subject="Job advert",
        created=advert.dated,
    )
    return document


def advert_text(advert: Advert) -> str:
    """Plain text for job boards that take no formatting."""
    lines = []
    if advert.employer:
        lines.append(advert.employer)
    lines += [advert.title, "=" * len(advert.title), ""]
    lines += [f"{label}: {value}" for label, value in advert.facts]
    if advert.role_in_brief:
        lines += ["", "The role", *_paragraphs(advert.role_in_brief)]
    if advert.person_summary:
        lines += ["", PERSON_HEADING, advert.person_summary]
    if advert.how_to_apply or advert.contact:
        lines += ["", "How to apply", *_paragraphs(advert.how_to_apply or "")]
        if advert.contact:
            lines.append(f"Contact: {advert.contact}")
    for heading, text in advert.statements:
        lines += ["", heading, *_paragraphs(text)]
    return "\n".join(lines) + "\n"


def advert_html_fragment(advert: Advert, level: int = 2) -> str:
    """The advert as HTML that pastes into a job board's editor (no styles, no scripts); its
    title is a heading of `level`, its sections one level below."""
    title, section = f"h{level}", f"h{level + 1}"
    parts = ["<header>"]
    if advert.employer:
        parts.append(f"<p>{escape(advert.employer)}</p>")
    parts.append(f"<{title}>{escape(advert.title)}</{title}>")
    parts.append("</header>")
    parts.append("<dl>")
    for label, value in advert.facts:
        parts.append(f"<dt>{escape(label)}</dt><dd>{escape(value)}</dd>")
    parts.append("</dl>")

    def add_section(heading: str, paragraphs: list[str]) -> None:
        parts.append(f"<section>\n<{section}>{escape(heading)}</{section}>")
        parts.extend(f"<p>{escape(p)}</p>" for p in paragraphs)
        parts.append("</section>")

    if advert.role_in_brief:
        add_section("The role", _paragraphs(advert.role_in_brief))
    if advert.person_summary:
        add_section(PERSON_HEADING, [advert.person_summary])
    if advert.how_to_apply or advert.contact:
        add_section(
            "How to apply",
            _paragraphs(advert.how_to_apply or "")
            + ([f"Contact: {advert.contact}"] if advert.contact else []),
        )
    for heading, text in advert.statements:
        add_section(heading, _paragraphs(text))
    return "\n".join(parts) + "\n"


def advert_html(advert: Advert) -> str:
    """A standalone job-board page: the advert as one article, nothing else."""
    name = f"{advert.title} – {advert.employer}" if advert.employer else advert.title
    return (
        '<!doctype html>\n<html lang="en-GB">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(name)}</title>\n</head>\n<body>\n<main>\n<article>\n"
        f"{advert_html_fragment(advert, level=1)}</article>\n</main>\n</body>\n</html>\n"
    )


def _paragraphs(text: str) -> list[str]:
    return [paragraph.strip() for paragraph in text.splitlines() if paragraph.strip()]
