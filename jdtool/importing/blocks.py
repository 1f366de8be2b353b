"""The common layout both readers produce: paragraphs and table rows, in document order.

A Word file and its text rendering give the same blocks, so one interpreter (`layout.py`) reads
both. Text renderings of Word tables put each cell on a line that starts with a single tab, the
cell's further paragraphs on the following lines, and a blank line between rows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .errors import UnreadableDocument

#: Glyphs that mark a bullet in the sources we have seen: Word's Symbol-font bullets come through
#: as "·", "", "¨" or "" when the font is lost.
BULLET_GLYPHS = "·•▪■□◦○●‣⁃∙¨✓✔\uf0b7\uf0a7\uf0d8\uf076\uf0fc-–—*>o"

_BULLET = re.compile(
    r"^\s*(?:[·•▪■□◦○●‣⁃∙¨\uf0b7\uf0a7\uf0d8\uf076\uf0fc]|[-–—*>✓✔](?=\s)|o(?=\s{2,}))\s*"
)
#: "1.", "1)", "(1)", "1.1", "a)", "(a)", "i)" followed by text.
_NUMBER = re.compile(
    r"^\s*(?:\d{1,2}(?:\.\d{1,2})+\.?(?=\s)|\(?\d{1,3}[.)]\)?|\(?[a-z]\)|\(?[ivx]{1,4}\)|[ivx]{1,4}\.(?=\s))"
    r"(?!\d)(?!\s*(?:hours?|hrs|weeks?|days?|am|pm|%))\s*"
)


#: Bounds on what a job description holds. The longest real JDs we have seen have about 150
#: paragraphs and table rows, paragraphs under 1,000 characters and tables four columns wide;
#: these leave room for thirty times that and keep reading a hostile file quick.
MAX_BLOCKS = 5_000
#: Lines of a text file, or paragraphs of a Word file counting those inside table cells.
MAX_LINES = 20_000
MAX_PARAGRAPH_CHARS = 20_000
#: All the text of a file; the longest real JD holds under 20,000 characters.
MAX_TEXT_CHARS = 1_000_000
MAX_CELLS = 100


def paragraph_too_long() -> UnreadableDocument:
    return UnreadableDocument(
        f"one paragraph is over {MAX_PARAGRAPH_CHARS:,} characters long, far more than a "
        "job description's; check it is the right file"
    )


def check_paragraph_length(text: str) -> None:
    """Refuse a paragraph far longer than any job description's."""
    if len(text) > MAX_PARAGRAPH_CHARS:
        raise paragraph_too_long()


def check_text_length(characters: int) -> None:
    """Refuse a file holding far more text than a job description."""
    if characters > MAX_TEXT_CHARS:
        raise UnreadableDocument(
            f"the file holds more than {MAX_TEXT_CHARS:,} characters of text, far more than a "
            "job description; check it is the right file"
        )


def check_block_count(count: int, limit: int = MAX_BLOCKS) -> None:
    """Refuse a file with far more paragraphs (or lines, or table rows) than a JD has."""
    if count > limit:
        raise UnreadableDocument(
            f"the file has more than {limit:,} paragraphs and table rows; a job description "
            "has a few hundred, so check it is the right file"
        )


def check_row_width(cells: int) -> None:
    if cells > MAX_CELLS:
        raise UnreadableDocument(
            f"a table in the file has more than {MAX_CELLS} columns; a job description's "
            "tables have a few, so check it is the right file"
        )


@dataclass
class Paragraph:
    text: str
    #: "bullet", "number" or None for an ordinary paragraph.
    list_kind: str | None = None
    #: Blank lines (or empty Word paragraphs) just before this one; a wide gap ends a list.
    gap_before: int = 0
    #: The family of its list marker: "decimal", "alpha", "roman" or "bullet" (None: no list).
    #: Two lists of different families, or levels, nest: "1." over "a)", a bullet under "1.".
    marker: str | None = None
    #: List nesting: Word's list level, or the indentation of a text line (0 at the margin).
    level: int = 0
    #: 1-6 for a Word heading style or outline level, or a Markdown "#" heading; else None.
    heading_level: int | None = None
    #: Every character of the paragraph is bold (by its runs or its style).
    bold: bool = False
    #: Its text is set at least two points larger than the document's body text.
    larger: bool = False

    def text_length(self) -> int:
        return len(self.text)


@dataclass
class TableRow:
    #: Each cell is its list of paragraph texts (empty strings kept: they align multi-line cells).
    cells: list[list[str]] = field(default_factory=list)
    #: Rows from the same Word table share a number; text renderings number rows 0.
    table: int = 0
    #: Positions that only stand in for the grid columns a merged cell covers (Word gridSpan).
    fillers: frozenset[int] = frozenset()

    def cell_text(self, index: int) -> str:
        if index >= len(self.cells):
            return ""
        return " ".join(part.strip() for part in self.cells[index] if part.strip())

    def text_length(self) -> int:
        return sum(len(part) for cell in self.cells for part in cell)

    def filled_cells(self) -> list[str]:
        return [text for text in (self.cell_text(i) for i in range(len(self.cells))) if text]


Block = Paragraph | TableRow


def split_list_marker(text: str) -> tuple[str, str | None]:
    """Return the text without a leading bullet or number, and which of the two it had."""
    bullet = _BULLET.match(text)
    if bullet and bullet.end() < len(text):
        return text[bullet.end() :].strip(), "bullet"
    number = _NUMBER.match(text)
    if number and number.end() < len(text) and not text[number.end() :].startswith(("%", "/")):
        return text[number.end() :].strip(), "number"
    return text.strip(), None


_ROMAN = re.compile(r"^\(?[ivx]{1,4}[.)]")
_ALPHA = re.compile(r"^\(?[a-z][.)]", re.IGNORECASE)


def marker_family(text: str) -> str | None:
    """The family of a line's typed list marker: "decimal", "alpha", "roman", "bullet" or None."""
    body, kind = split_list_marker(text)
    if kind is None:
        return None
    if kind == "bullet":
        return "bullet"
    marker = text.strip()[: max(1, len(text.strip()) - len(body))].strip()
    if _ROMAN.match(marker):
        return "roman"
    if _ALPHA.match(marker):
        return "alpha"
    return "decimal"


def clean_text(text: str) -> str:
    """Tidy spacing: drop zero-width characters, keep one tab where the source lined up columns.

    A tab, or a run of three or more spaces, separates a label from its value in many header
    layouts, so it survives as a single tab; `flat()` turns it into a space for stored text.
    """
    text = text.replace("\u00a0", " ").replace("\u200b", "").replace("\ufeff", "")
    text = _CONTROL_CHARACTERS.sub("", text)
    text = re.sub(r"[ ]*(?:\t[ \t]*|[ ]{3,})", "\t", text)
    return re.sub(r"[ ]{2,}", " ", text).strip(" \t")


#: Control characters other than tab, line feed and carriage return: meaningless in a document,
#: and PostgreSQL refuses NUL in text.
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def flat(text: str) -> str:
    """Return text with column tabs turned into single spaces."""
    return re.sub(r"\s+", " ", text).strip()
