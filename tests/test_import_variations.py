"""The seed documents rewritten the way other schools write them import to the same structure.

Each case takes one seed's text and rewrites it in code: another name or shape for a duty heading,
another numbering or bullet style, another person-spec header, E/D written as words, letters,
ticks or "Yes", methods written as letters with a key, or the same content built as a Word file
with list styles, heading styles and merged header cells. Whatever the wording, a school expects
the same duty sections, duties, criteria, E/D and assessment methods as the seed's checked JSON.
"""

from __future__ import annotations

import io
import json
import re
import textwrap
from collections.abc import Callable
from dataclasses import dataclass

import docx
import pytest
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from jdtool.importing import read_document

from .conftest import seed_path
from .seed_docx import Para, Row, parse_rendering, seed_text

# -- what must not change -----------------------------------------------------------------------


@dataclass(frozen=True)
class Structure:
    """What a school checks after an import: sections, duties, criteria with E/D and methods."""

    duties_per_section: tuple[int, ...]
    duties: tuple[str, ...]
    criteria: tuple[tuple[str, str | None, tuple[str, ...]], ...]


def _structure(document: dict) -> Structure:
    sections = document["sections"]
    categories = (document["person_spec"] or {"categories": []})["categories"]
    return Structure(
        duties_per_section=tuple(len(section["duties"]) for section in sections),
        duties=tuple(duty for section in sections for duty in section["duties"]),
        criteria=tuple(
            (criterion["text"], criterion["priority"], tuple(criterion["methods"]))
            for category in categories
            for criterion in category["criteria"]
        ),
    )


def expected_structure(seed_id: str) -> Structure:
    path = seed_path(seed_id).with_suffix(".expected.json")
    return _structure(json.loads(path.read_text(encoding="utf-8")))


# -- rewriting text -----------------------------------------------------------------------------

#: The duty-section headings of each seed as its text writes them (stripped).
SUB_HEADINGS_000 = (
    "Support for the Teacher",
    "Support for the Curriculum",
    "Support for Parents and External Agencies",
    "Support for the School",
)
SUB_HEADINGS_001 = (
    "Supporting the pupil",
    "Teaching and learning",
    "Health and safety",
    "Professional development",
)
_NUMBERED = re.compile(r"^(\d{1,3})\.\s+(.*)$")
_DOT_BULLET = re.compile(r"^· ?(.*)$")


def replace_line(text: str, old: str, new: str) -> str:
    """Replace the one line reading `old` (ignoring surrounding spaces) by `new`."""
    lines = text.split("\n")
    hits = [index for index, line in enumerate(lines) if line.strip() == old]
    assert len(hits) == 1, (old, hits)
    lines[hits[0]] = new
    return "\n".join(lines)


def replace_lines(text: str, mapping: dict[str, str]) -> str:
    for old, new in mapping.items():
        text = replace_line(text, old, new)
    return text


def renumber(text: str, marker: Callable[[int], str], *, restart_at=()) -> str:
    """Rewrite typed "N. " duty numbers with `marker(n)`, counting again after each heading."""
    lines = text.split("\n")
    count = 0
    for index, line in enumerate(lines):
        if line.strip() in restart_at:
            count = 0
        match = _NUMBERED.match(line)
        if match:
            count += 1
            lines[index] = marker(count) + match.group(2)
    return "\n".join(lines)


def rebullet(text: str, marker: str) -> str:
    """Rewrite "· " bullets outside tables with `marker` ("" for no marker at all)."""
    return "\n".join(
        marker + match.group(1) if (match := _DOT_BULLET.match(line)) else line
        for line in text.split("\n")
    )


def split_spec(text: str, heading_start: str) -> tuple[str, str, list[Row]]:
    """Split a seed at its person-spec heading: text before, the heading line, the table rows."""
    lines = text.split("\n")
    start = next(i for i, line in enumerate(lines) if line.strip().startswith(heading_start))
    rows = [
        item for item in parse_rendering("\n".join(lines[start + 1 :])) if isinstance(item, Row)
    ]
    # The rendering drops a last row's trailing empty cells; a table row has them all.
    width = max(len(row.cells) for row in rows)
    for row in rows:
        if len(row.cells) > 1:
            row.cells += [[""] for _ in range(width - len(row.cells))]
    return "\n".join(lines[:start]), lines[start], rows


