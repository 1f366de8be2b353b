"""Hostile files for the importer and the uploads: damaged, malicious or disguised.

Shared by the fuzz tests, the upload tests and `scripts/fuzz_importers.py`. Every Word file here
is built with python-docx from our own wording (the seed JDs or the lines below), then damaged.
Each generator returns the bytes; `CATALOGUE` names the worst of them with the filename they are
uploaded under.
"""

from __future__ import annotations

import functools
import io
import random
import struct
import zipfile
import zlib
from collections.abc import Callable

import docx

from .seed_docx import build_seed_docx

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MB = 1024 * 1024

#: Lines in the shape of a JD (our own wording), for building large or odd documents.
JD_LINES = [
    "Job title: Teaching Assistant (1:1 SEN)",
    "Grade: NJC scale 3",
    "Main duties and responsibilities",
    "1. Support the pupil in class and at break times.",
    "2. Keep daily records of progress against EHCP outcomes.",
    "· Work with the class teacher to adapt lessons.",
    "Person specification",
    "Experience of working with children with SEND\tE\tApplication",
    "| Qualifications | Essential | Desirable |",
    "|---|---|---|",
    "| GCSE English and maths | X | |",
    "Signed: ........ Date: ........",
]


@functools.cache
def good_docx() -> bytes:
    """A real Word JD: seed 000 laid out as its original file was."""
    return build_seed_docx("000")


@functools.cache
def good_document_xml() -> bytes:
    return zipfile.ZipFile(io.BytesIO(good_docx())).read("word/document.xml")


