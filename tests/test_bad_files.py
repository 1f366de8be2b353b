"""Files the importer must refuse with a clear, one-line reason, and never crash on."""

from __future__ import annotations

import io
import random
import zipfile

import docx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jdtool.importing import MAX_FILE_BYTES, JobDocument, UnreadableDocument, read_document

from .hostile_files import repack
from .seed_docx import build_seed_docx

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def refusal(filename: str, data: bytes) -> str:
    """read_document's refusal message; fails the test if it reads the file or crashes."""
    with pytest.raises(UnreadableDocument) as caught:
        read_document(filename, data)
    message = str(caught.value)
    assert message, "the refusal gives no reason"
    assert "\n" not in message, "the refusal is not one line"
    assert len(message) < 200
    return message


@pytest.fixture(scope="module")
def good_docx() -> bytes:
    return build_seed_docx("000")


def document_xml(body: str) -> bytes:
    return f'<w:document xmlns:w="{W_NS}"><w:body>{body}</w:body></w:document>'.encode()


# -- empty, wrong type, too big ---------------------------------------------------------------


@pytest.mark.parametrize("filename", ["job.txt", "job.docx", "job.md"])
def test_empty_file(filename):
    assert "empty" in refusal(filename, b"")


@pytest.mark.parametrize("data", [b"   \n\n\t\t\n  \r\n", b"\n" * 1000, b" \t", b"\r\n\x0b\x0c"])
def test_whitespace_only_text(data):
    assert "empty" in refusal("job.txt", data)


@pytest.mark.parametrize("filename", ["job.pdf", "job.doc", "job", "job.docx.exe", "JOB.PDF"])
def test_unsupported_extension(filename, good_docx):
    message = refusal(filename, good_docx)
    assert "not supported" in message
    assert ".docx" in message


@pytest.mark.parametrize("filename", ["big.txt", "big.docx"])
def test_file_over_the_size_limit(filename):
    data = b"Duties\n1. Support pupils.\n" + b"a" * (50 * 1024 * 1024)
    assert len(data) > MAX_FILE_BYTES
    message = refusal(filename, data)
    assert "50 MB" in message
    assert "limit is 20 MB" in message


def test_the_size_limit_is_checked_before_anything_is_parsed():
    data = b"PK\x03\x04" + b"\x00" * (MAX_FILE_BYTES + 1)
    assert "limit" in refusal("big.docx", data)


# -- not Word at all ---------------------------------------------------------------------------


def test_random_bytes_named_docx():
    data = random.Random(1).randbytes(8192)
    assert refusal("job.docx", data).startswith("it is not a Word .docx file")


def test_text_named_docx():
    assert "not a Word" in refusal("job.docx", b"Job title: Teaching Assistant\nDuties\n")


def test_old_word_or_password_protected_file_named_docx():
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4096)
    message = refusal("job.docx", ole)
    assert message.startswith("it is not a Word .docx file")
    assert ".doc" in message
    assert "password" in message


