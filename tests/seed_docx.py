"""Build a Word (.docx) version of each seed document, laid out as its original Word file was.

The seeds in `seed_jds/` are text renderings of Word documents: a line starting with exactly one
tab opens a table cell, following untabbed lines are further paragraphs of that cell (a single
blank line inside a cell is an empty paragraph), and a blank line separates table rows. Each
builder here parses its seed's text at build time and writes it back the way Word held it:

- 000: "Label:<tab>value" header paragraphs, Heading-styled headings, duties as a real
  "List Number" list (no typed "1."), and the person specification as a four-column table
  (criterion | E/D | Application Form | Interview, "X" marks) with full-width merged category rows.
- 001: a two-column label | value header table, headings, bulleted duties as "List Bullet",
  a three-column person specification (category | one paragraph per criterion | one paragraph
  per E/D value, empty paragraphs where the rendering has blank lines) and dotted signature lines.
- 002: the whole document is a two-column table: label | value header rows, full-width merged
  rows for headings and text, purpose bullets as "List Bullet" paragraphs inside their cell.
- 003: a two-column label | value table for the job description, then a person specification
  table Attribute | Essential | Desirable with a "·" marking the column and full-width merged
  category rows.
- 004: "Label: value" paragraphs, a heading and "List Bullet" duties.

Image placeholders ("[image: …]") become small pictures and "[bookmark: …]" a Word bookmark, so
the files carry the furniture real ones do. Runs of blank lines become the same number of empty
paragraphs: the importer counts them (`gap_before`) exactly as it counts blank lines in text.
"""

from __future__ import annotations

import io
import re
import struct
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm

SEEDS = Path(__file__).resolve().parent.parent / "seed_jds"

_PLACEHOLDER = re.compile(r"\[(image|bookmark):\s*([^\]]*)\]", re.IGNORECASE)
_NUMBERED = re.compile(r"^\s*(\d{1,3})\.\s+(.*)$")
_BULLETED = re.compile(r"^\s*·\s*(.*)$")
_LABELLED = re.compile(r"^(?P<label>[A-Za-z][A-Za-z /()]{0,40}:)(?P<gap>[ \t]*)(?P<value>.*)$")


# -- parsing the text rendering -----------------------------------------------------------------


@dataclass
class Para:
    """One paragraph outside tables."""

    text: str
    #: Blank lines before it in the rendering (each becomes an empty Word paragraph).
    blanks_before: list[str] = field(default_factory=list)
    images: list[str] = field(default_factory=list)
    bookmarks: list[str] = field(default_factory=list)


@dataclass
class Row:
    """One table row: each cell is its paragraph texts, "" for an empty paragraph."""

    cells: list[list[str]] = field(default_factory=list)
    blanks_before: list[str] = field(default_factory=list)


Item = Para | Row


def seed_text(seed_id: str) -> str:
    path = next(SEEDS.glob(f"{seed_id}_*.txt"))
    return path.read_text(encoding="utf-8")


def parse_rendering(text: str) -> list[Item]:
    """Split a Word-to-text rendering into paragraphs and table rows."""
    items: list[Item] = []
    row: Row | None = None
    blanks: list[str] = []
    #: Cells in the table's widest row so far: a row with fewer is still open after one blank
    #: line (the rendering of an empty paragraph closing the cell before).
    width = 0
    lines = text.replace("\r\n", "\n").split("\n")
    if lines and lines[0].startswith(" "):
        lines[0] = lines[0][1:]  # the renderer starts every file with one space
    for line in lines:
        if line.startswith("\t") and not line.startswith("\t\t"):
            if row is not None and len(blanks) == 1 and 2 <= len(row.cells) < width:
                row.cells[-1].append("")
            elif row is None or blanks:
                row = Row(blanks_before=blanks)
                items.append(row)
            row.cells.append([line[1:]])
            width = max(width, len(row.cells))
            blanks = []
            continue
        visible = _PLACEHOLDER.sub("", line)
        if not visible.strip(" \t"):
            if _PLACEHOLDER.search(line):
                # A picture on its own line: an empty paragraph in text, a picture in Word.
                paragraph = _para(line, blanks)
                items.append(paragraph)
                row, width = None, 0
                blanks = []
            else:
                blanks.append(line)
            continue
        if row is not None and len(blanks) <= 1:
            row.cells[-1].extend([""] * len(blanks) + [line])
            blanks = []
            continue
        row = None
        width = 0
        items.append(_para(line, blanks))
        blanks = []
    return items