def repack(
    source: bytes, replace: dict[str, bytes | None], *, stored: tuple[str, ...] = ()
) -> bytes:
    """The package `source` with members replaced (None drops one); others kept as they were."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(source)) as original,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package,
    ):
        for info in original.infolist():
            data = replace.get(info.filename, original.read(info.filename))
            if data is None:
                continue
            method = zipfile.ZIP_STORED if info.filename in stored else zipfile.ZIP_DEFLATED
            package.writestr(info.filename, data, compress_type=method)
        for name, data in replace.items():
            if data is not None and name not in original.namelist():
                method = zipfile.ZIP_STORED if name in stored else zipfile.ZIP_DEFLATED
                package.writestr(name, data, compress_type=method)
    return out.getvalue()


def with_document_xml(body: str, *, stored: bool = False) -> bytes:
    """The good package with its document body replaced by `body` (WordprocessingML)."""
    xml = f'<w:document xmlns:w="{W_NS}"><w:body>{body}</w:body></w:document>'.encode()
    return repack(
        good_docx(), {"word/document.xml": xml}, stored=("word/document.xml",) if stored else ()
    )


def paragraph(text: str) -> str:
    return f"<w:p><w:r><w:t xml:space='preserve'>{text}</w:t></w:r></w:p>"


# -- damaged packages ---------------------------------------------------------------------------


def truncated(data: bytes, fraction: float) -> bytes:
    return data[: int(len(data) * fraction)]


def flipped(data: bytes, rng: random.Random, count: int) -> bytes:
    """`count` random bytes replaced by random values."""
    damaged = bytearray(data)
    for _ in range(count):
        damaged[rng.randrange(len(damaged))] = rng.randrange(256)
    return bytes(damaged)


def without_part(name: str) -> bytes:
    return repack(good_docx(), {name: None})


def mutated_document_xml(rng: random.Random) -> bytes:
    """The good package with its document XML cut, spliced or byte-flipped (stored, so the damage
    reaches the XML parser rather than zlib)."""
    xml = bytearray(good_document_xml())
    operation = rng.choice(["cut", "splice", "flip", "duplicate", "drop-close-tags"])
    if operation == "cut":
        xml = xml[: rng.randrange(len(xml))]
    elif operation == "splice":
        start, end = sorted(rng.randrange(len(xml)) for _ in range(2))
        at = rng.randrange(len(xml))
        xml[at:at] = xml[start:end]
    elif operation == "flip":
        for _ in range(rng.randint(1, 20)):
            xml[rng.randrange(len(xml))] = rng.randrange(256)
    elif operation == "duplicate":
        start = xml.find(b"<w:body>") + len(b"<w:body>")
        end = xml.rfind(b"<w:sectPr")
        if 0 < start < end:
            xml[start:start] = bytes(xml[start:end]) * rng.randint(2, 20)
    else:
        xml = bytearray(xml.replace(b"</w:p>", b"", rng.randint(1, 50)))
    return repack(good_docx(), {"word/document.xml": bytes(xml)}, stored=("word/document.xml",))


def mutated_package(rng: random.Random) -> bytes:
    """A real Word file damaged in one of the ways files get damaged (or attacked)."""
    data = good_docx()
    operation = rng.choice(["truncate", "flip", "drop-part", "xml", "xml", "xml"])
    if operation == "truncate":
        return truncated(data, rng.random())
    if operation == "flip":
        return flipped(data, rng, rng.randint(1, 64))
    if operation == "drop-part":
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            return without_part(rng.choice(package.namelist()))
    return mutated_document_xml(rng)


# -- bombs ---------------------------------------------------------------------------------------


def zip_bomb(member: str = "word/document.xml", megabytes: int = 70) -> bytes:
    """A package whose `member` inflates to `megabytes` MB of zeros (the rest of a real JD kept)."""
    out = io.BytesIO()
    chunk = bytes(MB)
    with (
        zipfile.ZipFile(io.BytesIO(good_docx())) as original,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as package,
    ):
        for info in original.infolist():
            if info.filename != member:
                package.writestr(info.filename, original.read(info.filename))
        with package.open(member, "w", force_zip64=True) as handle:
            for _ in range(megabytes):
                handle.write(chunk)
    return out.getvalue()


def lying_zip_bomb(megabytes: int = 70) -> bytes:
    """document.xml inflates to `megabytes` MB but the zip directory claims 300 bytes."""
    data = bytearray(zip_bomb("word/document.xml", megabytes))
    name = b"word/document.xml"
    central = data.find(b"PK\x01\x02")
    while central >= 0:
        name_length = struct.unpack("<H", data[central + 28 : central + 30])[0]
        if bytes(data[central + 46 : central + 46 + name_length]) == name:
            data[central + 24 : central + 28] = struct.pack("<I", 300)
            break
        central = data.find(b"PK\x01\x02", central + 4)
    return bytes(data)


def many_entries(count: int = 5000) -> bytes:
    extra = {f"customXml/item{i}.xml": b"<a/>" for i in range(count)}
    return repack(good_docx(), extra)


def nested_zip_bomb() -> bytes:
    """A real JD carrying an embedded package that is itself a zip bomb (never opened)."""
    inner = zip_bomb("word/document.xml", 70)
    return repack(good_docx(), {"word/embeddings/package1.docx": inner})


def deep_nesting(depth: int = 100_000) -> bytes:
    nested = "<w:sdt><w:sdtContent>" * depth + "</w:sdtContent></w:sdt>" * depth
    return with_document_xml(paragraph("Duties") + nested, stored=True)


def deep_run_nesting(depth: int = 200) -> bytes:
    """Nesting under the depth limit, inside a paragraph (hyperlinks in smart tags in ...)."""
    inner = "<w:r><w:t>1. Support pupils in class.</w:t></w:r>"
    for _ in range(depth):
        inner = f"<w:smartTag>{inner}</w:smartTag>"
    return with_document_xml(paragraph("Main duties") + f"<w:p>{inner}</w:p>")


BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{i} "{("&lol" + str(i - 1 if i > 1 else "") + ";") * 10}">'
        for i in range(1, 10)
    )
    + f']><w:document xmlns:w="{W_NS}"><w:body>'
    + "<w:p><w:r><w:t>Duties</w:t></w:r></w:p><w:p><w:r><w:t>1. &lol9;</w:t></w:r></w:p>"
    + "</w:body></w:document>"
)


def entity_bomb(part: str = "word/document.xml") -> bytes:
    return repack(good_docx(), {part: BILLION_LAUGHS.encode()})


def external_entity(path: str, part: str = "word/document.xml") -> bytes:
    """XXE: the document pulls in a local file through an external entity."""
    xml = (
        f'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file://{path}">]>'
        f'<w:document xmlns:w="{W_NS}"><w:body>{paragraph("Main duties")}'
        "<w:p><w:r><w:t>1. &x;</w:t></w:r></w:p></w:body></w:document>"
    )
    return repack(good_docx(), {part: xml.encode()})


def parameter_entity(path: str) -> bytes:
    """XXE through a parameter entity in the DTD itself."""
    xml = (
        f'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY % x SYSTEM "file://{path}"> %x;]>'
        f'<w:document xmlns:w="{W_NS}"><w:body>{paragraph("Duties")}</w:body></w:document>'
    )
    return repack(good_docx(), {"word/document.xml": xml.encode()})


# -- huge content --------------------------------------------------------------------------------


def png(width: int, height: int, payload: bytes = b"") -> bytes:
    """A PNG header claiming width × height, with `payload` as its (not decoded) data."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", payload or zlib.compress(b"\x00" * 16))
        + chunk(b"IEND", b"")
    )


