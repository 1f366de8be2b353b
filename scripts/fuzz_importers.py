"""Fuzz the importers with many more inputs than the test suite runs; print what was tried.

    .venv/bin/python scripts/fuzz_importers.py [--examples 2000] [--seed 1] [--timeout 20]

Every input must either read as a job description or be refused with the importer's own error
in one line; anything else (another exception, a message over several lines, control characters
in the result, a read that runs past --timeout seconds) is a failure, printed with the category
and seed that replay it. Inputs come from seeded generators (`tests/hostile_files.py` and the
shapes below), so a run is reproducible. Exits 1 if anything failed.
"""

from __future__ import annotations

import argparse
import random
import signal
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from jdtool.importing import UnreadableDocument, read_document  # noqa: E402
from tests import hostile_files  # noqa: E402
from tests.hostile_files import JD_LINES, stored_strings  # noqa: E402

CONTROL = {chr(code) for code in range(32) if chr(code) not in "\t\n\r"} | {"\x7f"}
ODD = [
    "\x00", "\x01", "\x1b[31m", "\x7f", "\ufeff", "\u200b", "\u202e", "\ufffd", "\u2028", "\x0b",
    "\x0c", "\r", "\r\n", "\t", "\t\t", "|", "||", " " * 40, "·", "\uf0b7", "1.", "(a)", "£", "–",
    "é", "𝔘", "👩‍🏫", "a" * 300,
]  # fmt: skip


def random_unicode(rng: random.Random, size: int) -> str:
    chars = []
    for _ in range(size):
        code = rng.choice([rng.randrange(32), rng.randrange(128), rng.randrange(0x3000)])
        code = rng.randrange(0x110000) if rng.random() < 0.05 else code
        chars.append(chr(code) if not 0xD800 <= code < 0xE000 else "?")
    return "".join(chars)


def jd_like_text(rng: random.Random) -> str:
    lines = []
    for _ in range(rng.randint(1, 60)):
        pieces = [
            rng.choice([rng.choice(JD_LINES), rng.choice(ODD), random_unicode(rng, 8)])
            for _ in range(rng.randint(1, 5))
        ]
        indent = rng.choice(["", "", "", "\t", "  ", " " * 12, "\t\t", "| "])
        lines.append(indent + "".join(pieces) * rng.choice([1, 1, 1, 2, 6]))
    return "\n".join(lines)