def test_truncated_docx(good_docx):
    message = refusal("job.docx", good_docx[: len(good_docx) // 2])
    assert "damaged" in message or "incomplete" in message


@pytest.mark.parametrize("cut", [30, 100, 1000])
def test_docx_cut_short_at_the_start(good_docx, cut):
    assert "damaged" in refusal("job.docx", good_docx[:cut])


def test_zip_without_a_word_document():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        package.writestr("holiday/photo-list.txt", "beach.jpg\nhotel.jpg\n")
        package.writestr("[Content_Types].xml", "<Types/>")
    message = refusal("job.docx", out.getvalue())
    assert "not a Word" in message
    assert "no document" in message


def test_corrupt_compressed_document(good_docx):
    """Garbage inside the deflated document.xml: zlib fails, not the importer."""
    data = bytearray(good_docx)
    with zipfile.ZipFile(io.BytesIO(good_docx)) as package:
        info = package.getinfo("word/document.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for offset in range(start + 8, start + 80):
        data[offset] ^= 0x5A
    assert "damaged" in refusal("job.docx", bytes(data))


def test_encrypted_zip_member(good_docx):
    """A zip member flagged as encrypted (zipfile would need a password)."""
    data = bytearray(good_docx)
    position = 0
    while (position := good_docx.find(b"PK", position)) >= 0:
        header = good_docx[position : position + 4]
        if header == b"PK\x03\x04":
            data[position + 6] |= 0x01
        elif header == b"PK\x01\x02":
            data[position + 8] |= 0x01
        position += 4
    assert "encrypted" in refusal("job.docx", bytes(data))


@pytest.mark.parametrize(
    ("document", "reason"),
    [
        (b"<w:document/>", "invalid XML"),  # unbound prefix
        (b"<notword/>", "damaged"),
        (f'<w:document xmlns:w="{W_NS}"/>'.encode(), "no body"),
        (b"\xff\xfe\x00garbage", "invalid XML"),
    ],
)
def test_word_document_part_that_is_not_a_document(good_docx, document, reason):
    assert reason in refusal("job.docx", repack(good_docx, {"word/document.xml": document}))


@pytest.mark.parametrize("part", ["word/styles.xml", "word/numbering.xml", "[Content_Types].xml"])
def test_damaged_or_missing_supporting_part(good_docx, part):
    for replacement in (b"<<< not xml", None):
        message = refusal("job.docx", repack(good_docx, {part: replacement}))
        assert "damaged" in message


# -- bombs ---------------------------------------------------------------------------------------


def zip_bomb(member: str, megabytes: int = 200, *, with_document: bytes | None = None) -> bytes:
    """A package whose `member` inflates to `megabytes` MB of zeros, written in 1 MB chunks."""
    out = io.BytesIO()
    chunk = bytes(1024 * 1024)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as package:
        if with_document is not None:
            package.writestr("word/document.xml", with_document)
        with package.open(member, "w", force_zip64=True) as handle:
            for _ in range(megabytes):
                handle.write(chunk)
    return out.getvalue()


def test_zip_bomb_document():
    data = zip_bomb("word/document.xml")
    assert len(data) < 1024 * 1024  # 200 MB of zeros deflates to a fraction of a megabyte
    assert "zip bomb" in refusal("job.docx", data)


def test_zip_bomb_in_another_part(good_docx):
    document = zipfile.ZipFile(io.BytesIO(good_docx)).read("word/document.xml")
    data = zip_bomb("word/media/image1.png", with_document=document)
    assert "zip bomb" in refusal("job.docx", data)


def test_zip_bomb_below_the_part_limit_but_absurdly_compressed():
    assert "zip bomb" in refusal("job.docx", zip_bomb("word/document.xml", megabytes=20))


def test_package_with_thousands_of_parts(good_docx):
    extra = {f"customXml/item{i}.xml": b"<a/>" for i in range(2100)}
    assert "too many parts" in refusal("job.docx", repack(good_docx, extra))


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<w:document xmlns:w="{ns}"><w:body>
<w:p><w:r><w:t>Duties</w:t></w:r></w:p>
<w:p><w:r><w:t>1. &lol9;</w:t></w:r></w:p>
</w:body></w:document>"""


def test_entity_bomb(good_docx):
    bomb = BILLION_LAUGHS.replace("{ns}", W_NS).encode()
    message = refusal("job.docx", repack(good_docx, {"word/document.xml": bomb}))
    assert "entity bomb" in message


def test_external_entity(good_docx):
    xxe = (
        '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        f'<w:document xmlns:w="{W_NS}"><w:body><w:p><w:r><w:t>&x;</w:t></w:r></w:p>'
        "</w:body></w:document>"
    ).encode()
    assert "document type declaration" in refusal(
        "job.docx", repack(good_docx, {"word/document.xml": xxe})
    )


@pytest.mark.parametrize("depth", [100_000, 300])
def test_deeply_nested_xml(good_docx, depth):
    nested = "<w:sdt><w:sdtContent>" * depth + "</w:sdtContent></w:sdt>" * depth
    body = "<w:p><w:r><w:t>Duties</w:t></w:r></w:p>" + nested
    data = repack(
        good_docx, {"word/document.xml": document_xml(body)}, stored=("word/document.xml",)
    )
    message = refusal("job.docx", data)
    assert "nested" in message


def test_nesting_a_real_document_uses_is_fine(good_docx):
    """Tables in tables in content controls, well within any real document's depth."""
    cell = "<w:tc><w:p><w:r><w:t>{}</w:t></w:r></w:p></w:tc>"
    inner = "<w:p><w:r><w:t>1. Support pupils in class.</w:t></w:r></w:p>"
    for level in range(8):
        inner = f"<w:tbl><w:tr><w:tc>{inner}</w:tc>{cell.format(level)}</w:tr></w:tbl><w:p/>"
    body = "<w:p><w:r><w:t>Duties</w:t></w:r></w:p><w:sdt><w:sdtContent>" + inner
    body += "</w:sdtContent></w:sdt>"
    result = read_document("job.docx", repack(good_docx, {"word/document.xml": document_xml(body)}))
    assert result.duties()[0] == "Support pupils in class."


# -- binary content in a text file ------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4,
        b"%PDF-1.7\n" + b"\x00\x01\x02" * 100,
        b"Duties\n\x00\x00\x00 1. Support pupils\n",
    ],
    ids=["png", "pdf", "nul-bytes"],
)
def test_binary_file_named_txt(data):
    assert "binary" in refusal("job.txt", data)


def test_word_file_named_txt(good_docx):
    assert "binary" in refusal("job.txt", good_docx)


# -- text that is not a job description --------------------------------------------------------

SHOPPING_LIST = "Shopping list\n\nEggs\nMilk\nBread\nTwo tins of tomatoes\nWashing-up liquid\n"
POEM = """The Tyger

Tyger Tyger, burning bright,
In the forests of the night;
What immortal hand or eye,
Could frame thy fearful symmetry?
"""
MINUTES = """Minutes of the governors' meeting

Present: A. Smith (chair), B. Jones, C. Patel
Apologies: none

The meeting opened at 6pm. The minutes of the last meeting were agreed.
"""


@pytest.mark.parametrize(
    "text", [SHOPPING_LIST, POEM, MINUTES], ids=["shopping", "poem", "minutes"]
)
@pytest.mark.parametrize("filename", ["notes.txt", "notes.md"])
def test_text_that_is_not_a_job_description(text, filename):
    assert "does not look like a job description" in refusal(filename, text.encode())


def test_word_file_that_is_not_a_job_description():
    document = docx.Document()
    for line in POEM.splitlines():
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    assert "does not look like a job description" in refusal("poem.docx", buffer.getvalue())


@pytest.mark.parametrize(
    "text",
    [
        "Shopping list\n- eggs\n- milk\n- bread\n",
        "Things to buy:\n1. Eggs\n2. Milk\n3. Bread\n",
        "Pancakes\n\nIngredients\n- 100g flour\n- 2 eggs\n\nMethod\n1. Whisk.\n2. Fry.\n",
    ],
    ids=["bulleted-shopping", "numbered-shopping", "recipe"],
)
def test_bulleted_list_that_is_not_a_job_description(text):
    refusal("list.txt", text.encode())


# -- never anything but a document or UnreadableDocument ----------------------------------------


def read_or_refuse(filename: str, data: bytes) -> None:
    try:
        result = read_document(filename, data)
    except UnreadableDocument as error:
        message = str(error)
        assert message
        assert "\n" not in message
        return
    assert isinstance(result, JobDocument)
    assert result.duties() or result.criteria()
    result.to_dict()


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_any_text_reads_or_is_refused(text):
    read_or_refuse("x.txt", text.encode())


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=2000))
def test_any_bytes_read_or_are_refused(data):
    read_or_refuse("x.txt", data)
    read_or_refuse("x.docx", data)