def huge_image(megabytes: int = 15) -> bytes:
    """A JD with a photograph of `megabytes` MB (random bytes stored uncompressed)."""
    payload = random.Random(7).randbytes(megabytes * MB)
    return repack(
        good_docx(),
        {"word/media/photo.png": png(4000, 3000, payload)},
        stored=("word/media/photo.png",),
    )


def image_with_absurd_dimensions() -> bytes:
    """A picture whose header claims 100000 × 100000 pixels (a decompression bomb if decoded)."""
    document = docx.Document()
    document.add_paragraph("Main duties and responsibilities")
    document.add_paragraph("1. Support the pupil in class.")
    document.add_picture(io.BytesIO(png(64, 64)))
    data = _saved(document)
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        image = next(name for name in package.namelist() if name.startswith("word/media/"))
    return repack(data, {image: png(100_000, 100_000)})


_WORDS = [
    "support", "pupil", "class", "teacher", "records", "progress", "outcomes", "plan", "lessons",
    "adapt", "safeguarding", "report", "concerns", "liaise", "parents", "carers", "therapists",
    "meetings", "reviews", "behaviour", "learning", "resources", "prepare", "maintain",
    "confidential", "personal", "care", "medical", "needs", "trips", "playground",
]  # fmt: skip


def words(rng: random.Random, count: int) -> str:
    """Varied JD-like wording (varied, so the XML compresses like a real document's)."""
    return " ".join(rng.choice(_WORDS) for _ in range(count))


def many_paragraphs(count: int = 200_000) -> bytes:
    rng = random.Random(count)
    body = paragraph("Main duties and responsibilities") + "".join(
        paragraph(f"{i % 90 + 1}. {words(rng, 8)}") for i in range(count)
    )
    return with_document_xml(body)


def many_tables(count: int = 20_000) -> bytes:
    rng = random.Random(count)
    tables = "".join(
        f"<w:tbl><w:tr><w:tc>{paragraph(words(rng, 6))}</w:tc><w:tc>{paragraph('E')}</w:tc>"
        "</w:tr></w:tbl>"
        for _ in range(count)
    )
    return with_document_xml(paragraph("Person specification") + tables)


def enormous_table_spans() -> bytes:
    """Cells claiming to span a billion columns and vertical merges that never end."""
    cell = (
        "<w:tc><w:tcPr><w:gridSpan w:val='1000000000'/><w:vMerge w:val='restart'/></w:tcPr>"
        + paragraph("Experience of SEND")
        + "</w:tc>"
    )
    continued = "<w:tc><w:tcPr><w:gridSpan w:val='1000000000'/><w:vMerge/></w:tcPr><w:p/></w:tc>"
    grid = "<w:tblGrid>" + "<w:gridCol w:w='10'/>" * 2 + "</w:tblGrid>"
    rows = f"<w:tr>{cell}{cell}</w:tr>" + f"<w:tr>{continued}{continued}</w:tr>" * 4000
    return with_document_xml(paragraph("Person specification") + f"<w:tbl>{grid}{rows}</w:tbl>")


def wide_table(columns: int = 20_000) -> bytes:
    rng = random.Random(columns)
    row = (
        "<w:tr>"
        + "".join(f"<w:tc>{paragraph(words(rng, 3))}</w:tc>" for _ in range(columns))
        + "</w:tr>"
    )
    return with_document_xml(paragraph("Person specification") + f"<w:tbl>{row * 3}</w:tbl>")


