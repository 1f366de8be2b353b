#!/usr/bin/env python
"""Run the importer over the real-world corpus and print what it found, one line per file.

    python scripts/import_corpus.py [FOLDER]

FOLDER defaults to ``../shared/corpus`` beside the repository. Each corpus ``.txt`` starts with two
metadata lines (``source: ...`` and ``kind: ...``) that are not part of the document; they are
stripped before import and the ``kind`` is shown. A ``.docx`` takes its kind from the ``.txt`` with
the same number prefix. Files the importer rejects (UnreadableDocument) print their reason; any
other exception prints its traceback and makes the script exit 1 after the totals.

When the folder holds ``check_truth.py`` and its ``truth.json``, each file named there also gets
that script's verdict (``OK    NAME`` or ``WRONG NAME: problems``, from its own ``check``
function on the ``show --json`` shape of the import) and the run ends with
``corpus fully right: N/M``, as ``check_truth.py`` prints it.
"""

from __future__ import annotations

import importlib.util
import json
import sys
import traceback
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from jdtool.document import JobDocument  # noqa: E402
from jdtool.importing import UnreadableDocument, read_document  # noqa: E402

DEFAULT_FOLDER = REPO.parent / "shared" / "corpus"
SUFFIXES = (".txt", ".docx", ".md")


@dataclass
class CorpusFile:
    path: Path
    kind: str | None
    #: What read_document is given: the file's bytes, minus the metadata lines for a .txt.
    data: bytes


def split_metadata(raw: bytes) -> tuple[dict[str, str], bytes]:
    """Strip the leading ``source:`` / ``kind:`` lines; return them and the remaining bytes."""
    metadata: dict[str, str] = {}
    rest = raw
    for _ in range(2):
        line, sep, after = rest.partition(b"\n")
        key, colon, value = line.decode("utf-8", "replace").partition(":")
        if not colon or key.strip().lower() not in ("source", "kind"):
            break
        metadata[key.strip().lower()] = value.strip()
        rest = after if sep else b""
    return metadata, rest


def corpus_files(folder: Path) -> list[CorpusFile]:
    paths = sorted(
        p
        for p in folder.iterdir()
        if p.is_file() and p.suffix.lower() in SUFFIXES and p.name.lower() != "readme.md"
    )
    kinds: dict[str, str] = {}
    files: list[CorpusFile] = []
    for path in paths:
        raw = path.read_bytes()
        kind = None
        if path.suffix.lower() == ".txt":
            metadata, raw = split_metadata(raw)
            kind = metadata.get("kind")
            if kind:
                kinds.setdefault(path.name.split("_", 1)[0], kind)
        files.append(CorpusFile(path, kind, raw))
    for item in files:
        if item.kind is None:
            item.kind = kinds.get(item.path.name.split("_", 1)[0])
    return files


@dataclass
class Truth:
    """The corpus's hand-checked facts and its checker's `check(document, facts) -> problems`."""

    facts: dict[str, dict]
    check: Callable[[dict, dict], list[str]]

    def verdict(self, name: str, problems: list[str]) -> str:
        """One line as check_truth.py prints it."""
        return f"WRONG {name}: " + "; ".join(problems) if problems else f"OK    {name}"


def load_truth(folder: Path) -> Truth | None:
    """The folder's truth.json and the `check` of its check_truth.py, or None without them."""
    script, facts = folder / "check_truth.py", folder / "truth.json"
    if not (script.is_file() and facts.is_file()):
        return None
    spec = importlib.util.spec_from_file_location("corpus_check_truth", script)
    if spec is None or spec.loader is None:
        return None
    module: ModuleType = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    entries = json.loads(facts.read_text(encoding="utf-8"))
    return Truth(
        facts={name: entry for name, entry in entries.items() if not name.startswith("_")},
        check=module.check,
    )


def summarise(document: JobDocument) -> dict[str, int]:
    criteria = document.criteria()
    priorities = Counter(criterion.priority for criterion in criteria)
    return {
        "sections": len(document.sections),
        "duties": len(document.duties()),
        "categories": len(document.person_spec.categories) if document.person_spec else 0,
        "criteria": len(criteria),
        "essential": priorities["essential"],
        "desirable": priorities["desirable"],
        "unknown": priorities[None],
        "methods": sum(1 for criterion in criteria if criterion.methods),
        "warnings": len(document.warnings),
    }


def main(argv: list[str]) -> int:
    folder = Path(argv[1]) if len(argv) > 1 else DEFAULT_FOLDER
    if not folder.is_dir():
        print(f"corpus folder {folder} is absent; nothing to do")
        return 0
    totals: Counter[str] = Counter()
    crashed: list[str] = []
    unreadable = 0
    truth = load_truth(folder)
    right = 0
    files = corpus_files(folder)
    for item in files:
        name = item.path.name
        head = f"{name} [{item.kind or '-'}]"
        facts = truth.facts.get(name) if truth else None
        try:
            document = read_document(name, item.data)
        except UnreadableDocument as error:
            unreadable += 1
            print(f"{head}: UNREADABLE: {error}")
            if truth and facts is not None:
                print("    " + truth.verdict(name, [f"import refused: {error}"]))
            continue
        except Exception as error:
            crashed.append(name)
            print(f"{head}: CRASHED")
            traceback.print_exc(file=sys.stdout)
            if truth and facts is not None:
                print("    " + truth.verdict(name, [f"import crashed: {type(error).__name__}"]))
            continue
        counts = summarise(document)
        totals.update(counts)
        print(
            f"{head}: title={document.title!r} sections={counts['sections']} "
            f"duties={counts['duties']} categories={counts['categories']} "
            f"criteria={counts['criteria']} E={counts['essential']} D={counts['desirable']} "
            f"?={counts['unknown']} with-methods={counts['methods']}"
        )
        for warning in document.warnings:
            print(f"    warning: {warning}")
        if truth and facts is not None:
            problems = truth.check(document.to_dict(), facts)
            right += not problems
            print("    " + truth.verdict(name, problems))
    print()
    print(
        f"TOTAL {len(files)} files: imported={len(files) - unreadable - len(crashed)} "
        f"unreadable={unreadable} crashed={len(crashed)} sections={totals['sections']} "
        f"duties={totals['duties']} categories={totals['categories']} "
        f"criteria={totals['criteria']} E={totals['essential']} D={totals['desirable']} "
        f"?={totals['unknown']} with-methods={totals['methods']} warnings={totals['warnings']}"
    )
    if truth:
        present = {item.path.name for item in files}
        for name in truth.facts:
            if name not in present:
                print(truth.verdict(name, ["corpus file missing"]))
        print(f"corpus fully right: {right}/{len(truth.facts)}")
    if crashed:
        print("crashed: " + ", ".join(crashed))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
