"""Person-spec tables: which column holds what, from the header row and from the cells.

A person-spec table is read as a grid whose header row names its columns: the criteria (and a
category column beside them), E/D, Essential and Desirable, one column per assessment method
(ticked per row) or one column of method names or letters. A header may take two rows
("Method of assessment" over "Application | Interview"); a column the header left as text is
retyped by its content (every cell an E/D value, or every cell naming methods). Also here: what
counts as a mark (✓ X • Yes), method names and letters, and how a cell splits into criteria.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .blocks import TableRow, flat, split_list_marker
from .headings import is_in_capitals

#: Where a text rendering joined a table cell's paragraphs with " / ": the slash is followed by a
#: bullet or a capital ("… classroom / • Knowledge of …"), unlike "children / young people".
_JOINED_PARAGRAPHS = re.compile(r"\s+/\s+(?=[·•▪\uf0b7¨]|[A-Z])")
#: A cell line that only joins two criteria ("Have either (A) or (B):" / "OR").
_CONNECTIVES = {"or", "and", "and/or", "either", "plus"}

_MARKS = {
    "x",
    "✓",
    "✔",
    "√",
    "•",
    "·",
    "*",
    "y",
    "yes",
    "\uf0b7",
    "\uf0fc",
    "\uf0a7",
    "¨",
    "✗",
    "☑",
    "■",
}

#: Header-cell words naming an assessment method, and the single letters employers use.
_METHOD_WORDS = (
    ("application", "application"), ("interview", "interview"), ("reference", "references"),
    ("observation", "observation"), ("certificate", "certificates"), ("task", "task"),
    ("test", "task"), ("exercise", "task"), ("presentation", "task"), ("dbs", "certificates"),
)  # fmt: skip

#: A header over a column in which each row names its methods in words or letters.
_METHODS_HEADER = re.compile(
    r"how (?:identified|assessed|evidenced|tested|measured)|identified (?:by|through|from)"
    r"|(?:method|means|mode)s? of (?:assessment|identification|evidence)|assessment(?: methods?)?"
    r"|assessed (?:by|through|via)|evidence(?:d by)?|source of evidence"
)

_METHOD_LETTERS = {
    "a": "application", "i": "interview", "r": "references", "t": "task",
    "o": "observation", "c": "certificates", "af": "application", "app": "application",
    "ref": "references", "refs": "references", "int": "interview",
}  # fmt: skip


@dataclass
class Column:
    #: "text", "ed", "essential", "desirable", "method" (one method, ticked per row), "methods"
    #: (method names written in the cell, e.g. "Application / Interview") or "merged" (a column
    #: the header's merged cell covers; its cells belong to the column before it).
    kind: str
    method: str | None = None


@dataclass
class Grid:
    columns: list[Column]
    #: Which Word table the header row came from (0 for text renderings).
    table: int = 0
    #: The header row's cell texts, to know the header again where it repeats.
    header: list[str] = field(default_factory=list)
    #: The source block of each row in `rows`.
    row_blocks: list[int] = field(default_factory=list)
    rows: list[TableRow] = field(default_factory=list)


def grid_columns(row: TableRow) -> list[Column] | None:
    """Name the columns of a person-spec table from its header row, or None if it is not one."""
    if len(row.cells) < 2:
        return None
    columns = [
        Column("merged") if i in row.fillers else _column_kind(row.cell_text(i))
        for i in range(len(row.cells))
    ]
    if columns[0].kind == "methods" and all(c.kind != "text" for c in columns[1:]):
        # "Method of Assessment" over the criteria column: a caption, not the methods.
        columns[0] = Column("text")
    kinds = {column.kind for column in columns}
    if "text" not in kinds or kinds == {"text"}:
        return None
    if (
        not kinds & {"ed", "essential", "desirable"}
        and sum(c.kind == "method" for c in columns) < 2
    ):
        return None
    return columns


def _column_kind(header: str) -> Column:
    lowered = flat(header).lower().strip(" :*()")
    if not lowered:
        return Column("text")
    if re.search(
        r"\bess\w*\b.*(?:\bor\b|/)\s*desirable|^e\s*/\s*d$|^e\s*or\s*d$|^priority$|^e\s*/\s*d\b",
        lowered,
    ):
        return Column("ed")
    if re.fullmatch(r"essential(?: criteria)?|e", lowered):
        return Column("essential")
    if re.fullmatch(r"desirable(?: criteria)?|d", lowered):
        return Column("desirable")
    if lowered in _METHOD_LETTERS:
        return Column("method", _METHOD_LETTERS[lowered])
    if _METHODS_HEADER.fullmatch(lowered) or re.fullmatch(r"(?:assessment )?methods?|how", lowered):
        return Column("methods")
    if len(lowered) <= 45:
        for word, method in _METHOD_WORDS:
            if word in lowered and "method of assessment" not in lowered:
                return Column("method", method)
    return Column("text")


def refine_columns(columns: list[Column], rows: list[TableRow]) -> list[Column]:
    """Columns by content: a column the header left as text but whose every filled cell is an
    E/D value becomes the E/D column; every cell naming methods, a methods column."""
    refined = list(columns)
    text_columns = [i for i, column in enumerate(columns) if column.kind == "text"]
    for i in text_columns[1:]:
        values = [row.cell_text(i) for row in rows if len(row.cells) > i and row.cell_text(i)]
        if len(values) < 2:
            continue
        if all(priority_from_value(value) for value in values):
            refined[i] = Column("ed")
        elif all(methods_named(value) and len(value.split()) <= 6 for value in values):
            refined[i] = Column("methods")
    return refined


def method_header_row(row: TableRow, columns: list[Column]) -> list[Column] | None:
    """The second row of a two-row header ("Method of assessment" over "Application |
    Interview"): the columns it names, or None when the row is not one."""
    cells = [row.cell_text(i) for i in range(len(row.cells))]
    named = {i: _column_kind(text) for i, text in enumerate(cells) if text}
    if (
        len(named) < 2
        or 0 in named  # the criteria column is empty in a header's second row
        or any(column.kind != "method" for column in named.values())
        or any(len(cells[i].split()) > 3 for i in named)
    ):
        return None
    refined = [columns[i] if i < len(columns) else Column("text") for i in range(len(cells))]
    for i, column in named.items():
        refined[i] = column
    return refined


def is_category_row(row: TableRow, filled: int, text_columns: list[int]) -> bool:
    """A row naming a category: a merged full-width row, or the category column alone."""
    if len(row.cells) == 1:
        return True
    if filled not in text_columns[:1]:
        return False
    if len(text_columns) >= 2:
        return True  # the first text column holds categories (criteria are in the second)
    name = flat(row.cell_text(filled))
    words = len(name.split())
    return words <= 6 and (name.endswith(":") or is_in_capitals(name) or words <= 3)


def holds_criteria(value: str) -> bool:
    """True when an Essential/Desirable cell holds criteria, not a mark or an E/D letter."""
    text = flat(value)
    return len(text.split()) >= 2 and not is_mark(text) and priority_from_value(text) is None


def criteria_in_cell(lines: list[str]) -> list[str]:
    """Split a cell into its criteria: one per paragraph, or per " / "-joined part where a text
    rendering put a cell's paragraphs on one line ("• Good IT skills / • Able to…")."""
    criteria = []
    for line in lines:
        for part in _JOINED_PARAGRAPHS.split(line):
            text, _ = split_list_marker(part.strip())
            if text and not is_mark(text) and text.lower().strip(" .") not in _CONNECTIVES:
                criteria.append(flat(text))
    return criteria


def methods_named(value: str) -> list[str]:
    """Method codes written out in a cell: "Application / Interview", "A, I", "Interview & refs"."""
    lowered = flat(value).lower()
    found = sorted(
        (position, method)
        for word, method in _METHOD_WORDS
        if (position := lowered.find(word)) >= 0
    )
    methods = list(dict.fromkeys(method for _, method in found))
    if methods:
        return methods
    letters = [token for token in re.split(r"[^a-z]+", lowered) if token]
    if letters and all(token in _METHOD_LETTERS for token in letters):
        return list(dict.fromkeys(_METHOD_LETTERS[token] for token in letters))
    return []


def cell_lines(row: TableRow, index: int) -> list[str]:
    if index >= len(row.cells):
        return []
    return [flat(line) for line in row.cells[index] if line.strip()]


def priority_from_value(value: str) -> str | None:
    lowered = flat(value).lower().strip(" .*")
    lowered = lowered.strip("()[] ")
    if lowered in ("e", "essential"):
        return "essential"
    if lowered in ("d", "desirable"):
        return "desirable"
    return None


def is_mark(value: str) -> bool:
    lowered = flat(value).lower()
    return lowered in _MARKS or (0 < len(lowered) <= 2 and not lowered.isalnum())
