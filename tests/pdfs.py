"""Test helper: what a PDF says about itself, read with poppler (pdftotext, pdfinfo).

pdfinfo parses the PDF, so the checks hold whether or not LibreOffice compresses objects.
"""

from __future__ import annotations

import re
import subprocess
import zlib
from pathlib import Path


def _poppler(*args: str) -> str:
    return subprocess.run(list(args), check=True, capture_output=True, text=True).stdout


def pdf_text(pdf: Path) -> str:
    return _poppler("pdftotext", str(pdf), "-")


def pdf_info(pdf: Path) -> dict[str, str]:
    """pdfinfo's fields, e.g. {'Title': ..., 'Tagged': 'yes'}."""
    fields = (line.split(":", 1) for line in _poppler("pdfinfo", str(pdf)).splitlines() if ":" in line)
    return {key.strip(): value.strip() for key, value in fields}


def pdf_structure(pdf: Path) -> str:
    """The structure tree (empty when the PDF has no StructTreeRoot)."""
    return _poppler("pdfinfo", "-struct", str(pdf))


def pdf_metadata(pdf: Path) -> str:
    return _poppler("pdfinfo", "-meta", str(pdf))


def pdf_catalog_lang(pdf: Path) -> str | None:
    """The document language, from the catalog or (if LibreOffice compressed it) any stream."""
    data = Path(pdf).read_bytes()
    chunks = [data]
    for stream in re.findall(rb"stream\r?\n(.*?)endstream", data, re.S):
        try:
            chunks.append(zlib.decompress(stream))
        except zlib.error:
            pass
    found = [m for c in chunks for m in re.findall(rb"/Lang\s*\(([^)]*)\)", c)]
    return found[0].decode() if found else None
