"""Application-form PDFs without the metadata that can name the applicant (pure: no Flask, no
database).

A PDF's document information (author, title, subject, creator, producer, keywords) and its XMP
packets (on the document, its pages, images and fonts) often carry the applicant's name; an
anonymised panel must not see it. The pages, their content and form fields are kept.
"""

from __future__ import annotations

import io
import warnings

from pypdf import PdfReader, PdfWriter
from pypdf.errors import PyPdfError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, PdfObject

#: Far above any application form; a file with more pages is refused rather than rewritten.
MAX_PAGES = 500
#: Objects visited while removing XMP packets (a bound, so a crafted file cannot make it loop).
MAX_OBJECTS = 200_000


class UnreadablePdf(ValueError):
    """The bytes start like a PDF but cannot be read as one (damaged, encrypted, too large)."""


def without_metadata(data: bytes) -> bytes:
    """The same PDF without document information or XMP metadata."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a damaged file is refused below, not warned about
        return _rewritten(data)


def _rewritten(data: bytes) -> bytes:
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise UnreadablePdf("it is protected by a password; send it without one")
        if len(reader.pages) > MAX_PAGES:
            raise UnreadablePdf(f"it has more than {MAX_PAGES} pages")
        if len(reader.pages) == 0:
            raise UnreadablePdf("it has no pages")
        for page in reader.pages:
            _drop_xmp(page)
        writer = PdfWriter()
        writer.append(reader, import_outline=False)
        writer.metadata = None
        output = io.BytesIO()
        writer.write(output)
    except UnreadablePdf:
        raise
    except (PyPdfError, ValueError, TypeError, KeyError, AttributeError, RecursionError) as error:
        raise UnreadablePdf("it is damaged and cannot be read as a PDF") from error
    return output.getvalue()


def _drop_xmp(page: PdfObject) -> None:
    """Remove every /Metadata entry reachable from a page (the page, its images, fonts…)."""
    seen: set[tuple[int, int]] = set()
    waiting: list[PdfObject] = [page]
    while waiting:
        if len(seen) > MAX_OBJECTS:
            raise UnreadablePdf("it has too many parts")
        item: PdfObject | None = waiting.pop()
        if isinstance(item, IndirectObject):
            key = (item.idnum, item.generation)
            if key in seen:
                continue
            seen.add(key)
            item = item.get_object()
        if isinstance(item, DictionaryObject):
            item.pop("/Metadata", None)
            waiting.extend(value for name, value in item.items() if name != "/Parent")
        elif isinstance(item, ArrayObject):
            waiting.extend(item)
