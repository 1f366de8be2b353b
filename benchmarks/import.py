"""Documents imported per second, against python-docx opening the same Word files in the same run.

The floor is python-docx itself: `docx.Document(io.BytesIO(data))` on every .docx measured here
(the seeds built as Word by `tests/seed_docx.py` and the corpus's .docx files). Each row is
`read_document` on one set of files: the five seeds as text and as Word, and the corpus files in
`../shared/corpus` beside the checkout when it is there (skipped when it is not). The machine is
noisy, so the floor and every row are measured in alternating rounds and each reports its median
rate; ratios are against the floor's median.

Then linearity: seed 000 repeated 1×, 4× and 16× (as text, and as Word by copying its body),
each well inside the importer's bounds; the time per copy relative to one copy should stay
near 1.

Run: .venv/bin/python benchmarks/import.py [ROUNDS]
"""

from __future__ import annotations

import copy
import io
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import docx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from import_corpus import DEFAULT_FOLDER, corpus_files  # noqa: E402  (after the path set-up)

from jdtool.importing import UnreadableDocument, read_document  # noqa: E402
from tests.seed_docx import build_seed_docx  # noqa: E402

SEED_IDS = ("000", "001", "002", "003", "004")
REPEATS = (1, 4, 16)

#: (file name, bytes) pairs, as read_document takes them.
Files = list[tuple[str, bytes]]


def seed_files() -> tuple[Files, Files]:
    text, word = [], []
    for seed_id in SEED_IDS:
        path = next((ROOT / "seed_jds").glob(f"{seed_id}_*.txt"))
        text.append((path.name, path.read_bytes()))
        word.append((f"{path.stem}.docx", build_seed_docx(seed_id)))
    return text, word


def corpus(folder: Path) -> tuple[Files, Files]:
    """The corpus files the importer accepts, text and Word apart (none when it is absent)."""
    if not folder.is_dir():
        return [], []
    text, word = [], []
    for item in corpus_files(folder):
        try:
            read_document(item.path.name, item.data)
        except UnreadableDocument:
            continue  # a refusal is quick and says nothing about reading speed
        target = word if item.path.suffix.lower() == ".docx" else text
        target.append((item.path.name, item.data))
    return text, word


def seconds(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def import_all(files: Files) -> Callable[[], None]:
    def run() -> None:
        for name, data in files:
            read_document(name, data)

    return run


def open_all(files: Files) -> Callable[[], None]:
    def run() -> None:
        for _name, data in files:
            docx.Document(io.BytesIO(data))

    return run


def median_rates(rows: dict[str, tuple[int, Callable[[], None]]], rounds: int) -> dict[str, float]:
    """Documents per second for each row: the median of `rounds` alternating passes."""
    for _count, action in rows.values():
        action()  # warm up imports and caches
    rates: dict[str, list[float]] = {label: [] for label in rows}
    for _ in range(rounds):
        for label, (count, action) in rows.items():
            rates[label].append(count / seconds(action))
    return {label: statistics.median(values) for label, values in rates.items()}


def repeated_text(data: bytes, times: int) -> bytes:
    return b"\n\n".join([data] * times)


def repeated_word(data: bytes, times: int) -> bytes:
    """The document's body copied `times` over (its final section properties kept once)."""
    document = docx.Document(io.BytesIO(data))
    body = document.element.body
    content = [child for child in body if not child.tag.endswith("}sectPr")]
    section = body[-1] if body[-1].tag.endswith("}sectPr") else None
    for _ in range(times - 1):
        for child in content:
            if section is not None:
                section.addprevious(copy.deepcopy(child))
            else:
                body.append(copy.deepcopy(child))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def linearity(name: str, data: bytes, repeat: Callable[[bytes, int], bytes], rounds: int) -> None:
    copies = {times: repeat(data, times) for times in REPEATS}
    per_copy: dict[int, float] = {}
    for times, payload in copies.items():
        read_document(name, payload)  # warm up, and fail loudly if over a bound
        best = min(seconds(lambda payload=payload: read_document(name, payload))
                   for _ in range(rounds))  # fmt: skip
        per_copy[times] = best / times
    cells = "  ".join(
        f"{times:>2}×: {per_copy[times] * 1000:7.1f} ms/copy ({per_copy[times] / per_copy[1]:.2f})"
        for times in REPEATS
    )
    print(f"{name:<34} {cells}")


def main(rounds: int = 7) -> None:
    seed_text, seed_word = seed_files()
    corpus_text, corpus_word = corpus(DEFAULT_FOLDER)
    seed_floor = "floor: python-docx opens the seed .docx"
    corpus_floor = "floor: python-docx opens the corpus .docx"
    #: label -> (files, what it does, the floor it is compared with)
    rows = {
        seed_floor: (len(seed_word), open_all(seed_word), seed_floor),
        "import seeds, .docx": (len(seed_word), import_all(seed_word), seed_floor),
        "import seeds, text (vs the same seeds' .docx)": (
            len(seed_text), import_all(seed_text), seed_floor,
        ),
    }  # fmt: skip
    if corpus_word:
        rows[corpus_floor] = (len(corpus_word), open_all(corpus_word), corpus_floor)
        rows["import corpus, .docx"] = (len(corpus_word), import_all(corpus_word), corpus_floor)
    if corpus_text:
        rows["import corpus, text (vs the seeds' .docx floor)"] = (
            len(corpus_text), import_all(corpus_text), seed_floor,
        )  # fmt: skip
    rates = median_rates({label: row[:2] for label, row in rows.items()}, rounds)

    if not (corpus_text or corpus_word):
        print(f"(no corpus folder {DEFAULT_FOLDER.name}/ beside the checkout: seeds only)")
    print(f"median of {rounds} rounds; corpus: {len(corpus_text)} text, {len(corpus_word)} .docx")
    print(f"{'what':<48} {'files':>5} {'docs/s':>8} {'vs floor':>9}")
    for label, (count, _action, floor) in rows.items():
        print(f"{label:<48} {count:>5} {rates[label]:>8.1f} {rates[label] / rates[floor]:>8.2f}×")

    print()
    print("linearity: best of rounds, time per copy (relative to one copy)")
    text_name, text_data = seed_text[0]
    word_name, word_data = seed_word[0]
    linearity(text_name, text_data, repeated_text, rounds)
    linearity(word_name, word_data, repeated_word, rounds)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 7)
