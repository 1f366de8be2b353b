"""The person specification: criteria read from lines of text and from person-spec tables.

`PersonSpecReader` reads categories and criteria written as text (an "Essential:" line sets
the priority of what follows, a bracketed note or a sentence about the criteria is left out)
and the rows of a person-spec grid (category rows, nested categories, criteria with their E/D
value and assessment methods, cells holding several criteria). Where the source does not say a
criterion's priority or methods they stay unknown.
"""

from __future__ import annotations

import re

from ..document import Criterion
from .blocks import Paragraph, TableRow, flat, split_list_marker
from .duties import STATEMENT
from .headings import heading_text, is_in_capitals
from .reader_state import ReaderState
from .spec_tables import (
    Column,
    Grid,
    cell_lines,
    criteria_in_cell,
    holds_criteria,
    is_category_row,
    is_mark,
    methods_named,
    priority_from_value,
    refine_columns,
)

#: A sentence about the criteria themselves, not one of them (ten words or more).
_ABOUT_CRITERIA = re.compile(
    r"^(?=(?:\S+\s+){9})(?:the following|these|some or all|all (?:of )?the|candidates|"
    r"applicants|you)\b.*\bcriteri(?:a|on)\b",
    re.IGNORECASE,
)
_FORMAT_NOTE = re.compile(r"\b(?:italics?|bold|underlined?|shaded|highlighted)\b", re.IGNORECASE)
#: A line saying which priority the criteria under it have: "SECTION 1 – ESSENTIAL CRITERIA",
#: "Essential:", "Desirable requirements".
_SPEC_PRIORITY_HEADING = re.compile(
    r"\b(essential|desirable)\s+(?:criteria|requirements)\b|^(essential|desirable)\s*:?$",
    re.IGNORECASE,
)


