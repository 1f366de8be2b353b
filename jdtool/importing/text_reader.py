"""Read plain text (.txt, .md) into blocks.

Two table renderings are recognised:
- Word-to-text: a line starting with exactly one tab opens a cell; following lines without a tab
  continue that cell; a tab line after a blank line opens a new row. A cell may hold blank lines
  (Word's empty paragraphs that keep E/D values level with wrapped criteria), so an untabbed line
  after exactly one blank line still continues the last cell; two blank lines end the table.
- Markdown/pipe tables: `| a | b |` (outer bars optional: `a | b`), the `|---|` rule line skipped.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from .blocks import (
    MAX_LINES,
    Block,
    Paragraph,
    TableRow,
    check_block_count,
    check_paragraph_length,
    check_row_width,
    check_text_length,
    clean_text,
    marker_family,
    split_list_marker,
)
from .headings import is_key_line

_PIPE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}")
#: A pipe table written without its outer bars: "Criteria | Essential | Desirable".
_INLINE_PIPE = re.compile(r"\S \| (?:\S|$)")
#: HTML that Markdown tables use to put several paragraphs or list items in one cell.
_HTML_BREAK = re.compile(r"<br\s*/?>|</?(?:li|ul|ol|p)\s*>", re.IGNORECASE)
_MARKDOWN_HEADING = re.compile(r"^#{1,6}\s+")
#: A line of "=", "-" or "_" only, under a heading.
_UNDERLINE = re.compile(r"^\s*(?:={3,}|-{3,}|_{3,})\s*$")
#: A whole line in Markdown bold: "**Support for the teacher**".
_BOLD_LINE = re.compile(r"^(?:\*\*|__)(.+?)(?:\*\*|__)$")
_LONE_BULLET = re.compile(r"^[·•▪■□◦○●‣⁃∙¨\uf0b7\uf0a7\uf0d8\uf076\uf0fc*-]$")
_IMAGE_PLACEHOLDER = re.compile(r"\[(?:image|bookmark):[^\]]*\]", re.IGNORECASE)
#: Lines indented this far after a non-blank line are the wrapped tail of the line above
#: (fixed-width renderings of Word documents).
_CONTINUATION_INDENT = 6


def read_text(text: str) -> list[Block]:
    """Split text into paragraphs and table rows, in order."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x0b", "\n")
    text = text.replace("\u2028", "\n").replace("\u2029", "\n").replace("\f", "\n")
    blocks: list[Block] = []
    row: TableRow | None = None
    blank_run = 0
    previous_line = ""
    #: Cells in the last multi-cell row: a row with fewer is still open across one blank line
    #: (Word-to-text renderings leave a blank line inside a cell's last paragraph).
    row_width = 0
    #: The last line was a bullet glyph alone: the next line is that bullet's item.
    pending_bullet = False

    check_text_length(len(text))
    lines = text.split("\n")
    check_block_count(len(lines), MAX_LINES)
    lines = _rows_from_cell_streams(_rows_from_fixed_width(lines))
    for raw_line in lines:
        check_paragraph_length(raw_line)
        check_block_count(len(blocks))
        line = _IMAGE_PLACEHOLDER.sub("", raw_line).rstrip(" \n")
        if line.lstrip().startswith("|") or _INLINE_PIPE.search(line):
            row = None
            if not _PIPE_RULE.match(line):
                cells = line.strip().strip("|").split("|")
                check_row_width(len(cells))
                blocks.append(TableRow(cells=[_pipe_cell_paragraphs(cell) for cell in cells]))
            blank_run = 0
            previous_line = line
            continue

        single_tab_cell = line.startswith("\t") and not line.startswith("\t\t")
        if single_tab_cell:
            cell_text = clean_text(line[1:])
            row_is_open = row is not None and (
                blank_run == 0 or (blank_run == 1 and 2 <= len(row.cells) < row_width)
            )
            if row is not None and len(row.cells) >= 2:
                row_width = max(row_width, len(row.cells)) if row_is_open else len(row.cells)
            if not row_is_open:
                row = TableRow()
                blocks.append(row)
            assert row is not None
            row.cells.append([cell_text])
            check_row_width(len(row.cells))
            blank_run = 0
            previous_line = line
            continue

        if not line.strip(" \t"):
            blank_run += 1
            continue

        if row is not None and blank_run <= 1 and not (blank_run and is_key_line(line)):
            # (A key to the method letters after the table is not part of its last cell.)
            row.cells[-1].extend([""] * blank_run + [clean_text(line)])
            blank_run = 0
            previous_line = line
            continue
        row = None
        row_width = 0

        indent = len(line) - len(line.lstrip(" "))
        if (
            blank_run == 0
            and indent >= _CONTINUATION_INDENT
            and len(previous_line.strip()) >= 60
            and blocks
            and isinstance(blocks[-1], Paragraph)
            and split_list_marker(line)[1] is None
        ):
            blocks[-1].text = f"{blocks[-1].text} {clean_text(line)}"
            previous_line = line
            continue

        underlined = blocks[-1] if blocks and blank_run == 0 else None
        if (
            _UNDERLINE.match(line)
            and isinstance(underlined, Paragraph)
            and underlined.list_kind is None
        ):
            # "=====" or "-----" under a line: that line is a heading (Markdown's setext style).
            underlined.heading_level = 1 if "=" in line else 2
            previous_line = line
            continue
        heading = _MARKDOWN_HEADING.match(line.strip())
        stripped = line.strip()[heading.end() :] if heading else line.strip()
        if _LONE_BULLET.match(stripped):
            # A bullet glyph on a line of its own: the item's text is on the next line.
            pending_bullet = True
            continue
        bold = _BOLD_LINE.match(stripped)
        if bold:
            stripped = bold.group(1).strip()
        body, list_kind = split_list_marker(stripped)
        marker = marker_family(stripped)
        if pending_bullet and list_kind is None:
            list_kind, marker = "bullet", "bullet"
        pending_bullet = False
        blocks.append(
            Paragraph(
                text=clean_text(body),
                list_kind=list_kind,
                gap_before=blank_run,
                marker=marker,
                level=len(line.expandtabs(4)) - len(line.expandtabs(4).lstrip(" ")),
                heading_level=heading.group().count("#") if heading else None,
                bold=bool(bold),
            )
        )
        blank_run = 0
        previous_line = line

    return [block for block in blocks if not _is_empty(block)]


