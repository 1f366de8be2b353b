"""Read job descriptions from Word and text files into plain dataclasses (no database, no Flask)."""

from __future__ import annotations

import codecs
from pathlib import PurePath

from ..document import JobDocument
from .blocks import check_block_count, check_text_length
from .docx_reader import read_docx
from .errors import UnreadableDocument
from .file_types import MARKUP_KINDS, describe
from .layout import read_layout
from .text_reader import read_text

#: The largest file we accept. A long JD with a school logo is a few hundred kilobytes; real
#: Word files with photographs stay well under this.
MAX_FILE_BYTES = 20 * 1024 * 1024
SUPPORTED_SUFFIXES = (".docx", ".txt", ".md")

__all__ = ["JobDocument", "UnreadableDocument", "read_document", "MAX_FILE_BYTES"]

#: Byte-order marks of the UTF-16/32 text Windows editors save as "Unicode" (longest first).
_UNICODE_BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
]


#: Kinds the Word reader itself explains better (what is missing or damaged in the package).
_LEFT_TO_THE_WORD_READER = {
    "a Word .docx document",
    "a zip archive",
    "a damaged zip archive",
    "an old-style Word .doc or a password-protected file",
}


def _cp1252_for_bad_utf8(error: UnicodeError) -> tuple[str, int]:
    """Read bytes that are not UTF-8 as Windows-1252: text pasted together from several editors
    mixes the two, and a pound sign or curly quote in either should survive."""
    assert isinstance(error, UnicodeDecodeError)  # registered for decoding only
    bad = error.object[error.start : error.end]
    return bad.decode("cp1252", errors="replace"), error.end


codecs.register_error("jdtool-cp1252", _cp1252_for_bad_utf8)


def read_document(filename: str, data: bytes) -> JobDocument:
    """Read one file's bytes; raise UnreadableDocument with a plain reason when we cannot."""
    suffix = PurePath(filename).suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise UnreadableDocument(
            f"files of type '{suffix or 'none'}' are not supported (use .docx, .txt or .md)"
        )
    # The size first, and no copies of the bytes before it: a huge upload costs no more memory.
    if len(data) > MAX_FILE_BYTES:
        raise UnreadableDocument(
            f"the file is {len(data) / 1024 / 1024:.0f} MB; the limit is "
            f"{MAX_FILE_BYTES // 1024 // 1024} MB"
        )
    if not data or data.isspace():
        raise UnreadableDocument("the file is empty")
    if suffix == ".docx":
        kind = describe(data)
        if kind is not None and kind not in _LEFT_TO_THE_WORD_READER:
            raise UnreadableDocument(f"it is not a Word .docx file (it is {kind})")
        blocks = read_docx(data)
    else:
        text = _decode(data)
        if not text.strip("\ufeff\u00a0\u200b \t\r\n\x0b\x0c"):
            raise UnreadableDocument("the file is empty")
        blocks = read_text(text)
    check_block_count(len(blocks))
    check_text_length(sum(block.text_length() for block in blocks))
    document = read_layout(blocks)
    if not document.landmarks or (not document.duties() and not document.criteria()):
        raise UnreadableDocument(
            "no duties or person-specification criteria were found; it does not look like a "
            "job description"
        )
    return document


def _decode(data: bytes) -> str:
    for bom, encoding in _UNICODE_BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                raise UnreadableDocument(
                    "the text file is damaged (it starts as Unicode text but does not continue "
                    "as it); save it again as UTF-8 text"
                ) from None
    kind = describe(data)
    if kind in MARKUP_KINDS:
        raise UnreadableDocument(f"it is {kind}, not plain text; save it as .docx or .txt")
    if kind is not None:
        hint = "; rename it to .docx" if kind == "a Word .docx document" else ""
        raise UnreadableDocument(f"it is a binary file ({kind}), not text{hint}")
    if b"\x00" in data[:4096]:
        raise UnreadableDocument("it is a binary file, not text")
    return data.decode("utf-8-sig", errors="jdtool-cp1252")