PIECES = [
    "\t", "\t\t", "\n", "\n\n", "\n\n\n", " ", "   ", "·", "· ", "• ", "- ", "o  ", "1. ", "2) ",
    "(a) ", "1.1 ", "E", "D", "X", "x", "✓", "Essential", "Desirable", "E/D", "E or D",
    "Essential or Desirable", "Application", "Interview", "References", "A/I",
    "Person specification", "PERSON SPECIFICATION", "Duties:", "Main duties and responsibilities",
    "Job purpose",
    "Job Title:", "Job title", "Reports to:", "Grade:", "Salary: £25,000 - £27,000", "Hours:",
    "32.5 hours per week", "39 weeks", "Fixed term until 31 August 2026", "Qualifications",
    "Experience", "Knowledge, skills and abilities", "Essential criteria", "Desirable criteria",
    "Signed:", "Date:", "Print name (Employee):", "……………", "........", "Supporting processes",
    "Decision making:", "Support pupils in class", "support pupils", "Keep records.",
    "The school is committed to safeguarding", "Trust", "Teaching Assistant", "|", "| a | b |",
    "|---|---|", ":", ";", ".", "(", ")", "/", "£", "[image: logo]", "# ", "\r", "\x0b", "\u00a0",
    "\uf0b7", "Compassion:", "VALUES", "Method of assessment", "Attribute", "Criteria",
    "Job description – Teaching Assistant", "Agreed that the job description", "Job Holder: ….",
]  # fmt: skip


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)  # fmt: skip
@given(st.lists(st.sampled_from(PIECES) | st.text(max_size=12), max_size=120))
def test_realistic_text_reads_or_is_refused(pieces):
    read_or_refuse("x.txt", "".join(pieces).encode())


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.lists(st.sampled_from(PIECES), min_size=1, max_size=6).map("".join),
        min_size=1,
        max_size=60,
    ),
    st.randoms(use_true_random=False),
)
def test_realistic_lines_read_or_are_refused(lines, rng):
    """Whole lines, so headings, table cells (one tab) and list items appear as such."""
    text = "\n".join(
        ("\t" + line if rng.random() < 0.3 else line) + ("\n" if rng.random() < 0.2 else "")
        for line in lines
    )
    read_or_refuse("x.txt", text.encode())


