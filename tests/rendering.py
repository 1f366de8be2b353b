"""Open exported Word files in an independent reader: LibreOffice converts them to PDF, poppler
reads the PDF back as text (and as PNG pages, for people to look at)."""

from __future__ import annotations

import subprocess
from pathlib import Path

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


def render_pdfs(documents: list[Path], out: Path) -> dict[Path, Path]:
    """Convert .docx files to PDF in one LibreOffice run; returns {docx: pdf}.

    LibreOffice exits 0 even when a conversion fails, so every PDF is checked to exist.
    """
    out.mkdir(parents=True, exist_ok=True)
    profile = out / "lo-profile"
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            *map(str, documents),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    pdfs = {document: out / f"{document.stem}.pdf" for document in documents}
    missing = [str(document) for document, pdf in pdfs.items() if not pdf.exists()]
    assert not missing, f"LibreOffice could not open: {', '.join(missing)}"
    return pdfs


def pdf_text(pdf: Path) -> str:
    """The text LibreOffice laid out, in reading order."""
    result = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, timeout=60
    )
    return result.stdout.decode("utf-8")


def pdf_page_count(pdf: Path) -> int:
    result = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, timeout=60)
    for line in result.stdout.decode().splitlines():
        if line.startswith("Pages:"):
            return int(line.split()[1])
    raise AssertionError(f"pdfinfo gave no page count for {pdf}")


def save_pngs(pdf: Path, name: str) -> list[Path]:
    """Write the PDF's pages to test-artifacts/<name>-N.png for a person to look at."""
    ARTIFACTS.mkdir(exist_ok=True)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "80", str(pdf), str(ARTIFACTS / name)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return sorted(ARTIFACTS.glob(f"{name}-*.png"))
