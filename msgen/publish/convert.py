"""Publish built Word documents as tagged PDF (LibreOffice).

The .docx that lawyers reviewed is the one source: the PDF is made from its bytes, so
the two never disagree (the web page is rendered from the same rows: publish/html.py).
All PDFs of a run come from one LibreOffice call (starting it costs far more than
converting). No PDF replaces an existing file unless asked to, and a failed conversion
leaves no partial file behind (a run's files are all written, or none).
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from msgen.publish import office
from msgen.errors import OutputError
from msgen.writer import check_writable, write_outputs


def to_pdf(docx_paths: list[Path], out_dir: Path, *, force: bool = False) -> list[Path]:
    """Tagged PDF/UA of each document, named like it, in out_dir; one LibreOffice run for all.

    LibreOffice takes the PDF's title from the document's core properties and its
    language from the document's default language; msgen.publish.pdf finishes each PDF
    so that the same document always gives the same bytes.
    """
    if not docx_paths:
        return []
    from msgen.publish.pdf import finish_pdf

    targets = _targets(docx_paths, out_dir, ".pdf")
    for target in targets:  # before LibreOffice's seconds of work, not after
        check_writable(target, force=force)
    with tempfile.TemporaryDirectory(prefix="msgen-pdf-") as staging:
        try:
            sources = [Path(p).read_bytes() for p in docx_paths]
        except OSError as exc:
            raise OutputError(f"cannot read a document to make its PDF: {exc}") from None
        copies = [_pdf_source(Path(path), data, Path(staging) / str(n))
                  for n, (path, data) in enumerate(zip(docx_paths, sources))]
        try:
            made = office.convert(copies, Path(staging) / "pdf", "pdf")
        except office.OfficeMissing as exc:
            raise OutputError(str(exc), fix="the Word documents are written; only the PDFs are missing") from None
        except office.OfficeFailed as exc:
            raise OutputError(str(exc)) from None
        pdfs = {target: finish_pdf(pdf.read_bytes(), source=data, date=_date(data, path))
                for target, pdf, data, path in zip(targets, made, sources, docx_paths)}
        return write_outputs(pdfs, force=force, unwritten="no PDF")


def _pdf_source(docx_path: Path, docx: bytes, folder: Path) -> Path:
    """The copy of the document LibreOffice converts: with no content controls, because
    LibreOffice 7.4 drops the bold and italic of runs inside them when it makes a PDF
    (they only mark profile fields for `msgen pull`, which reads the .docx), and with
    its typed web addresses made links."""
    from msgen.document.finish import link_web_addresses
    from msgen.ooxml import without_content_controls

    folder.mkdir()
    copy = folder / docx_path.name
    copy.write_bytes(link_web_addresses(without_content_controls(docx)))
    return copy


def _date(docx: bytes, docx_path: Path) -> dt.datetime:
    """The date the document carries (its last-modified core property: msgen sets the
    approval date), so the PDF's dates are the Word file's, not the time of conversion;
    the start of 1980 (the earliest a .docx zip can hold) when there is none."""
    from msgen.ooxml import CORE_PROPERTIES, NS, parse, read_parts

    core = read_parts(docx, file=docx_path, wanted=CORE_PROPERTIES.__eq__).get(CORE_PROPERTIES)
    modified = parse(core).findtext("dcterms:modified", namespaces=NS) if core else None
    try:
        stamp = dt.datetime.fromisoformat((modified or "").strip().replace("Z", "+00:00"))
    except ValueError:
        return dt.datetime(1980, 1, 1, tzinfo=dt.timezone.utc)
    return stamp if stamp.tzinfo else stamp.replace(tzinfo=dt.timezone.utc)


def _targets(docx_paths: list[Path], out_dir: Path, suffix: str) -> list[Path]:
    return [Path(out_dir) / Path(p).with_suffix(suffix).name for p in docx_paths]