class PersonSpecReader(ReaderState):
    """Person-spec categories and criteria, from text lines and from grids."""

    def _read_spec_line(self, paragraph: Paragraph, plain: str) -> str:
        if _FORMAT_NOTE.search(plain) and re.search(r"essential|desirable", plain, re.I):
            self.document.warnings.append(
                "The person specification marks essential/desirable by text formatting "
                f"(\u201c{plain.strip('()')}\u201d); those priorities are left unknown."
            )
            return "ignored: a note that E/D is shown by formatting the text has lost"
        if paragraph.list_kind is None and STATEMENT.search(plain) and len(plain.split()) >= 8:
            # A safeguarding or equal-opportunities sentence after the person specification.
            self.document.statements.append(plain)
            return "statement"
        if paragraph.list_kind is None and plain.startswith("(") and self.document.has_criteria():
            # A bracketed note under the criteria ("(Level 2 qualifications are equivalent…").
            return "ignored: a note under the person specification"
        if paragraph.list_kind is None and _ABOUT_CRITERIA.search(plain):
            # "The following are essential criteria which will be measured at shortlisting…"
            return "ignored: a note to applicants about the criteria"
        priority_heading = _SPEC_PRIORITY_HEADING.search(plain)
        if priority_heading and paragraph.list_kind is None and len(plain.split()) <= 8:
            self.spec_priority = _priority_named(priority_heading)
            # "Essential:" inside a category holds for that category only.
            self.priority_in_category = priority_heading.group(2) is not None
            return "heading (essential or desirable criteria)"
        if self.priority_in_category and paragraph.list_kind is None and _is_upper_or_short(plain):
            self.spec_priority = None
            self.priority_in_category = False
        is_heading = (
            paragraph.list_kind is None
            and len(plain.split()) <= 6
            and not re.search(r"[.;,]$", plain)
            and plain[:1].isupper()
        )
        # Straight under a category name, a phrase of four or more words is its first criterion
        # whose bullet was lost, not a second category with nothing in the first.
        lost_bullet = self.category is not None and not self.category.criteria
        if is_heading and not (lost_bullet and len(plain.split()) >= 4):
            self._open_category(heading_text(plain))
            return "person-spec category"
        if self.category is None:
            self._open_category("Person specification")
        assert self.category is not None
        criteria = self.category.criteria
        if criteria and plain[:1].islower() and not re.search(r"[.;!?]$", criteria[-1].text):
            criteria[-1].text = f"{criteria[-1].text} {plain}"
            return "criterion"
        criteria.append(Criterion(text=plain, priority=self.spec_priority))
        return "criterion"

    def _read_grid(self, grid: Grid) -> list[str]:
        """Read a person-spec table's rows; return where each row went."""
        self.document.landmarks += 1
        places: list[str] = []
        columns = refine_columns(grid.columns, grid.rows)
        text_columns = [i for i, column in enumerate(columns) if column.kind == "text"]
        merged = [i for i, column in enumerate(columns) if column.kind == "merged"]
        for i in text_columns[2:] + merged:
            # Beyond a category column and a criteria column, a column of text has no place.
            if any(row.cell_text(i) for row in grid.rows):
                heading = grid.header[i] if i < len(grid.header) and grid.header[i] else ""
                self._find(
                    f"The person-spec table's column {i + 1}"
                    + (f" (“{heading}”)" if heading else "")
                    + " is neither E/D, a method nor the criteria; its cells were not imported.",
                    heading,
                    stage="tables",
                    alternative="E/D, assessment methods or criteria",
                )
        parent: str | None = None
        parent_is_upper = False
        last_was_category = False
        for row in grid.rows:
            filled = [i for i in range(len(row.cells)) if row.cell_text(i)]
            if not filled:
                places.append("ignored: an empty table row")
                continue
            if len(filled) == 1 and is_category_row(row, filled[0], text_columns):
                name = heading_text(row.cell_text(filled[0]))
                priority_heading = _SPEC_PRIORITY_HEADING.search(name)
                if priority_heading and len(name.split()) <= 8:
                    self.spec_priority = _priority_named(priority_heading)
                    places.append("heading (essential or desirable criteria)")
                    continue
                is_upper = is_in_capitals(name)
                if last_was_category and self.category and not self.category.criteria:
                    parent, parent_is_upper = self.category.name, is_in_capitals(self.category.name)
                    self._open_category(name, parent=parent)
                elif parent is not None and is_upper != parent_is_upper:
                    self._open_category(name, parent=parent)
                else:
                    parent = None
                    self._open_category(name)
                last_was_category = True
                places.append("person-spec category")
                continue
            last_was_category = False
            category = self.category
            before = len(category.criteria) if category else 0
            self._read_grid_row(row, columns, text_columns)
            added = self.category is not None and (
                len(self.category.criteria) > before
                if self.category is category
                else bool(self.category.criteria)
            )
            places.append("criterion" if added else "ignored: a table row with no criterion")
        return places

    def _read_grid_row(self, row: TableRow, columns: list[Column], text_columns: list[int]):
        criteria_columns = [
            i
            for i, column in enumerate(columns)
            if column.kind in ("essential", "desirable") and holds_criteria(row.cell_text(i))
        ]
        if criteria_columns:
            self._read_priority_columns_row(row, columns, text_columns, criteria_columns)
            return
        if len(text_columns) >= 2:
            category_column, criterion_column = text_columns[0], text_columns[1]
            category_name = row.cell_text(category_column)
            if category_name:
                self._open_category(heading_text(category_name))
        elif text_columns:
            criterion_column = text_columns[0]
        else:
            return
        if self.category is None:
            self._open_category("Person specification")
        assert self.category is not None

        criterion_lines = cell_lines(row, criterion_column)
        other = [i for i, column in enumerate(columns) if column.kind != "text"]
        aligned = len(criterion_lines) > 1 and all(
            len(cell_lines(row, i)) in (0, len(criterion_lines)) for i in other
        )
        if not aligned:
            criterion_lines = [row.cell_text(criterion_column)] if criterion_lines else []
        elif any(len(cell_lines(row, i)) not in (0, len(criterion_lines)) for i in other):
            aligned = False
        for line_index, text in enumerate(criterion_lines):
            text, _ = split_list_marker(text)
            if not text:
                continue
            values = {
                i: (cell_lines(row, i)[line_index] if aligned and cell_lines(row, i) else "")
                if aligned
                else row.cell_text(i)
                for i in other
            }
            self.category.criteria.append(self._grid_criterion(text, columns, values))
        if len(criterion_lines) > 1 and not aligned:
            self.document.warnings.append(
                f"The E/D values beside '{criterion_lines[0][:40]}…' do not line up with its "
                "criteria; their priorities are left unknown."
            )

    def _read_priority_columns_row(
        self,
        row: TableRow,
        columns: list[Column],
        text_columns: list[int],
        criteria_columns: list[int],
    ) -> None:
        """A row whose Essential and Desirable cells hold the criteria themselves, beside the
        category's name; the methods written or ticked in the row apply to all of them."""
        if text_columns and row.cell_text(text_columns[0]):
            self._open_category(heading_text(row.cell_text(text_columns[0])))
        if self.category is None:
            self._open_category("Person specification")
        assert self.category is not None
        methods: list[str] = []
        for i, column in enumerate(columns):
            found: list[str] = []
            if column.kind == "methods":
                found = methods_named(row.cell_text(i))
            elif column.kind == "method" and is_mark(row.cell_text(i)):
                found = [column.method or ""]
            methods += [method for method in found if method not in methods]
        for i in criteria_columns:
            priority = columns[i].kind
            for text in criteria_in_cell(cell_lines(row, i)):
                self.category.criteria.append(
                    Criterion(text=text, priority=priority, methods=list(methods))
                )

    def _grid_criterion(self, text: str, columns, values: dict[int, str]) -> Criterion:
        priority: str | None = None
        methods: list[str] = []
        essential_marked = desirable_marked = False
        for i, value in values.items():
            column = columns[i]
            if column.kind == "ed":
                priority = priority or priority_from_value(value)
            elif column.kind == "essential":
                essential_marked = is_mark(value) or essential_marked
            elif column.kind == "desirable":
                desirable_marked = is_mark(value) or desirable_marked
            elif column.kind == "method" and is_mark(value) and column.method not in methods:
                methods.append(column.method or "")
            elif column.kind == "methods":
                methods += [method for method in methods_named(value) if method not in methods]
        if essential_marked != desirable_marked:
            priority = "essential" if essential_marked else "desirable"
        if priority is None and self.spec_priority:
            priority = self.spec_priority
        return Criterion(text=flat(text), priority=priority, methods=methods)


def _is_upper_or_short(plain: str) -> bool:
    """A line that could name a new category: short, unpunctuated, capitalised."""
    return len(plain.split()) <= 6 and not re.search(r"[.;,:]$", plain) and plain[:1].isupper()


def _priority_named(match: re.Match[str]) -> str:
    return (match.group(1) or match.group(2)).lower()
