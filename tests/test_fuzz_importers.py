"""Fuzzing the text and Word importers: whatever the bytes, a document or one clear line.

Hypothesis generates text, bytes and damaged Word files (derandomized, bounded example counts and
per-example deadlines, so the suite stays reproducible and quick); `scripts/fuzz_importers.py`
runs the same properties with many more examples. The worst files from `hostile_files` are read
in a child process with a timeout, which also measures the reader's peak memory.
"""

from __future__ import annotations

import codecs
import json
import random
import subprocess
import sys
import textwrap
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jdtool.importing import JobDocument, UnreadableDocument, read_document
from jdtool.importing import docx_reader as docx_reader_module

from . import hostile_files
from .hostile_files import JD_LINES, stored_strings

FUZZ = settings(
    max_examples=150,
    deadline=timedelta(seconds=10),
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
#: Peak memory allowed for the child process reading the worst files (bytes of resident memory).
MEMORY_BOUND_MB = 300
#: The child reading every hostile file must finish in this time; each file has its own alarm.
CHILD_TIMEOUT_SECONDS = 240
PER_FILE_SECONDS = 30
#: Control characters that must never reach the database (PostgreSQL refuses NUL in text).
CONTROL = {chr(code) for code in range(32) if chr(code) not in "\t\n\r"} | {"\x7f"}


def read_or_refuse(filename: str, data: bytes) -> JobDocument | None:
    """The importer's result, or None after checking its refusal is one short, plain line."""
    try:
        result = read_document(filename, data)
    except UnreadableDocument as error:
        message = str(error)
        assert message
        assert "\n" not in message
        assert "\r" not in message
        assert len(message) < 200
        assert "Traceback" not in message
        assert "Error" not in message
        return None
    assert isinstance(result, JobDocument)
    assert result.duties() or result.criteria()
    assert not CONTROL & set("".join(stored_strings(result.to_dict()))), "control characters kept"
    return result


# -- generated text -----------------------------------------------------------------------------

_ANY_CHARACTER = st.characters(blacklist_categories=("Cs",))
_ODD_PIECES = st.sampled_from(
    [
        "\x00", "\x01", "\x07", "\x1b[31m", "\x7f", "\ufeff", "\u200b", "\u202e", "\ufffd",
        "\u2028", "\u2029", "\x0b", "\x0c", "\r", "\r\n", "\t", "\t\t", "|", "||", "| |",
        " " * 40, "\t" * 20, "·", "\uf0b7", "1.", "(a)", "a" * 300, "£", "–", "é", "𝔘", "👩‍🏫",
    ]
)  # fmt: skip


@st.composite
def jd_like_text(draw) -> str:
    """Lines built from JD fragments, indented, tabbed, piped and spliced with odd characters."""
    lines = []
    for _ in range(draw(st.integers(1, 40))):
        pieces = draw(
            st.lists(
                st.sampled_from(JD_LINES) | _ODD_PIECES | st.text(_ANY_CHARACTER, max_size=20),
                min_size=1,
                max_size=5,
            )
        )
        indent = draw(st.sampled_from(["", "", "", "\t", "  ", " " * 12, "\t\t", "| "]))
        lines.append(indent + "".join(pieces) * draw(st.sampled_from([1, 1, 1, 2, 6])))
    return "\n".join(lines)


@FUZZ
@given(st.text(_ANY_CHARACTER, max_size=3000))
def test_any_unicode_text_reads_or_is_refused(text):
    read_or_refuse("job.txt", text.encode())


@settings(FUZZ, max_examples=100)
@given(jd_like_text(), st.sampled_from(["job.txt", "job.md"]))
def test_jd_like_text_with_odd_characters_reads_or_is_refused(text, filename):
    read_or_refuse(filename, text.encode())


@FUZZ
@given(
    st.sampled_from([b"", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\xff\xfe\x00\x00"]),
    st.lists(
        st.tuples(
            st.sampled_from(JD_LINES) | st.text(_ANY_CHARACTER, max_size=30),
            st.sampled_from(["utf-8", "cp1252", "latin-1", "utf-16-le", "utf-16-be", "raw"]),
        ),
        min_size=1,
        max_size=40,
    ),
    st.binary(max_size=64),
)
def test_mixed_encodings_and_byte_order_marks_read_or_are_refused(bom, pieces, noise):
    """Text pasted together from several editors, with a byte-order mark that may lie."""
    data = bom
    for text, encoding in pieces:
        data += noise if encoding == "raw" else text.encode(encoding, "replace") + b"\n"
    read_or_refuse("job.txt", data)


@FUZZ
@given(
    st.lists(
        st.lists(st.text(_ANY_CHARACTER, max_size=15) | st.sampled_from(JD_LINES), max_size=12),
        min_size=1,
        max_size=60,
    ),
    st.sampled_from(["|", "\t", " | "]),
)
def test_ragged_tables_read_or_are_refused(rows, separator):
    lines = ["Person specification"]
    for cells in rows:
        line = separator.join(cells)
        lines.append(("| " + line if separator != "\t" else "\t" + line) if cells else "|")
    read_or_refuse("job.md", "\n".join(lines).encode())


def test_text_with_nul_bytes_after_the_start_stores_no_nul():
    """Found by fuzzing: a NUL past the first 4 KB reached the stored text (PostgreSQL refuses
    it); control characters are now dropped from every paragraph."""
    data = ("Main duties\n" + "1. Support the pupil in class.\n" * 200).encode()
    data += b"2. Keep\x00 records\x01 of progress.\n"
    result = read_or_refuse("job.txt", data)
    assert result is not None
    assert "Keep records of progress." in result.duties()


def test_utf16_text_from_windows_notepad_is_read():
    """Found by fuzzing: Notepad's "Unicode" (UTF-16 with a byte-order mark) was refused as
    binary."""
    text = "Main duties and responsibilities\r\n1. Support the pupil – in class.\r\n"
    for data in (
        text.encode("utf-16"),
        codecs.BOM_UTF16_BE + text.encode("utf-16-be"),
        text.encode("utf-32"),
    ):
        result = read_or_refuse("job.txt", data)
        assert result is not None
        assert result.duties() == ["Support the pupil – in class."]


def test_utf8_and_windows_1252_in_one_file_keep_their_characters():
    """Found by fuzzing: one Windows-1252 byte turned the whole file into Windows-1252, so every
    UTF-8 "–" and "é" came out as "â€“" and "Ã©"."""
    result = read_or_refuse("job.txt", hostile_files.mixed_encodings())
    assert result is not None
    assert result.duties()[:2] == ["Support the pupil – café", "Keep records – naïve £5"]


@pytest.mark.parametrize(
    ("lines", "reason"),
    [
        (21_000, "more than 20,000 paragraphs"),
        (6_000, "more than 5,000 paragraphs"),
    ],
)
def test_a_file_with_far_too_many_lines_is_refused_quickly(lines, reason):
    """Found by fuzzing: 100,000 short lines took three minutes (each paragraph copied the rest
    of the list); reading is now linear and bounded."""
    data = hostile_files.many_lines(lines)
    with pytest.raises(UnreadableDocument, match=reason):
        read_document("job.txt", data)


def test_a_long_text_file_within_the_bounds_is_read():
    result = read_or_refuse("job.txt", hostile_files.long_lines_within_bounds(3_000))
    assert result is not None
    assert len(result.duties()) == 3_000


# -- damaged Word files -------------------------------------------------------------------------


@settings(FUZZ, max_examples=60)
@given(st.randoms(use_true_random=False))
def test_damaged_word_files_read_or_are_refused(rng):
    read_or_refuse("job.docx", hostile_files.mutated_package(rng))


@settings(FUZZ, max_examples=40)
@given(st.randoms(use_true_random=False))
def test_damaged_document_xml_reads_or_is_refused(rng):
    read_or_refuse("job.docx", hostile_files.mutated_document_xml(rng))


@settings(FUZZ, max_examples=60)
@given(st.binary(min_size=1, max_size=400), st.sampled_from(["job.docx", "job.txt", "job.md"]))
def test_real_word_file_with_bytes_spliced_in_reads_or_is_refused(noise, filename):
    data = hostile_files.good_docx()
    at = len(noise) * 97 % len(data)
    read_or_refuse(filename, data[:at] + noise + data[at:])


@pytest.mark.parametrize("part", ["word/document.xml", "word/numbering.xml", "word/styles.xml"])
def test_external_entities_never_read_a_local_file(tmp_path, part):
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-PAYROLL-9431")
    message = str(read_refusal("job.docx", hostile_files.external_entity(str(secret), part)))
    assert "document type declaration" in message
    assert "SECRET" not in message


def test_external_entities_are_not_resolved_even_past_the_dtd_check(tmp_path, monkeypatch):
    """Defence in depth: with the DTD check switched off, the XML parsers still never read the
    file an external entity points to."""
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-PAYROLL-9431")
    monkeypatch.setattr(docx_reader_module, "_declares_a_dtd", lambda _xml: False)
    data = hostile_files.external_entity(str(secret))
    try:
        seen = json.dumps(read_document("job.docx", data).to_dict())
    except UnreadableDocument as error:
        seen = str(error)
    assert "SECRET" not in seen


def read_refusal(filename: str, data: bytes) -> str:
    with pytest.raises(UnreadableDocument) as caught:
        read_document(filename, data)
    return str(caught.value)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("pdf-named-docx", "it is not a Word .docx file (it is a PDF document)"),
        ("png-named-docx", "it is not a Word .docx file (it is a PNG image)"),
        ("html-named-docx", "it is not a Word .docx file (it is a web page or XML file)"),
        ("pdf-polyglot-named-docx", "it is not a Word .docx file (it is a PDF document)"),
        ("pdf-named-txt", "it is a binary file (a PDF document), not text"),
        ("docx-named-txt", "rename it to .docx"),
        ("huge-paragraph", "one paragraph is over 20,000 characters"),
        ("xxe-in-numbering", "document type declaration"),
        ("billion-laughs-in-styles", "document type declaration"),
    ],
)
def test_disguised_and_malicious_files_are_named_for_what_they_are(name, expected):
    """Found by fuzzing: these were refused with a vaguer reason ("does not look like a job
    description", "damaged") or, for an external entity outside the main document, read."""
    filename, data = hostile_files.catalogue_file(name)
    assert expected in read_refusal(filename, data)


def test_xml_nested_past_the_limit_is_refused_quickly():
    """Found by fuzzing: the nesting check walked the XML in Python (a 30 MB document took
    over ten seconds); libxml2 now checks it."""
    assert "nested more than 256 levels" in read_refusal("job.docx", hostile_files.deep_nesting())


# -- the worst files, in a child process: no hang, memory bounded -------------------------------

_CHILD = textwrap.dedent(
    """
    import json, resource, signal, sys, time
    from pathlib import Path
    from jdtool.importing import UnreadableDocument, read_document

    def alarm(_signum, _frame):
        raise TimeoutError
    signal.signal(signal.SIGALRM, alarm)
    for path in sorted(Path(sys.argv[1]).iterdir()):
        name, _, filename = path.name.partition("@")
        data = path.read_bytes()
        started = time.perf_counter()
        signal.alarm(int(sys.argv[2]))
        try:
            document = read_document(filename, data)
            outcome = {"read": len(document.duties()) + len(document.criteria())}
        except UnreadableDocument as error:
            outcome = {"refused": str(error)}
        except TimeoutError:
            outcome = {"hung": True}
        except BaseException as error:
            outcome = {"crashed": type(error).__name__ + ": " + str(error)[:200]}
        finally:
            signal.alarm(0)
        del data
        outcome.update(name=name, seconds=round(time.perf_counter() - started, 2))
        print(json.dumps(outcome), flush=True)
    def peak_mb():
        # VmHWM: this process's own peak; ru_maxrss on Linux also counts the parent's memory
        # at the fork before exec.
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) // 1024
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    print(json.dumps({"peak_mb": peak_mb()}))
    """
)

#: The catalogue, with the paragraph flood built just past the bound rather than far past it
#: (the bound is what is tested, not how long generating takes).
_CHILD_FILES = {
    name: build for name, build in hostile_files.CATALOGUE.items() if name != "many-paragraphs"
}
_CHILD_FILES["many-paragraphs"] = ("job.docx", lambda: hostile_files.many_paragraphs(25_000))


@pytest.fixture(scope="module")
def worst_files_read_in_a_child(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    for name, (filename, build) in _CHILD_FILES.items():
        (folder / f"{name}@{filename}").write_bytes(build())
    completed = subprocess.run(
        [sys.executable, "-c", _CHILD, str(folder), str(PER_FILE_SECONDS)],
        capture_output=True,
        text=True,
        timeout=CHILD_TIMEOUT_SECONDS,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-2000:]
    lines = [json.loads(line) for line in completed.stdout.splitlines()]
    return {line["name"]: line for line in lines[:-1]}, lines[-1]["peak_mb"]


@pytest.mark.parametrize("name", sorted(_CHILD_FILES))
def test_worst_file_is_read_or_refused_without_hanging(worst_files_read_in_a_child, name):
    outcomes, _peak = worst_files_read_in_a_child
    outcome = outcomes[name]
    assert "hung" not in outcome, f"{name} took over {PER_FILE_SECONDS} s"
    assert "crashed" not in outcome, outcome.get("crashed")
    if "refused" in outcome:
        assert "\n" not in outcome["refused"]


def test_reading_the_worst_files_keeps_memory_bounded(worst_files_read_in_a_child):
    _outcomes, peak_mb = worst_files_read_in_a_child
    assert peak_mb < MEMORY_BOUND_MB


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("zip-bomb", "possible zip bomb"),
        ("zip-bomb-in-image", "possible zip bomb"),
        ("zip-bomb-lying-headers", "damaged or incomplete"),
        ("many-entries", "too many parts"),
        ("deep-nesting", "nested more than 256 levels"),
        ("billion-laughs", "possible entity bomb"),
        ("xxe-passwd", "document type declaration"),
        ("xxe-parameter-entity", "document type declaration"),
        ("many-paragraphs", "more than 20,000 paragraphs"),
        ("many-tables", "more than 20,000 paragraphs"),
        ("wide-table", "paragraphs and table rows"),
        ("huge-line", "characters of text"),
        ("many-lines", "the limit is 20 MB"),
        ("nul-bytes", "binary file"),
    ],
)
def test_worst_file_is_refused_for_the_right_reason(worst_files_read_in_a_child, name, reason):
    outcomes, _peak = worst_files_read_in_a_child
    assert reason in outcomes[name].get("refused", ""), outcomes[name]


@pytest.mark.parametrize(
    "name",
    ["nested-zip-bomb", "huge-image", "absurd-image-dimensions", "long-paragraphs-within-bounds"],
)
def test_real_job_description_with_heavy_furniture_is_still_read(worst_files_read_in_a_child, name):
    """A JD carrying a large photograph, an embedded package or long paragraphs is still a JD."""
    outcomes, _peak = worst_files_read_in_a_child
    assert outcomes[name].get("read", 0) > 0, outcomes[name]


def test_mutations_are_reproducible():
    """The damaged files depend only on the seed, so a failure can be replayed."""
    assert hostile_files.mutated_package(random.Random(5)) == hostile_files.mutated_package(
        random.Random(5)
    )
