"""JD .docx exports per second for 200 documents, against the floor measured in the same run.

The floor is python-docx itself: build an empty document from its default template and save it.
The export builds the full JD + person spec of each seed (cycled to 200) from its approved
version's content, so the ratio shows what jdtool's building adds on top of python-docx.

Run: .venv/bin/python benchmarks/export.py [COUNT]
"""

from __future__ import annotations

import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from docx import Document

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from jdtool.app import create_app  # noqa: E402  (after the path set-up, to run from a checkout)
from jdtool.export.job_description import VersionRecord, build_job_description  # noqa: E402
from jdtool.export.styles import document_bytes  # noqa: E402
from jdtool.services.approval import approve_job_description  # noqa: E402
from jdtool.services.documents import (  # noqa: E402
    document_of,
    import_document,
)
from jdtool.services.exports import assessment_method_columns, export_job_description  # noqa: E402
from tests.conftest import ready_for_approval  # noqa: E402


def rate(count: int, action) -> float:
    start = time.perf_counter()
    for index in range(count):
        action(index)
    return count / (time.perf_counter() - start)


def main(count: int = 200) -> None:
    with tempfile.TemporaryDirectory() as folder:
        app = create_app(
            {"DATABASE_URL": f"sqlite:///{folder}/bench.sqlite3", "SECRET_KEY": "benchmark"}
        )
        with app.extensions["jdtool_sessions"]() as session:
            ids, inputs = [], []
            for path in sorted((ROOT / "seed_jds").glob("*.txt")):
                job_description = import_document(session, path.name, path.read_bytes())
                ready_for_approval(session, job_description.id)  # review, E/D decided
                version = approve_job_description(session, job_description.id)
                ids.append(job_description.id)
                record = VersionRecord(version.number, version.content_hash)
                inputs.append(
                    (document_of(version), record, assessment_method_columns(session, version))
                )
            session.commit()

            def floor(_index: int) -> None:
                document_bytes(Document())

            def build_only(index: int) -> None:
                content, record, methods = inputs[index % len(inputs)]
                built = build_job_description(content, record, methods, dated=date.today())
                document_bytes(built)

            def full_export(index: int) -> None:
                export_job_description(session, ids[index % len(ids)])

            floor(0), build_only(0), full_export(0)  # warm up imports and caches
            floor_rate = rate(count, floor)
            build_rate = rate(count, build_only)
            export_rate = rate(count, full_export)
        app.extensions["jdtool_engine"].dispose()

    print(f"{count} documents, seeds cycled ({len(ids)} seeds)")
    print(f"{'what':<52} {'docs/s':>8} {'vs floor':>9}")
    rows = [
        ("floor: empty python-docx document, saved", floor_rate),
        ("JD + person spec built from content, saved", build_rate),
        ("JD + person spec export (database read + build + save)", export_rate),
    ]
    for label, value in rows:
        print(f"{label:<52} {value:>8.1f} {value / floor_rate:>8.2f}×")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