def mixed_encodings(rng: random.Random) -> bytes:
    data = rng.choice([b"", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\xff\xfe\x00\x00"])
    for _ in range(rng.randint(1, 40)):
        text = rng.choice([rng.choice(JD_LINES), random_unicode(rng, 20)])
        encoding = rng.choice(["utf-8", "cp1252", "latin-1", "utf-16-le", "utf-16-be", "raw"])
        if encoding == "raw":
            data += rng.randbytes(rng.randint(1, 40))
        else:
            data += text.encode(encoding, "replace") + b"\n"
    return data


def ragged_table(rng: random.Random) -> str:
    separator = rng.choice(["|", "\t", " | "])
    lines = ["Person specification"]
    for _ in range(rng.randint(1, 60)):
        cells = [
            rng.choice([rng.choice(JD_LINES), random_unicode(rng, 10)])
            for _ in range(rng.randint(0, 12))
        ]
        line = separator.join(cells)
        lines.append(("| " + line if separator != "\t" else "\t" + line) if cells else "|")
    return "\n".join(lines)


def spliced_docx(rng: random.Random) -> bytes:
    data = hostile_files.good_docx()
    at = rng.randrange(len(data))
    return data[:at] + rng.randbytes(rng.randint(1, 400)) + data[at:]


#: category -> (filename chooser, input builder)
CATEGORIES: dict[str, Callable[[random.Random], tuple[str, bytes]]] = {
    "unicode text": lambda rng: (
        rng.choice(["job.txt", "job.md"]),
        random_unicode(rng, rng.randint(0, 3000)).encode(),
    ),
    "JD-like text": lambda rng: (rng.choice(["job.txt", "job.md"]), jd_like_text(rng).encode()),
    "mixed encodings": lambda rng: ("job.txt", mixed_encodings(rng)),
    "ragged tables": lambda rng: ("job.md", ragged_table(rng).encode()),
    "random bytes": lambda rng: (
        rng.choice(["job.docx", "job.txt"]),
        rng.choice([b"", b"PK\x03\x04", b"%PDF-", b"\xff\xfe"])
        + rng.randbytes(rng.randint(0, 4000)),
    ),
    "damaged Word package": lambda rng: ("job.docx", hostile_files.mutated_package(rng)),
    "damaged Word XML": lambda rng: ("job.docx", hostile_files.mutated_document_xml(rng)),
    "bytes spliced into Word": lambda rng: (rng.choice(["job.docx", "job.txt"]), spliced_docx(rng)),
}


class TookTooLong(Exception):
    pass


def _alarm(_signum, _frame):
    raise TookTooLong


def check(filename: str, data: bytes, timeout: int) -> tuple[str, str | None]:
    """("read" or "refused", None) if the importer behaved; ("failed", what went wrong) if not."""
    signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(timeout)
    try:
        document = read_document(filename, data)
    except UnreadableDocument as error:
        message = str(error)
        if not message or "\n" in message or len(message) >= 200:
            return "failed", f"refusal is not one short line: {message!r:.200}"
        return "refused", None
    except TookTooLong:
        return "failed", f"took over {timeout} s"
    except BaseException as error:  # noqa: BLE001 - any other exception is the finding
        return "failed", f"{type(error).__name__}: {str(error)[:200]}"
    finally:
        signal.alarm(0)
    text = "".join(stored_strings(document.to_dict()))
    if CONTROL & set(text):
        return "failed", f"control characters in the result: {text[:120]!r}"
    if not (document.duties() or document.criteria()):
        return "failed", "read, but no duties or criteria"
    return "read", None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--examples", type=int, default=2000, help="inputs per category")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--timeout", type=int, default=20, help="seconds allowed per input")
    parser.add_argument("--catalogue", action=argparse.BooleanOptionalAction, default=True)
    options = parser.parse_args()

    totals: Counter[str] = Counter()
    failures: list[str] = []
    print(f"{'category':<26}{'inputs':>8}{'read':>8}{'refused':>9}{'failed':>8}{'seconds':>9}")
    for category, build in CATEGORIES.items():
        counts: Counter[str] = Counter()
        started = time.perf_counter()
        for example in range(options.examples):
            seed = options.seed * 1_000_003 + example
            filename, data = build(random.Random(seed))
            outcome, problem = check(filename, data, options.timeout)
            counts["inputs"] += 1
            counts[outcome] += 1
            if problem:
                failures.append(f"{category} seed {seed} ({filename}): {problem}")
        _row(category, counts, time.perf_counter() - started)
        totals.update(counts)
    if options.catalogue:
        counts = Counter()
        started = time.perf_counter()
        for name, (filename, build) in hostile_files.CATALOGUE.items():
            data = build()
            outcome, problem = check(filename, data, options.timeout)
            counts["inputs"] += 1
            counts[outcome] += 1
            if problem:
                failures.append(f"hostile file {name} ({filename}): {problem}")
        _row("hostile files", counts, time.perf_counter() - started)
        totals.update(counts)
    _row("total", totals, None)
    for failure in failures[:50]:
        print("FAIL", failure)
    if len(failures) > 50:
        print(f"... and {len(failures) - 50} more failures")
    return 1 if failures else 0


def _row(label: str, counts: Counter[str], seconds: float | None) -> None:
    elapsed = f"{seconds:9.1f}" if seconds is not None else ""
    print(
        f"{label:<26}{counts['inputs']:>8}{counts['read']:>8}{counts['refused']:>9}"
        f"{counts['failed']:>8}{elapsed}",
        flush=True,
    )


if __name__ == "__main__":
    sys.exit(main())