# -- Word files made of realistic pieces ---------------------------------------------------------

_CELL_TEXT = st.lists(st.sampled_from(PIECES), max_size=4).map("".join)
_STYLES = [None, "List Bullet", "List Number", "Heading 1", "Heading 2", "List Paragraph", "Title"]


@st.composite
def word_documents(draw) -> bytes:
    document = docx.Document()
    for _ in range(draw(st.integers(1, 12))):
        if draw(st.booleans()):
            text = draw(_CELL_TEXT).replace("\r", "").replace("\x0b", "")
            document.add_paragraph(text, style=draw(st.sampled_from(_STYLES)))
            continue
        rows, columns = draw(st.integers(1, 5)), draw(st.integers(1, 4))
        table = document.add_table(rows=rows, cols=columns)
        for r in range(rows):
            for c in range(columns):
                for index, text in enumerate(draw(st.lists(_CELL_TEXT, min_size=1, max_size=3))):
                    cell = table.cell(r, c)
                    paragraph = cell.paragraphs[0] if index == 0 else cell.add_paragraph()
                    paragraph.add_run(text.replace("\r", "").replace("\x0b", ""))
        if rows > 2 and draw(st.booleans()):  # a vertical merge above the last row …
            column = draw(st.integers(0, columns - 1))
            table.cell(0, column).merge(table.cell(rows - 2, column))
        if columns > 1 and draw(st.booleans()):  # … and a full-width merged last row
            table.cell(rows - 1, 0).merge(table.cell(rows - 1, columns - 1))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(word_documents())
def test_realistic_word_files_read_or_are_refused(data):
    read_or_refuse("x.docx", data)


@pytest.mark.parametrize("content", ["nothing", "empty paragraphs", "picture"])
def test_word_file_without_text(content):
    document = docx.Document()
    if content == "empty paragraphs":
        for _ in range(5):
            document.add_paragraph("   ")
    elif content == "picture":
        from .seed_docx import _tiny_png

        document.add_picture(io.BytesIO(_tiny_png()))
    buffer = io.BytesIO()
    document.save(buffer)
    assert "no text" in refusal("scan.docx", buffer.getvalue())


@pytest.mark.parametrize("data", [b"\xef\xbb\xbf", b"\xc2\xa0\n", b"\xef\xbb\xbf \r\n\t"])
def test_text_with_only_invisible_characters_is_empty(data):
    assert "the file is empty" in refusal("blank.txt", data)