def _para(line: str, blanks: list[str]) -> Para:
    images = [m.group(2) for m in _PLACEHOLDER.finditer(line) if m.group(1).lower() == "image"]
    marks = [m.group(2) for m in _PLACEHOLDER.finditer(line) if m.group(1).lower() == "bookmark"]
    return Para(_PLACEHOLDER.sub("", line), blanks, images, marks)


# -- writing Word -------------------------------------------------------------------------------


class _Writer:
    def __init__(self) -> None:
        self.document = docx.Document()
        self._bookmark_id = 0

    def save(self) -> bytes:
        buffer = io.BytesIO()
        self.document.save(buffer)
        return buffer.getvalue()

    def blanks(self, blanks: list[str]) -> None:
        """One empty paragraph per blank line (a line of spaces keeps its spaces)."""
        for blank in blanks:
            paragraph = self.document.add_paragraph()
            if blank:
                paragraph.add_run(blank)

    def paragraph(self, item: Para, text: str | None = None, style: str | None = None, *,
                  bold: bool = False, container=None):  # fmt: skip
        container = container or self.document
        paragraph = container.add_paragraph(style=style)
        for name in item.bookmarks:
            self._bookmark(paragraph, name)
        for _ in item.images:
            paragraph.add_run().add_picture(io.BytesIO(_tiny_png()), width=Cm(3))
        run = paragraph.add_run((item.text if text is None else text).lstrip(" "))
        run.bold = bold or None
        return paragraph

    def labelled(self, item: Para) -> None:
        """A "Label:<tab>value" header line: the label bold, then its own tab or spaces."""
        match = _LABELLED.match(item.text.strip())
        assert match, item.text
        paragraph = self.document.add_paragraph()
        for name in item.bookmarks:
            self._bookmark(paragraph, name)
        paragraph.add_run(match.group("label")).bold = True
        paragraph.add_run(match.group("gap") + match.group("value"))

    def table(self, rows: list[Row], columns: int, *, bullets_in_cells: bool = False) -> None:
        """A grid of `columns`; a one-cell row spans the width (merged, one <w:tc>)."""
        table = self.document.add_table(rows=len(rows), cols=columns)
        table.style = "Table Grid"
        for row_index, row in enumerate(rows):
            if len(row.cells) == 1 and columns > 1:
                cells = [table.cell(row_index, 0).merge(table.cell(row_index, columns - 1))]
            else:
                assert len(row.cells) <= columns, row.cells
                cells = [table.cell(row_index, i) for i in range(columns)]
            for cell, texts in zip(cells, row.cells, strict=False):
                self.cell(cell, texts, bullets=bullets_in_cells)

    def cell(self, cell, texts: list[str], *, bullets: bool = False) -> None:
        for index, text in enumerate(texts):
            paragraph = cell.paragraphs[0] if index == 0 else cell.add_paragraph()
            bullet = _BULLETED.match(text) if bullets else None
            if bullet:
                paragraph.style = self.document.styles["List Bullet"]
                text = bullet.group(1)
            centred = text.strip(" ") if text.startswith("   ") else None
            if centred:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
                text = centred
            if text:
                paragraph.add_run(text)

    def _bookmark(self, paragraph, name: str) -> None:
        self._bookmark_id += 1
        start = OxmlElement("w:bookmarkStart")
        start.set(qn("w:id"), str(self._bookmark_id))
        start.set(qn("w:name"), name)
        end = OxmlElement("w:bookmarkEnd")
        end.set(qn("w:id"), str(self._bookmark_id))
        paragraph._p.append(start)
        paragraph._p.append(end)


