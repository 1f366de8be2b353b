"""Read job descriptions from Word and text files into plain dataclasses (no database, no Flask)."""

from __future__ import annotations

from pathlib import PurePath

from .docx_reader import read_docx
from .errors import UnreadableDocument
from .layout import read_layout
from .structure import JobDocument
from .text_reader import read_text

#: The largest file we accept. A long JD with a school logo is a few hundred kilobytes; real
#: Word files with photographs stay well under this.
MAX_FILE_BYTES = 20 * 1024 * 1024
SUPPORTED_SUFFIXES = (".docx", ".txt", ".md")

__all__ = ["JobDocument", "UnreadableDocument", "read_document", "MAX_FILE_BYTES"]


def read_document(filename: str, data: bytes) -> JobDocument:
    """Read one file's bytes; raise UnreadableDocument with a plain reason when we cannot."""
    suffix = PurePath(filename).suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise UnreadableDocument(
            f"files of type '{suffix or 'none'}' are not supported (use .docx, .txt or .md)"
        )
    if not data.strip() or (
        suffix != ".docx" and not data.decode("utf-8", "ignore").strip("\ufeff\u00a0\u200b \t\r\n")
    ):
        raise UnreadableDocument("the file is empty")
    if len(data) > MAX_FILE_BYTES:
        raise UnreadableDocument(
            f"the file is {len(data) / 1024 / 1024:.0f} MB; the limit is "
            f"{MAX_FILE_BYTES // 1024 // 1024} MB"
        )
    blocks = read_docx(data) if suffix == ".docx" else read_text(_decode(data))
    document = read_layout(blocks)
    if not document.landmarks or (not document.duties() and not document.criteria()):
        raise UnreadableDocument(
            "no duties or person-specification criteria were found; it does not look like a "
            "job description"
        )
    return document


def _decode(data: bytes) -> str:
    if data.startswith(b"PK\x03\x04") or b"\x00" in data[:4096]:
        raise UnreadableDocument("it is a binary file, not text")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")