def render_rows(rows: list[Row]) -> str:
    """Write rows as a Word-to-text rendering: a tab opens each cell, a blank line ends a row."""
    return "\n\n".join(
        "\n".join("\t" + "\n".join(paragraphs) for paragraphs in row.cells) for row in rows
    )


def render_pipes(rows: list[Row]) -> str:
    """Write table rows as a pipe table, as Markdown editors and some exports do."""
    lines = []
    for index, row in enumerate(rows):
        lines.append("| " + " | ".join(" ".join(cell).strip() for cell in row.cells) + " |")
        if index == 0:
            lines.append("|" + "---|" * len(row.cells))
    return "\n".join(lines)


# -- seed 000: its person-spec table as rows ----------------------------------------------------

SPEC_000 = "PERSON SPECIFICATION"
#: The header row of seed 000's spec table; its columns are criterion, E/D letter ("E" or "D"),
#: Application Form and Interview (each marked "X").
_HEADER_000 = 0


def rewrite_spec_000(text: str, rewrite_rows, *, render=render_rows, key_line=None) -> str:
    """Seed 000 with its spec table rows passed through `rewrite_rows(rows) -> rows`."""
    before, heading, rows = split_spec(text, SPEC_000)
    table = render(rewrite_rows(rows))
    parts = [before, heading, ""]
    if key_line == "before":
        parts += [KEY_LINE, ""]
    parts.append(table)
    if key_line == "after":
        parts += ["", KEY_LINE]
    return "\n".join(parts) + "\n"


def _cells(row: Row) -> list[str]:
    return [" ".join(p.strip() for p in cell if p.strip()) for cell in row.cells]


def _is_body_row(row: Row, index: int) -> bool:
    return index > _HEADER_000 and len(row.cells) == 4 and bool(_cells(row)[0])


def ed_column(values: dict[str, str], header: str | None = None):
    """Rewrite seed 000's E/D letters (and optionally the E/D header) as `values`."""

    def rewrite(rows: list[Row]) -> list[Row]:
        out = []
        for index, row in enumerate(rows):
            cells = [list(cell) for cell in row.cells]
            if index == _HEADER_000 and header is not None:
                cells[1] = [header]
            elif _is_body_row(row, index):
                cells[1] = [values.get(_cells(row)[1], _cells(row)[1])]
            out.append(Row(cells=cells))
        return out

    return rewrite


def methods_column(header: str, written: dict[frozenset[str], str], *, key_row: bool = False):
    """Replace seed 000's two ticked method columns by one column that writes the methods."""

    def rewrite(rows: list[Row]) -> list[Row]:
        out = []
        for index, row in enumerate(rows):
            cells = [list(cell) for cell in row.cells]
            if index == _HEADER_000:
                out.append(Row(cells=[*cells[:2], [header]]))
                if key_row:
                    out.append(Row(cells=[[KEY_LINE]]))
                continue
            if len(cells) == 4:
                plain = _cells(row)
                ticked = frozenset(
                    name
                    for name, mark in (("application", plain[2]), ("interview", plain[3]))
                    if mark
                )
                method = written[ticked] if _is_body_row(row, index) else ""
                out.append(Row(cells=[*cells[:2], [method]]))
                continue
            out.append(Row(cells=cells))
        return out

    return rewrite


def marks_columns(mark: str):
    """Replace seed 000's E/D letter by separate Essential and Desirable columns marked `mark`."""

    def rewrite(rows: list[Row]) -> list[Row]:
        out = []
        for index, row in enumerate(rows):
            cells = [list(cell) for cell in row.cells]
            if index == _HEADER_000:
                out.append(Row(cells=[cells[0], ["Essential"], ["Desirable"], *cells[2:]]))
            elif len(cells) == 4:
                letter = _cells(row)[1] if _is_body_row(row, index) else ""
                essential = [mark if letter == "E" else ""]
                desirable = [mark if letter == "D" else ""]
                out.append(Row(cells=[cells[0], essential, desirable, *cells[2:]]))
            else:
                out.append(Row(cells=cells))
        return out

    return rewrite


def method_marks(mark: str):
    """Mark seed 000's method columns with `mark` instead of "X"."""

    def rewrite(rows: list[Row]) -> list[Row]:
        out = []
        for row in rows:
            cells = [list(cell) for cell in row.cells]
            if len(cells) == 4:
                cells[2:] = [[mark if p.strip() == "X" else p for p in cell] for cell in cells[2:]]
            out.append(Row(cells=cells))
        return out

    return rewrite


