"""The benchmarks in `benchmarks/` still start: a service split once broke an import in one of
them, unnoticed until the next measurement."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"


@pytest.mark.parametrize("name", ["load", "scoring", "dedupe"])
def test_benchmark_loads_and_describes_its_options(name):
    finished = subprocess.run(
        [sys.executable, str(BENCHMARKS / f"{name}.py"), "--help"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert finished.returncode == 0, finished.stderr
    assert finished.stdout.startswith(f"usage: {name}.py")


def test_export_benchmark_prints_its_table_for_one_document():
    finished = subprocess.run(
        [sys.executable, str(BENCHMARKS / "export.py"), "1"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert finished.returncode == 0, finished.stderr
    assert "JD + person spec export (database read + build + save)" in finished.stdout