def huge_paragraph(megabytes: int = 15) -> bytes:
    rng = random.Random(megabytes)
    text = words(rng, megabytes * MB // 8)
    return with_document_xml(paragraph("Main duties") + paragraph("1. " + text))


def long_paragraphs_within_bounds(count: int = 50, length: int = 19_900) -> bytes:
    """Paragraphs as long as the bounds allow, up to the bound on all the text."""
    rng = random.Random(length)
    body = paragraph("Main duties and responsibilities") + "".join(
        paragraph(f"{i % 90 + 1}. " + words(rng, length // 8)[: length - 4]) for i in range(count)
    )
    return with_document_xml(body)


def long_lines_within_bounds(count: int = 4_900, length: int = 200) -> bytes:
    """Text just inside the paragraph-count and text-length bounds."""
    rng = random.Random(count)
    lines = ["Main duties and responsibilities"] + [
        f"{i % 90 + 1}. " + words(rng, length // 8)[: length - 4] for i in range(count)
    ]
    return "\n".join(lines).encode()


def long_table_within_bounds(rows: int = 4_900) -> bytes:
    """A person specification table as long as the bounds allow, as tab-cell text."""
    rng = random.Random(rows)
    lines = ["Person specification", "\tCriteria\n\tEssential\n\tDesirable\n"]
    lines += [f"\t{words(rng, 12)}\n\tX\n\t\n" for _ in range(rows)]
    return "\n".join(lines).encode()


# -- disguised files -----------------------------------------------------------------------------


def minimal_pdf(text: str = "Teaching Assistant") -> bytes:
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return out


def zip_of_photos() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        package.writestr("trip/photo1.png", png(10, 10))
        package.writestr("trip/list.txt", "beach\nhotel\n")
    return out.getvalue()


HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg">'
    b"<script>alert(document.cookie)</script></svg>"
)


def polyglot_png_html() -> bytes:
    """A valid PNG header followed by HTML: a browser sniffing content could run the script."""
    return png(1, 1) + HTML


def polyglot_pdf_zip() -> bytes:
    """A PDF whose tail is a Word package (zip readers look from the end, PDF readers from the
    start)."""
    return minimal_pdf() + good_docx()


def docx_with_pdf_header() -> bytes:
    return b"%PDF-1.4\n" + good_docx()


# -- text ----------------------------------------------------------------------------------------


def huge_line(megabytes: int = 15) -> bytes:
    return b"Main duties\n1. " + b"Support pupils " * (megabytes * MB // 15) + b"\n"


def huge_space_runs(megabytes: int = 15) -> bytes:
    """Long runs of spaces and tabs between words (the tidying regexes' worst case)."""
    unit = "Support" + " " * 2000 + "\t" * 50 + "  x  " * 100 + "\n"
    return ("Main duties\n" + unit * (megabytes * MB // len(unit))).encode()


def many_lines(count: int = 1_000_000) -> bytes:
    lines = [f"{i % 90 + 1}. Support pupil {i} in class." for i in range(count)]
    return ("Main duties and responsibilities\n" + "\n".join(lines)).encode()


def deeply_indented(levels: int = 1200) -> bytes:
    lines = [" " * level + f"{level % 9 + 1}. Support the pupil" for level in range(levels)]
    return ("Main duties\n" + "\n".join(lines)).encode()


def ragged_pipes(rows: int = 15_000) -> bytes:
    lines = ["| Criteria | Essential | Desirable |", "|---|---|"]
    for i in range(rows):
        lines.append("|" * (i % 40) + " Experience " + "| E " * (i % 7))
    return "\n".join(lines).encode()


def many_tab_cells(count: int = 8_000) -> bytes:
    return ("Person specification\n" + "\tExperience\n\tE\n\n" * count).encode()


def pipe_only(megabytes: int = 10) -> bytes:
    return b"| a " + b"|" * (megabytes * MB) + b"\n"


def mixed_encodings() -> bytes:
    """UTF-8 and Windows-1252 lines in one file, as copy-paste between editors leaves them, and
    bytes that are neither."""
    return (
        "Main duties\n1. Support the pupil – café\n".encode()
        + "2. Keep records – naïve £5\n".encode("cp1252")
        + b"3. Liaise with parents \xc3\x28 \x81\x8d\n"
    )


# -- the catalogue: name -> (filename, bytes builder) --------------------------------------------

CATALOGUE: dict[str, tuple[str, Callable[[], bytes]]] = {
    "truncated-docx": ("job.docx", lambda: truncated(good_docx(), 0.6)),
    "no-document-xml": ("job.docx", lambda: without_part("word/document.xml")),
    "no-content-types": ("job.docx", lambda: without_part("[Content_Types].xml")),
    "zip-bomb": ("job.docx", zip_bomb),
    "zip-bomb-lying-headers": ("job.docx", lying_zip_bomb),
    "zip-bomb-in-image": ("job.docx", lambda: zip_bomb("word/media/image1.png")),
    "nested-zip-bomb": ("job.docx", nested_zip_bomb),
    "many-entries": ("job.docx", many_entries),
    "deep-nesting": ("job.docx", deep_nesting),
    "deep-run-nesting": ("job.docx", deep_run_nesting),
    "billion-laughs": ("job.docx", entity_bomb),
    "billion-laughs-in-styles": ("job.docx", lambda: entity_bomb("word/styles.xml")),
    "xxe-passwd": ("job.docx", lambda: external_entity("/etc/passwd")),
    "xxe-in-numbering": ("job.docx", lambda: external_entity("/etc/passwd", "word/numbering.xml")),
    "xxe-parameter-entity": ("job.docx", lambda: parameter_entity("/etc/passwd")),
    "huge-image": ("job.docx", huge_image),
    "absurd-image-dimensions": ("job.docx", image_with_absurd_dimensions),
    "many-paragraphs": ("job.docx", many_paragraphs),
    "many-tables": ("job.docx", many_tables),
    "enormous-table-spans": ("job.docx", enormous_table_spans),
    "wide-table": ("job.docx", wide_table),
    "huge-paragraph": ("job.docx", huge_paragraph),
    "long-paragraphs-within-bounds": ("job.docx", long_paragraphs_within_bounds),
    "long-lines-within-bounds": ("job.txt", long_lines_within_bounds),
    "long-table-within-bounds": ("job.txt", long_table_within_bounds),
    "pdf-named-docx": ("job.docx", minimal_pdf),
    "png-named-docx": ("job.docx", lambda: png(100, 100)),
    "zip-of-photos-named-docx": ("job.docx", zip_of_photos),
    "pdf-polyglot-named-docx": ("job.docx", polyglot_pdf_zip),
    "docx-behind-pdf-header": ("job.docx", docx_with_pdf_header),
    "html-named-docx": ("job.docx", lambda: HTML),
    "pdf-named-txt": ("job.txt", minimal_pdf),
    "png-named-md": ("job.md", lambda: png(100, 100)),
    "docx-named-txt": ("job.txt", good_docx),
    "huge-line": ("job.txt", huge_line),
    "huge-space-runs": ("job.txt", huge_space_runs),
    "many-lines": ("job.txt", many_lines),
    "deeply-indented": ("job.txt", deeply_indented),
    "ragged-pipes": ("job.md", ragged_pipes),
    "many-tab-cells": ("job.txt", many_tab_cells),
    "pipe-only": ("job.md", pipe_only),
    "mixed-encodings": ("job.txt", mixed_encodings),
    "nul-bytes": ("job.txt", lambda: b"Main duties\n1. Support\x00 pupils\n" * 100),
    "utf16-with-bom": ("job.txt", lambda: "Main duties\n1. Support pupils\n".encode("utf-16")),
}


def catalogue_file(name: str) -> tuple[str, bytes]:
    filename, build = CATALOGUE[name]
    return filename, build()


def _saved(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def stored_strings(value) -> list[str]:
    """Every string in an import result's nested dicts and lists (the text a database stores)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [text for item in value.values() for text in stored_strings(item)]
    if isinstance(value, list):
        return [text for item in value for text in stored_strings(item)]
    return []


def clean_pdf(text: str = "Teaching Assistant") -> bytes:
    """A PDF as jdtool stores it (no metadata): uploading it stores these very bytes."""
    from jdtool.pdf_metadata import without_metadata

    return without_metadata(minimal_pdf(text))