def method_headers(application: str, interview: str, *, references: str | None = None):
    """Rename seed 000's method columns, and optionally add an unticked References column."""

    def rewrite(rows: list[Row]) -> list[Row]:
        out = []
        for index, row in enumerate(rows):
            cells = [list(cell) for cell in row.cells]
            if index == _HEADER_000:
                cells[2:] = [[application], [interview]]
                if references is not None:
                    cells.append([references])
            elif len(cells) == 4 and references is not None:
                cells.append([""])
            out.append(Row(cells=cells))
        return out

    return rewrite


def two_row_header(rows: list[Row]) -> list[Row]:
    """A "Method of assessment" row over "Application | Interview" columns."""
    header = rows[_HEADER_000]
    first = Row(cells=[header.cells[0], header.cells[1], ["Method of assessment"]])
    second = Row(cells=[[""], [""], ["Application"], ["Interview"]])
    return [first, second, *rows[_HEADER_000 + 1 :]]


def repeated_header(rows: list[Row]) -> list[Row]:
    """The header row typed again where the table runs onto a new page (before EXPERIENCE)."""
    at = next(i for i, row in enumerate(rows) if _cells(row)[0] == "EXPERIENCE:")
    return [*rows[:at], rows[_HEADER_000], *rows[at:]]


def single_line_header(rows: list[Row]) -> list[Row]:
    """The first header cell as one short line, as pipe tables need."""
    header = Row(cells=[["Criteria"], *rows[_HEADER_000].cells[1:]])
    return [header, *rows[_HEADER_000 + 1 :]]


KEY_LINE = "A = Application form, I = Interview, R = References"
LETTERS = {
    frozenset({"application"}): "A",
    frozenset({"interview"}): "I",
    frozenset({"application", "interview"}): "A, I",
}
WORDS = {
    frozenset({"application"}): "Application form",
    frozenset({"interview"}): "Interview",
    frozenset({"application", "interview"}): "Application form / Interview",
}


# -- seed 003: Attribute | Essential | Desirable with "·" marks ---------------------------------

SPEC_003 = "Person Specification"


def rewrite_spec_003(text: str, rewrite_rows) -> str:
    before, heading, rows = split_spec(text, SPEC_003)
    return "\n".join([before, heading, render_rows(rewrite_rows(rows))]) + "\n"


def _mark_of(cell: list[str]) -> bool:
    return any(p.strip() == "·" for p in cell)


def marks_003(mark: str):
    def rewrite(rows: list[Row]) -> list[Row]:
        return [
            Row(cells=[[mark if p.strip() == "·" else p for p in cell] for cell in row.cells])
            for row in rows
        ]

    return rewrite


def single_column_003(essential: str, desirable: str, header: str):
    """One E/D column instead of two marked ones."""

    def rewrite(rows: list[Row]) -> list[Row]:
        out = []
        for index, row in enumerate(rows):
            if index == 0:
                out.append(Row(cells=[row.cells[0], [header]]))
            elif len(row.cells) == 3:
                if _mark_of(row.cells[1]):
                    value = essential
                elif _mark_of(row.cells[2]):
                    value = desirable
                else:
                    value = ""
                out.append(Row(cells=[row.cells[0], [value]]))
            else:
                out.append(row)
        return out

    return rewrite


def header_003(first: str):
    def rewrite(rows: list[Row]) -> list[Row]:
        return [Row(cells=[[first], *rows[0].cells[1:]]), *rows[1:]]

    return rewrite


# -- seed 001: CRITERIA | QUALITIES | E/D words lined up with the criteria ------------------------

SPEC_001 = "Person specification:"


def spec_words_001(mapping: dict[str, str], header: str | None = None):
    """Rewrite seed 001's E/D words (lines after the spec heading) and optionally its header."""

    def rewrite(text: str) -> str:
        lines = text.split("\n")
        start = next(i for i, line in enumerate(lines) if line.startswith(SPEC_001))
        for index in range(start, len(lines)):
            word = lines[index].strip()
            if word in mapping:
                lines[index] = lines[index].replace(word, mapping[word])
            elif header is not None and word == "ESSTENTIAL OR DESIRABLE":
                lines[index] = "\t" + header
        return "\n".join(lines)

    return rewrite


# -- Word builds --------------------------------------------------------------------------------


