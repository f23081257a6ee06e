"""PDFs for 14 documents: msgen's one LibreOffice run against one run per document.

Run: .venv/bin/python benchmarks/publish.py [--documents N]
Prints both times and the ratio (target: at least 5 times faster). Each document is a four-page statement-sized Word file,
as a year's batch of statements would be.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import docx

from msgen.publish import office
from msgen.publish.convert import to_pdf

SECTIONS = ("Introduction", "About the organisation", "Policies", "Due diligence",
            "Risk assessment", "Training", "Next year")


def make_document(path: Path, number: int) -> Path:
    document = docx.Document()
    document.core_properties.title = f"Modern Slavery Statement {number}"
    document.add_paragraph(f"Modern Slavery Statement {number}", style="Title")
    for heading in SECTIONS:
        document.add_heading(heading, level=1)
        for _ in range(4):
            document.add_paragraph("The body takes a zero-tolerance approach to modern slavery in "
                                   "its operations and supply chains, and reviews it every year. " * 3)
    table = document.add_table(rows=4, cols=2)
    for row, (name, role) in zip(table.rows, [("Name", "Role"), ("A Person", "Chief Constable"),
                                              ("B Person", "Commissioner"), ("C Person", "Chief Fire Officer")]):
        row.cells[0].text, row.cells[1].text = name, role
    document.save(path)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=14)
    count = parser.parse_args().documents
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        sources = [make_document(folder / f"statement-{n:02d}.docx", n) for n in range(count)]
        (folder / "together").mkdir()

        start = time.perf_counter()
        to_pdf(sources, folder / "together")
        together = time.perf_counter() - start

        start = time.perf_counter()
        for source in sources:
            office.convert([source], folder / "one-by-one")
        one_by_one = time.perf_counter() - start

    print(f"{count} documents to PDF")
    print(f"  msgen (one LibreOffice run): {together:6.2f} s  ({together / count:.2f} s each)")
    print(f"  one LibreOffice run each:    {one_by_one:6.2f} s  ({one_by_one / count:.2f} s each)")
    print(f"  ratio: {one_by_one / together:.1f}x (target at least 5x)")


if __name__ == "__main__":
    main()