def _tiny_png() -> bytes:
    """A 2×2 grey PNG, enough for Word (and python-docx) to treat it as a picture."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    pixels = b"".join(b"\x00" + b"\x80\x80\x80" * 2 for _ in range(2))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(pixels))
        + chunk(b"IEND", b"")
    )


def _is_heading(text: str) -> bool:
    """A short line without closing punctuation: a heading in these documents."""
    plain = text.strip()
    return bool(plain) and len(plain.split()) <= 8 and not re.search(r"[.,;:…]$", plain)


def _runs(items: list[Item]):
    """Group consecutive rows (one Word table) and yield ("para", Para) / ("table", [Row])."""
    group: list[Row] = []
    for item in items:
        if isinstance(item, Row):
            group.append(item)
            continue
        if group:
            yield "table", group
            group = []
        yield "para", item
    if group:
        yield "table", group


# -- the five seeds -----------------------------------------------------------------------------


def _build_000(items: list[Item]) -> bytes:
    writer = _Writer()
    for kind, item in _runs(items):
        if kind == "table":
            writer.blanks(item[0].blanks_before)
            writer.table(item, columns=max(len(row.cells) for row in item))
            continue
        writer.blanks(item.blanks_before)
        text = item.text
        number = _NUMBERED.match(text)
        if number:
            writer.paragraph(item, number.group(2), "List Number")
        elif _LABELLED.match(text.strip()) and "\t" in text:
            writer.labelled(item)
        elif "person specification" in text.lower():
            writer.paragraph(item, style="Heading 1")
        elif text.strip() == "JOB DESCRIPTION":
            writer.paragraph(item, style="Title")
        elif text.isupper():
            writer.paragraph(item, bold=True)
        elif _is_heading(text):
            writer.paragraph(item, style="Heading 2")
        else:
            writer.paragraph(item)
    return writer.save()


def _build_001(items: list[Item]) -> bytes:
    writer = _Writer()
    for kind, item in _runs(items):
        if kind == "table":
            writer.blanks(item[0].blanks_before)
            writer.table(item, columns=max(len(row.cells) for row in item))
            continue
        writer.blanks(item.blanks_before)
        text = item.text.strip()
        bullet = _BULLETED.match(text)
        if bullet:
            writer.paragraph(item, bullet.group(1), "List Bullet")
        elif text == "JOB DESCRIPTION":
            writer.paragraph(item, text, "Title")
        elif text.isupper() or "person specification" in text.lower():
            writer.paragraph(item, style="Heading 1")
        elif _is_heading(text) and not _LABELLED.match(text):
            writer.paragraph(item, bold=True)  # sub-headings: bold Normal paragraphs
        else:
            writer.paragraph(item)  # statements, signature lines with dots, the footer address
    return writer.save()


def _build_002(items: list[Item]) -> bytes:
    writer = _Writer()
    for kind, item in _runs(items):
        if kind == "table":
            writer.blanks(item[0].blanks_before)
            writer.table(item, columns=2, bullets_in_cells=True)
            continue
        writer.blanks(item.blanks_before)
        writer.paragraph(item)
    return writer.save()


def _build_003(items: list[Item]) -> bytes:
    # The job description table's first label cell starts the file, so the rendering shows it
    # as a line of its own; and a label Word wrapped ("Principal / Accountabilities") sits in
    # a row of its own before its content. Both are one label | value row in the Word table.
    merged: list[Item] = []
    for item in items:
        previous = merged[-1] if merged else None
        if (
            isinstance(item, Row)
            and len(item.cells) == 1
            and not item.blanks_before[1:]
            and (
                (isinstance(previous, Para) and len(merged) == 1)
                or (isinstance(previous, Row) and len(previous.cells) == 1 and _is_label(previous))
            )
        ):
            label = [previous.text.strip()] if isinstance(previous, Para) else previous.cells[0]
            merged[-1] = Row(cells=[label, item.cells[0]])
            continue
        merged.append(item)

    writer = _Writer()
    for kind, item in _runs(merged):
        if kind == "table":
            writer.blanks(item[0].blanks_before)
            writer.table(item, columns=max(len(row.cells) for row in item))
            continue
        writer.blanks(item.blanks_before)
        writer.paragraph(item, style="Heading 1")  # only "Person Specification …" is outside
    return writer.save()


def _is_label(row: Row) -> bool:
    lines = [line for line in row.cells[0] if line.strip()]
    return 1 <= len(lines) <= 3 and all(_is_heading(line) and len(line) < 40 for line in lines)


def _build_004(items: list[Item]) -> bytes:
    writer = _Writer()
    first = True
    for kind, item in _runs(items):
        assert kind == "para", "seed 004 has no tables"
        writer.blanks(item.blanks_before)
        text = item.text.strip()
        bullet = _BULLETED.match(text)
        if first:
            writer.paragraph(item, style="Title")
        elif bullet:
            writer.paragraph(item, bullet.group(1), "List Bullet")
        elif _LABELLED.match(text) and len(text) < 80:
            writer.labelled(item)
        elif _is_heading(text):
            writer.paragraph(item, style="Heading 2")
        else:
            writer.paragraph(item)
        first = False
    return writer.save()


_BUILDERS = {
    "000": _build_000,
    "001": _build_001,
    "002": _build_002,
    "003": _build_003,
    "004": _build_004,
}


def build_seed_docx(seed_id: str) -> bytes:
    """The .docx bytes of seed `seed_id` ("000" … "004")."""
    return _BUILDERS[seed_id](parse_rendering(seed_text(seed_id)))