#: Columns of a fixed-width table are set apart by three or more spaces.
_COLUMN_GAP = re.compile(r"\S+(?:[ ]{1,2}\S+)*")
#: A fixed-width table shows two rows lined up under its headings within this many lines (a
#: bound that keeps reading linear when many lines merely look like headings).
_FIRST_ROWS = 12
#: The most columns a fixed-width table is read with: person-spec tables have a few (criterion,
#: E/D or Essential and Desirable, a handful of methods); wider text is left as lines.
_MAX_FIXED_COLUMNS = 12
#: How far (characters) a cell may start left of its column's heading and still belong to it.
_COLUMN_SLACK = 2


def _segments(line: str) -> list[tuple[int, str]]:
    """(start, text) of each run of text set apart by three or more spaces."""
    return [(match.start(), match.group()) for match in _COLUMN_GAP.finditer(line)]


def _rows_from_fixed_width(lines: list[str]) -> list[str]:
    """Rebuild a table laid out in fixed-width text (columns lined up with spaces) as pipe rows.

    A line of three or more headings set apart by wide gaps, followed by lines whose text
    starts under those headings, is a table: each line becomes a row, its text put in the
    column it starts under; a line holding only first-column text that starts in lower case
    continues the row above (a wrapped cell).
    """
    result: list[str] = []
    index = 0
    while index < len(lines):
        line = lines[index].expandtabs(8)
        header = _segments(line) if "|" not in line and not line.startswith("\t") else []
        starts = [start for start, _ in header]
        rows: list[list[str]] = []
        lined_up = 0
        end = index + 1
        if 3 <= len(header) <= _MAX_FIXED_COLUMNS and all(
            len(text.split()) <= 4 for _, text in header
        ):
            while end < len(lines) and lines[end].strip():
                if end - index > _FIRST_ROWS and lined_up < 2:
                    break  # no row lined up under the headings soon after them: not a table
                segments = _segments(lines[end].expandtabs(8))
                cells = [""] * len(starts)
                for start, text in segments[: _MAX_FIXED_COLUMNS * 2]:
                    # The last column whose heading starts at or left of the text.
                    column = max(bisect_right(starts, start + _COLUMN_SLACK) - 1, 0)
                    cells[column] = f"{cells[column]} {text}".strip()
                if len(segments) > 1 and not any(cells[1:]):
                    break  # not lined up with the headings: the table has ended
                if rows and not any(cells[1:]) and cells[0][:1].islower():
                    rows[-1][0] = f"{rows[-1][0]} {cells[0]}"
                else:
                    rows.append(cells)
                    lined_up += any(cells[1:])
                end += 1
        if len(rows) >= 2 and lined_up >= 2:
            result.append("| " + " | ".join(text for _, text in header) + " |")
            result.extend("| " + " | ".join(row) + " |" for row in rows)
            index = end
            continue
        result.append(lines[index])
        index += 1
    return result


def _pipe_cells(line: str) -> list[str]:
    return line.strip().strip("|").split("|")


def _is_full_pipe_row(line: str) -> bool:
    """A pipe-table row written whole on one line, closing bar included."""
    stripped = line.strip()
    return stripped.endswith("|") and len(_pipe_cells(stripped)) >= 2 and not _PIPE_RULE.match(line)


def _rows_from_cell_streams(lines: list[str]) -> list[str]:
    """Rebuild pipe rows from a rendering that puts each cell on lines of its own, closed by a
    bar ("Qualifications |", "Hold GCSE … |"), after a header row written whole. The cells are
    regrouped by the header's width; text after the last bar is an ordinary paragraph."""
    result: list[str] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        result.append(line)
        index += 1
        if not _is_full_pipe_row(line):
            continue
        width = len(_pipe_cells(line))
        end = index
        blank_run = 0
        while end < len(lines) and not _is_full_pipe_row(lines[end]) and blank_run < 2:
            blank_run = blank_run + 1 if not lines[end].strip() else 0
            end += 1
        region = lines[index:end]
        rows = [part.strip() for part in region if part.strip()]
        if not any("|" in part for part in rows) or all(
            len(part) > 1 and part.startswith("|") and part.endswith("|") for part in rows
        ):
            continue  # whole rows on their lines (or no table): left to the row reader
        stream = "\n".join(region)
        closed, _, tail = stream.rpartition("|")
        cells = [cell.strip() for cell in closed.split("|") if cell.strip()]
        for start in range(0, len(cells), width):
            row = cells[start : start + width]
            result.append("| " + " | ".join(cell.replace("\n", "<br>") for cell in row) + " |")
        result.extend(part for part in tail.split("\n") if part.strip())
        index = end
    return result


def _pipe_cell_paragraphs(cell: str) -> list[str]:
    """A pipe-table cell's paragraphs: Markdown writers put lists in cells as HTML."""
    parts = [clean_text(part) for part in _HTML_BREAK.split(cell)]
    return [part for part in parts if part] or [""]


def _is_empty(block: Block) -> bool:
    if isinstance(block, Paragraph):
        return not block.text
    return False
