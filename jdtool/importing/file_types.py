"""What a file really is, from its first bytes rather than its name (pure; no Flask, no database).

Uploads are checked with this before they are read or stored: a PNG renamed .docx, or a web page
renamed .png, is named for what it is in the refusal.
"""

from __future__ import annotations

import io
import unicodedata
import zipfile

#: Leading bytes of the kinds of file people upload by mistake (or on purpose), and how an HR
#: officer would call each.
_SIGNATURES: list[tuple[bytes, str]] = [
    (b"%PDF-", "a PDF document"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old-style Word .doc or a password-protected file"),
    (b"{\\rtf", "a Rich Text (.rtf) document"),
    (b"\x7fELF", "a program"),
    (b"\x1f\x8b", "a compressed (gzip) file"),
    (b"Rar!", "a compressed (RAR) archive"),
    (b"7z\xbc\xaf\x27\x1c", "a compressed (7-Zip) archive"),
]

#: Markup a browser would run if it were served back as a page.
_MARKUP = (b"<!doctype html", b"<html", b"<svg", b"<script", b"<?xml", b"<body", b"<head")


#: The kinds `describe` gives for text a browser would run, not binary content.
MARKUP_KINDS = ("an SVG image", "a web page or XML file")


def describe(data: bytes) -> str | None:
    """Name the kind of file `data` is ("a PDF document", "a PNG image"...); None for plain text
    or anything we do not recognise."""
    for signature, kind in _SIGNATURES:
        if data.startswith(signature):
            return kind
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        return _zip_kind(data)
    start = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if start.startswith(_MARKUP):
        return "an SVG image" if b"<svg" in data[:4096].lower() else "a web page or XML file"
    return None


def _zip_kind(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            names = set(package.namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return "a damaged zip archive"
    if "word/document.xml" in names:
        return "a Word .docx document"
    if "xl/workbook.xml" in names:
        return "an Excel spreadsheet"
    if "ppt/presentation.xml" in names:
        return "a PowerPoint presentation"
    if "content.xml" in names:
        return "an OpenDocument file"
    return "a zip archive"


def is_pdf(data: bytes) -> bool:
    return data.startswith(b"%PDF-")


def is_word_package(data: bytes) -> bool:
    return describe(data) == "a Word .docx document"


def looks_like_markup(data: bytes) -> bool:
    """Whether the bytes hold HTML, SVG or script anywhere near the start (a browser that sniffs
    content might run them)."""
    head = data[:4096].lower()
    return any(tag in head for tag in (b"<html", b"<script", b"<svg", b"<!doctype html", b"<body"))


#: Longest file name kept for display and download; longer names keep their start and extension.
MAX_FILENAME_CHARS = 120
_UNSAFE_IN_FILENAMES = {'"', "\\", "/"}
#: Control, format (e.g. right-to-left override, used to disguise "exe.pdf") and line separators.
_UNSAFE_CATEGORIES = {"Cc", "Cf", "Zl", "Zp"}


def display_filename(name: str) -> str:
    """An uploaded file's name, safe to store, show and send back in a download header.

    Browsers may send a whole path ("C:\\Users\\...\\jd.docx") or a crafted one ("../../x",
    CR/LF to forge headers, quotes): keep the last path part, drop control characters and
    quotes, and shorten it. Accented and other non-ASCII letters are kept.
    """
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(
        " "
        if char in _UNSAFE_IN_FILENAMES or unicodedata.category(char) in _UNSAFE_CATEGORIES
        else char
        for char in name
    )
    name = " ".join(name.split()).strip(" .")
    if len(name) > MAX_FILENAME_CHARS:
        stem, dot, suffix = name.rpartition(".")
        if dot and 0 < len(suffix) <= 10:
            name = stem[: MAX_FILENAME_CHARS - len(suffix) - 1].rstrip() + "." + suffix
        else:
            name = name[:MAX_FILENAME_CHARS]
    return name or "upload"
