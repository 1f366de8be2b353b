"""Units: a document's blocks regrouped for reading.

Paragraphs stay as they are; two-column rows with a short label on the left pair the label with
its value or content; a person-spec table's header row starts a grid that collects the rows
under it (a repeated header, a second header row and a key to the method letters are placed
here, not read as criteria); other table cells become paragraphs. Numbered or capitalised list
items that head lists of their own become headings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .blocks import Block, Paragraph, TableRow, flat, split_list_marker
from .headings import (
    DUTY_HEADINGS,
    EXTRA_HEADINGS,
    PURPOSE_HEADINGS,
    heading_key,
    is_in_capitals,
    is_key_line,
    is_spec_title,
)
from .spec_tables import Grid, grid_columns, method_header_row

#: Labels seen in the posting details job boards add around a JD; never JD header fields.
POSTING_LABELS = {
    "posting date", "closing date", "job reference", "company", "job type", "date posted",
    "expiry date", "apply by", "start date", "interview date", "vacancy reference",
}  # fmt: skip


@dataclass
class Unit:
    paragraphs: list[Paragraph]
    #: The left cell of a two-column row, when the row is a label beside its content.
    label: str | None = None
    #: Job-board posting details (closing date, job reference): not part of the JD.
    skip: bool = False
    #: The position of the source block (paragraph or table row) this unit came from.
    block: int = -1


def units_of(blocks: list[Block], placed: dict[int, list[str]]):
    """Regroup blocks: paragraphs stay, label/value rows pair, person-spec tables become grids.

    Each unit knows the block it came from; rows used up here (a table's header, its key) are
    put in `placed` with what they were.
    """
    grid: Grid | None = None
    index = 0
    while index < len(blocks):
        block = blocks[index]
        if isinstance(block, Paragraph):
            grid = None
            yield Unit(paragraphs=[block], block=index)
            index += 1
            continue
        if grid is not None and block.table in (grid.table, 0):
            texts = [block.cell_text(i) for i in range(len(block.cells))]
            if not grid.rows and (refined := method_header_row(block, grid.columns)):
                grid.columns = refined
                placed[index] = ["person-spec table header (its second row)"]
            elif texts == grid.header:
                placed[index] = ["person-spec table header (repeated)"]
            elif is_key_line(" ".join(block.filled_cells())):
                placed[index] = ["ignored: the key to the assessment-method letters"]
            else:
                grid.rows.append(block)
                grid.row_blocks.append(index)
            index += 1
            continue
        columns = grid_columns(block)
        if columns is not None:
            grid = Grid(
                columns=columns,
                table=block.table,
                header=[block.cell_text(i) for i in range(len(block.cells))],
            )
            placed[index] = ["person-spec table header"]
            yield grid
            index += 1
            continue
        if _is_label_value(block):
            group_end = index
            while group_end < len(blocks) and isinstance(blocks[group_end], TableRow):
                if not _is_label_value(blocks[group_end]):  # type: ignore[arg-type]
                    break
                group_end += 1
            group = blocks[index:group_end]
            labels = {heading_key(row.cell_text(0)) for row in group}  # type: ignore[union-attr]
            posting = bool(labels & POSTING_LABELS)
            for offset, row in enumerate(group):
                assert isinstance(row, TableRow)
                yield Unit(
                    paragraphs=[_cell_paragraph(line) for line in row.cells[1] if line.strip()],
                    label=row.cell_text(0),
                    skip=posting,
                    block=index + offset,
                )
            index = group_end
            continue
        for cell in block.cells:
            lines = [line for line in cell if line.strip()]
            if _is_wrapped_heading(lines):
                yield Unit(
                    paragraphs=[Paragraph(text=" ".join(flat(line) for line in lines))],
                    block=index,
                )
                continue
            gap = 0
            for line in cell:
                if line.strip():
                    yield Unit(paragraphs=[_cell_paragraph(line, gap)], block=index)
                    gap = 0
                else:
                    gap += 1
        if not block.filled_cells():
            placed[index] = ["ignored: an empty table row"]
        index += 1


def promote_list_headings(units: list) -> list:
    """Numbered items that head lists of their own ("1. Support for pupils" over "a) …" or
    indented bullets), and list items in capitals ("b) DUTIES"), become headings."""
    paragraphs = [
        (position, unit.paragraphs[0])
        for position, unit in enumerate(units)
        if isinstance(unit, Unit) and unit.label is None and unit.paragraphs
    ]
    for index, (position, paragraph) in enumerate(paragraphs):
        if paragraph.list_kind is None:
            continue
        plain = flat(paragraph.text)
        if len(plain.split()) > 10 or re.search(r"[.;:,!?]$", plain):
            continue
        following = [p for _, p in paragraphs[index + 1 : index + 3]]
        nested = (
            paragraph.marker in ("decimal", "alpha", "roman")
            and len(following) == 2
            and all(
                p.list_kind is not None
                and (p.marker != paragraph.marker or p.level > paragraph.level)
                for p in following
            )
        )
        key = heading_key(plain)
        listed = key in PURPOSE_HEADINGS | DUTY_HEADINGS | EXTRA_HEADINGS or is_spec_title(key)
        capitals = is_in_capitals(plain) and 2 <= len(plain.split()) <= 6  # not "QTS", "GCSE"
        if nested or listed or capitals:
            units[position].paragraphs[0] = Paragraph(
                text=paragraph.text,
                gap_before=paragraph.gap_before,
                heading_level=paragraph.heading_level or 2,
                bold=paragraph.bold,
            )
    return units


def _is_wrapped_heading(lines: list[str]) -> bool:
    """A heading Word wrapped over two or three lines of one cell ("Principal/Accountabilities")."""
    if not 2 <= len(lines) <= 3:
        return False
    joined = " ".join(flat(line) for line in lines)
    key = heading_key(joined)
    return key in PURPOSE_HEADINGS | DUTY_HEADINGS | EXTRA_HEADINGS or is_spec_title(key)


def _cell_paragraph(line: str, gap: int = 0) -> Paragraph:
    body, list_kind = split_list_marker(line)
    return Paragraph(text=body, list_kind=list_kind, gap_before=gap)


def _is_label_value(row: TableRow) -> bool:
    if len(row.cells) != 2:
        return False
    label = row.cell_text(0)
    return bool(label) and len(label) <= 60 and len(row.cells[0]) <= 3