@dataclass
class WordStyle:
    """How a Word variant writes headings, duties and the person-spec table."""

    heading: str = "Heading 2"  # a style name, or "bold" for a bold Normal paragraph
    duty: str = "List Number"  # a list style, or "typed" to keep the typed marker
    header_repeats: bool = False  # mark the header row to repeat on each page (tblHeader)
    merged_methods: bool = False  # two header rows, "Method of assessment" merged over two
    #: Keep the rendering's blank lines as empty paragraphs; without them the spacing is the
    #: paragraphs' own "space after", as in a tidily made Word file.
    empty_paragraphs: bool = True
    #: Write a "•" cell as an empty "List Bullet" paragraph: Word draws the bullet, no text.
    bullet_paragraph_marks: bool = False


def _save(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _heading(document, text: str, style: WordStyle) -> None:
    if style.heading == "bold":
        document.add_paragraph().add_run(text).bold = True
    elif style.heading == "outline":
        # A Normal paragraph given an outline level, as the Navigation pane shows it.
        paragraph = document.add_paragraph()
        paragraph.add_run(text).bold = True
        level = OxmlElement("w:outlineLvl")
        level.set(qn("w:val"), "1")
        paragraph._p.get_or_add_pPr().append(level)
    elif style.heading == "house":
        # A school's own heading style, based on Heading 2 and named nothing like it.
        if "JD Section" not in [s.name for s in document.styles]:
            house = document.styles.add_style("JD Section", WD_STYLE_TYPE.PARAGRAPH)
            house.base_style = document.styles["Heading 2"]
        document.add_paragraph(text, style="JD Section")
    else:
        document.add_paragraph(text, style=style.heading)


def _duty(document, text: str, style: WordStyle) -> None:
    if style.duty != "direct":
        document.add_paragraph(text, style=style.duty)
        return
    # What Word itself writes: "List Paragraph" with the numbering on the paragraph.
    paragraph = document.add_paragraph(text, style="List Paragraph")
    numbering = document.styles["List Number"].element.pPr.numPr.numId.get(qn("w:val"))
    properties = paragraph._p.get_or_add_pPr()
    num_pr = OxmlElement("w:numPr")
    for tag, value in (("w:ilvl", "0"), ("w:numId", numbering)):
        element = OxmlElement(tag)
        element.set(qn("w:val"), value)
        num_pr.append(element)
    properties.append(num_pr)


def _blanks(document, item: Para | Row) -> None:
    """One empty paragraph per blank line of the rendering, as the Word original had."""
    for _ in item.blanks_before:
        document.add_paragraph()


def _repeat_header(row) -> None:
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def _word_table(document, rows: list[Row], style: WordStyle) -> None:
    columns = max(len(row.cells) for row in rows)
    table = document.add_table(rows=0, cols=columns)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for index, row in enumerate(rows):
        word_row = table.add_row()
        if index == 0 and style.merged_methods:
            top = word_row
            second = table.add_row()
            for column, cell in enumerate(row.cells[:2]):
                merged = top.cells[column].merge(second.cells[column])
                merged.text = "\n".join(cell)
            methods = top.cells[2].merge(top.cells[3])
            methods.text = "Method of assessment"
            second.cells[2].text = "Application"
            second.cells[3].text = "Interview"
            if style.header_repeats:
                _repeat_header(top)
                _repeat_header(second)
            continue
        if index == 0 and style.header_repeats:
            _repeat_header(word_row)
        if len(row.cells) == 1 and columns > 1:
            cells = [word_row.cells[0].merge(word_row.cells[columns - 1])]
        else:
            cells = word_row.cells
        for cell, paragraphs in zip(cells, row.cells, strict=False):
            for number, text in enumerate(paragraphs):
                paragraph = cell.paragraphs[0] if number == 0 else cell.add_paragraph()
                if style.bullet_paragraph_marks and text.strip() == "•":
                    paragraph.style = document.styles["List Bullet"]
                elif text.strip():
                    paragraph.add_run(text.strip())


def build_word_000(style: WordStyle, rewrite_rows=None) -> bytes:
    """Seed 000 as Word: header paragraphs, styled headings, list-styled duties, a spec table."""
    text = seed_text("000")
    before, heading, rows = split_spec(text, SPEC_000)
    headings = {"Job Purpose", "Duties and Responsibilities", *SUB_HEADINGS_000}
    document = docx.Document()
    for item in parse_rendering(before):
        if not isinstance(item, Para):
            continue
        if style.empty_paragraphs:
            _blanks(document, item)
        line = item.text.strip()
        number = _NUMBERED.match(line)
        if line == "JOB DESCRIPTION":
            document.add_paragraph(line, style="Title")
        elif line in headings:
            _heading(document, line, style)
        elif number and style.duty != "typed":
            _duty(document, number.group(2).strip(), style)
        elif line:
            document.add_paragraph(line)
    _heading(document, heading.strip(), WordStyle(heading="Heading 1"))
    _word_table(document, rewrite_rows(rows) if rewrite_rows else rows, style)
    return _save(document)


def build_word_001(style: WordStyle) -> bytes:
    """Seed 001 as Word: a label | value table, capitalised headings as Heading 1, sub-headings
    in `style`, bulleted duties in its list style."""
    text = seed_text("001")
    before, heading, rows = split_spec(text, SPEC_001)
    document = docx.Document()
    header_table = None
    for item in parse_rendering(before):
        _blanks(document, item)
        if isinstance(item, Row):
            if header_table is None:
                header_table = document.add_table(rows=0, cols=2)
            cells = header_table.add_row().cells
            if len(item.cells) == 1:
                cells = [cells[0].merge(cells[1])]
            for cell, paragraphs in zip(cells, item.cells, strict=False):
                cell.text = "\n".join(p.strip() for p in paragraphs if p.strip())
            continue
        header_table = None
        line = item.text.strip()
        bullet = _DOT_BULLET.match(line)
        if line in ("JOB PURPOSE", "MAIN DUTIES AND RESPONSIBILTIES"):
            document.add_paragraph(line, style="Heading 1")
        elif line in SUB_HEADINGS_001:
            _heading(document, line, style)
        elif bullet:
            document.add_paragraph(bullet.group(1).strip(), style=style.duty)
        elif line:
            document.add_paragraph(line)
    _heading(document, heading.strip(), WordStyle(heading="Heading 1"))
    _word_table(document, rows, style)
    return _save(document)


# -- the table of variants ----------------------------------------------------------------------


@dataclass(frozen=True)
class Variant:
    seed_id: str
    filename: str
    build: Callable[[], bytes]


def text_variant(seed_id: str, rewrite: Callable[[str], str], suffix: str = ".txt") -> Variant:
    return Variant(seed_id, f"variant{suffix}", lambda: rewrite(seed_text(seed_id)).encode("utf-8"))


def word_variant(seed_id: str, build: Callable[[], bytes]) -> Variant:
    return Variant(seed_id, "variant.docx", build)


def heading_000(new: str) -> Variant:
    return text_variant("000", lambda text: replace_line(text, "Duties and Responsibilities", new))


def numbering_000(marker: Callable[[int], str], *, restart: bool = False) -> Variant:
    restart_at = SUB_HEADINGS_000 if restart else ()
    return text_variant("000", lambda text: renumber(text, marker, restart_at=restart_at))


def bullets_001(marker: str) -> Variant:
    return text_variant("001", lambda text: rebullet(text, marker))


def spec_000(rewrite_rows, **options) -> Variant:
    return text_variant("000", lambda text: rewrite_spec_000(text, rewrite_rows, **options))


def spec_003(rewrite_rows) -> Variant:
    return text_variant("003", lambda text: rewrite_spec_003(text, rewrite_rows))


def _markdown_000(text: str) -> str:
    mapping = {line: f"## {line}" for line in ("Job Purpose", "Duties and Responsibilities")}
    mapping.update({line: f"### {line}" for line in SUB_HEADINGS_000})
    return replace_lines(text, mapping)


def _numbered_headings_001(text: str) -> str:
    """Number the five sub-headings, the bulleted one ("· Working with staff, …") included."""
    working = "· Working with staff, parents/carers and relevant professionals"
    headings = [*SUB_HEADINGS_001[:2], working, *SUB_HEADINGS_001[2:]]
    mapping = {line: f"{number}. {line.lstrip('· ')}" for number, line in enumerate(headings, 1)}
    return replace_lines(text, mapping)


def _glyph_on_its_own_line(glyph: str):
    def rewrite(text: str) -> str:
        return "\n".join(
            f"{glyph}\n{match.group(1)}" if (match := _DOT_BULLET.match(line)) else line
            for line in text.split("\n")
        )

    return rewrite


def _sub_headings_000(shape: Callable[[str], str]):
    def rewrite(text: str) -> str:
        return replace_lines(text, {line: shape(line) for line in SUB_HEADINGS_000})

    return rewrite


def _roman(number: int) -> str:
    numerals = ((10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))
    out = ""
    for value, letters in numerals:
        while number >= value:
            out += letters
            number -= value
    return out


def _decimal_headings_000(text: str) -> str:
    """A numbered outline: "2. Duties …", "2.1 Support for …", bulleted duties beneath."""
    mapping = {
        "Job Purpose": "1. Job Purpose",
        "Duties and Responsibilities": "2. Duties and Responsibilities",
    }
    mapping.update({line: f"2.{n} {line}" for n, line in enumerate(SUB_HEADINGS_000, 1)})
    return renumber(replace_lines(text, mapping), lambda n: "• ")


def _underlined_headings_000(text: str) -> str:
    headings = ("Job Purpose", "Duties and Responsibilities", *SUB_HEADINGS_000)
    return replace_lines(text, {line: f"{line}\n{'-' * len(line)}" for line in headings})


def _wrapped_duties_000(text: str) -> str:
    """Duties hard-wrapped at 72 columns with indented continuations, as from an e-mail."""
    lines = []
    for line in text.split("\n"):
        if _NUMBERED.match(line) and len(line) > 72:
            lines.extend(textwrap.wrap(line, 72, subsequent_indent="    "))
        else:
            lines.append(line)
    return "\n".join(lines)


def _spec_heading_000(new: str):
    def rewrite(text: str) -> str:
        lines = text.split("\n")
        index = next(i for i, line in enumerate(lines) if line.startswith(SPEC_000))
        lines[index] = lines[index].replace(SPEC_000, new)
        return "\n".join(lines)

    return rewrite


def _crlf(text: str) -> str:
    return text.replace("\n", "\r\n")


#: Rewrites the importer does not yet read the same way; each is a known gap, kept here so it
#: is seen rather than forgotten (move a case into VARIANTS once the importer reads it):
#: seed 001 with every bullet removed (its short duties are read as sub-headings).
NOT_YET_READ: dict[str, Variant] = {
    "bullets-001-none": bullets_001(""),
}

VARIANTS: dict[str, Variant] = {
    "spec-key-after-table": spec_000(methods_column("Method", LETTERS), key_line="after"),
    "headings-decimal-outline": text_variant("000", _decimal_headings_000),
    "heading-what-you-will-do": heading_000("What you will be doing"),
    # Duty-section headings: synonyms, typos, capitals, colons, Markdown, numbers.
    "heading-major-duties-capitals": heading_000("MAJOR DUTIES AND RESPONSIBILITIES"),
    "heading-main-tasks": heading_000("Main Tasks"),
    "heading-key-responsibilities": heading_000("Key Responsibilities"),
    "heading-typo-responsibilites": heading_000("Responsibilites"),
    "heading-duties-colon": heading_000("Duties:"),
    "heading-all-capitals": heading_000("DUTIES AND RESPONSIBILITIES"),
    "heading-title-case": heading_000("Duties And Responsibilities"),
    "heading-trailing-colon": heading_000("Duties and Responsibilities:"),
    "heading-role-and-responsibilities": heading_000("Role and Responsibilities"),
    "heading-typo-resposibilities-capitals": heading_000("MAIN DUTIES AND RESPOSIBILITIES"),
    "headings-markdown": text_variant("000", _markdown_000, ".md"),
    "sub-headings-all-capitals": text_variant("000", _sub_headings_000(str.upper)),
    "sub-headings-trailing-colon": text_variant("000", _sub_headings_000(lambda h: f"{h}:")),
    "sub-headings-bold-markdown": text_variant("000", _sub_headings_000(lambda h: f"**{h}**")),
    "sub-headings-numbered": text_variant("001", _numbered_headings_001),
    "heading-lower-case": heading_000("duties and responsibilities"),
    "heading-reversed-words": heading_000("Responsibilities and Duties"),
    "heading-role-prefix": heading_000("SEN Teaching Assistant – Main Duties"),
    "headings-underlined": text_variant("000", _underlined_headings_000),
    "heading-002-key-duties": text_variant(
        "002", lambda text: replace_line(text, "Main Responsibilities and Duties:", "\tKey Duties:")
    ),
    "heading-003-key-tasks": text_variant(
        "003", lambda text: replace_line(text, "Duties", "\tKey Tasks")
    ),
    "heading-003-main-responsibilities": text_variant(
        "003", lambda text: replace_line(text, "Duties", "\tMain Responsibilities")
    ),
    "heading-004-main-duties-colon": text_variant(
        "004", lambda text: replace_line(text, "Duties and responsibilities", "Main duties:")
    ),
    "purpose-heading-synonym": text_variant(
        "000", lambda text: replace_line(text, "Job Purpose", "Overall Purpose of the Role:")
    ),
    # Duty numbering and bullets.
    "numbers-parenthesis": numbering_000(lambda n: f"{n}) "),
    "numbers-in-brackets": numbering_000(lambda n: f"({n}) "),
    "numbers-letters-restart": numbering_000(lambda n: f"{chr(96 + n)}) ", restart=True),
    "numbers-all-one": numbering_000(lambda n: "1. "),
    "numbers-restart-per-section": numbering_000(lambda n: f"{n}. ", restart=True),
    "numbers-tab-after": numbering_000(lambda n: f"{n}.\t"),
    "numbers-roman": numbering_000(lambda n: f"{_roman(n)}. ", restart=True),
    "numbers-section-decimal": numbering_000(lambda n: f"2.{n} ", restart=True),
    "bullets-round": numbering_000(lambda n: "• "),
    "bullets-hyphen": numbering_000(lambda n: "- "),
    "bullets-private-use-glyph": numbering_000(lambda n: "\uf0b7 "),
    "bullets-wingdings-square": numbering_000(lambda n: "¨ "),
    "bullets-letter-o": numbering_000(lambda n: "o  "),
    "bullets-asterisk": numbering_000(lambda n: "* "),
    "bullets-tick": numbering_000(lambda n: "✓ "),
    "bullets-glyph-own-line": numbering_000(lambda n: "•\n"),
    "bullets-001-round": bullets_001("• "),
    "bullets-001-hyphen": bullets_001("- "),
    "bullets-001-glyph-tab": bullets_001("\uf0b7\t"),
    "bullets-001-glyph-own-line": text_variant("001", _glyph_on_its_own_line("•")),
    "bullets-004-dash": text_variant("004", lambda text: rebullet(text, "– ")),
    "numbers-no-break-space": numbering_000(lambda n: f"{n}.\u00a0"),
    "duties-hard-wrapped": text_variant("000", _wrapped_duties_000),
    "line-endings-windows": text_variant("000", _crlf),
    # Person-spec headers.
    "spec-header-essential-slash-desirable": spec_000(ed_column({}, "Essential / Desirable")),
    "spec-header-e-slash-d": spec_000(ed_column({}, "E/D")),
    "spec-header-priority": spec_000(ed_column({}, "Priority")),
    "spec-001-header-essential-slash-desirable": text_variant(
        "001", spec_words_001({}, "Essential / Desirable")
    ),
    "spec-001-header-priority": text_variant("001", spec_words_001({}, "Priority")),
    "spec-003-method-of-assessment-first-cell": spec_003(header_003("Method of Assessment")),
    "spec-how-assessed-words": spec_000(methods_column("How assessed", WORDS)),
    "spec-assessed-by-words": spec_000(methods_column("Assessed by", WORDS)),
    "spec-method-of-assessment-words": spec_000(methods_column("Method of Assessment", WORDS)),
    "spec-heading-selection-criteria": text_variant("000", _spec_heading_000("SELECTION CRITERIA")),
    "spec-heading-person-spec-title-case": text_variant(
        "000", _spec_heading_000("Person Specification – SEN Teaching Assistant")
    ),
    "spec-method-headers-abbreviated": spec_000(method_headers("A", "I"), key_line="before"),
    "spec-method-headers-short-words": spec_000(method_headers("Application", "Interview")),
    "spec-method-references-unticked": spec_000(
        method_headers("Application Form", "Interview", references="References")
    ),
    "spec-two-row-header": spec_000(two_row_header),
    "spec-repeated-header-row": spec_000(repeated_header),
    "spec-pipe-table": spec_000(single_line_header, render=render_pipes),
    # E/D as words, letters, ticks, "Yes", bullets.
    "spec-ed-words": spec_000(ed_column({"E": "Essential", "D": "Desirable"})),
    "spec-ed-lower-case-words": spec_000(ed_column({"E": "essential", "D": "desirable"})),
    "spec-ed-capital-words": spec_000(ed_column({"E": "ESSENTIAL", "D": "DESIRABLE"})),
    "spec-ed-letters-in-brackets": spec_000(ed_column({"E": "(E)", "D": "(D)"})),
    "spec-ed-columns-tick": spec_000(marks_columns("✓")),
    "spec-ed-columns-x": spec_000(marks_columns("X")),
    "spec-ed-columns-yes": spec_000(marks_columns("Yes")),
    "spec-ed-columns-bullet": spec_000(marks_columns("•")),
    "spec-method-ticks": spec_000(method_marks("✓")),
    "spec-method-yes": spec_000(method_marks("Yes")),
    "spec-001-ed-letters": text_variant(
        "001", spec_words_001({"Essential": "E", "Desirable": "D"})
    ),
    "spec-003-marks-tick": spec_003(marks_003("✓")),
    "spec-003-marks-x": spec_003(marks_003("X")),
    "spec-003-marks-yes": spec_003(marks_003("Yes")),
    "spec-003-marks-bullet": spec_003(marks_003("•")),
    "spec-003-ed-letters": spec_003(single_column_003("E", "D", "E/D")),
    "spec-003-ed-words": spec_003(
        single_column_003("Essential", "Desirable", "Essential/Desirable")
    ),
    # A key line anywhere, with method letters.
    "spec-key-before-table": spec_000(methods_column("Method", LETTERS), key_line="before"),
    "spec-key-row-in-table": spec_000(methods_column("How assessed", LETTERS, key_row=True)),
    # Word variants.
    "word-numbered-list-heading-2": word_variant("000", lambda: build_word_000(WordStyle())),
    "word-bulleted-list-heading-1": word_variant(
        "000", lambda: build_word_000(WordStyle(heading="Heading 1", duty="List Bullet"))
    ),
    "word-bold-headings": word_variant(
        "000", lambda: build_word_000(WordStyle(heading="bold", duty="List Bullet"))
    ),
    "word-typed-numbers-heading-3": word_variant(
        "000", lambda: build_word_000(WordStyle(heading="Heading 3", duty="typed"))
    ),
    "word-no-empty-paragraphs": word_variant(
        "000", lambda: build_word_000(WordStyle(empty_paragraphs=False))
    ),
    "word-spec-header-row-repeats": word_variant(
        "000", lambda: build_word_000(WordStyle(header_repeats=True), repeated_header)
    ),
    "word-spec-merged-method-header": word_variant(
        "000", lambda: build_word_000(WordStyle(merged_methods=True, header_repeats=True))
    ),
    "word-spec-method-letters-key-row": word_variant(
        "000",
        lambda: build_word_000(WordStyle(), methods_column("Assessed by", LETTERS, key_row=True)),
    ),
    "word-direct-numbering-list-paragraph": word_variant(
        "000", lambda: build_word_000(WordStyle(duty="direct"))
    ),
    "word-house-heading-style": word_variant(
        "000", lambda: build_word_000(WordStyle(heading="house", duty="List Bullet"))
    ),
    "word-spec-ed-columns-ticks": word_variant(
        "000", lambda: build_word_000(WordStyle(), marks_columns("✓"))
    ),
    "word-spec-ed-marks-empty-bullet-paragraphs": word_variant(
        "000",
        lambda: build_word_000(WordStyle(bullet_paragraph_marks=True), marks_columns("•")),
    ),
    "word-headings-outline-level": word_variant(
        "000", lambda: build_word_000(WordStyle(heading="outline"))
    ),
    "word-001-numbered-list": word_variant("001", lambda: build_word_001(WordStyle())),
    "word-001-bold-headings": word_variant(
        "001", lambda: build_word_001(WordStyle(heading="bold", duty="List Bullet"))
    ),
}


@pytest.mark.parametrize("name", list(VARIANTS))
def test_rewritten_seed_imports_to_the_same_structure(name):
    variant = VARIANTS[name]
    document = read_document(variant.filename, variant.build())
    assert _structure(document.to_dict()) == expected_structure(variant.seed_id)


@pytest.mark.parametrize(
    "name", [name for name, variant in VARIANTS.items() if not variant.filename.endswith(".docx")]
)
def test_each_text_variant_really_rewrites_its_seed(name):
    variant = VARIANTS[name]
    assert variant.build() != seed_path(variant.seed_id).read_bytes()
