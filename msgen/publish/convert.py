"""Publish built Word documents as tagged PDF (LibreOffice) and as a web page (mammoth).

The .docx that lawyers reviewed is the one source: the PDF and the HTML are made from
its bytes, so the three never disagree. All PDFs of a run come from one LibreOffice
call (starting it costs far more than converting); the HTML is a complete, accessible
page with no script and nothing loaded from elsewhere, ready to serve or paste into a
CMS. Neither replaces an existing file unless asked to, and a failed conversion leaves
no partial file behind (a run's files are all written, or none).
"""

from __future__ import annotations

import datetime as dt
import html
import re
import tempfile
from pathlib import Path

from msgen.publish import office
from msgen.errors import OutputError
from msgen.writer import check_writable, write_outputs

LANGUAGE = "en-GB"

# Title is the page's one h1, so every Word heading moves down one level. Lists nest by
# their style's level (List Bullet 2 inside the item before it), quotations are blockquotes.
STYLE_MAP = "\n".join(
    ["p.Title => h1:fresh", "p[style-name='Title'] => h1:fresh", "p.Subtitle => p.subtitle:fresh"]
    + [f"{matcher} => h{level + 1}:fresh"
       for level in range(1, 6)
       for matcher in (f"p.Heading{level}", f"p[style-name='Heading {level}']",
                       f"p[style-name='heading {level}']")]
    + [f"p[style-name='List {kind}{f' {depth}' if depth > 1 else ''}'] => "
       f"{'ul|ol > li > ' * (depth - 1)}{tag} > li:fresh"
       for kind, tag in (("Bullet", "ul"), ("Number", "ol")) for depth in (1, 2, 3)]
    + ["p[style-name='Quote'] => blockquote > p:fresh", "p[style-name='Caption'] => p.caption:fresh",
       "p[style-name='Body Text 3'] => p.note:fresh", "p[style-name='List Continue'] => p.definition:fresh"]
)

PAGE_STYLE = """\
body{font-family:Arial,Helvetica,sans-serif;line-height:1.5;color:#0b0c0c;max-width:48em;margin:0 auto;padding:1em}
.skip-link{position:absolute;left:-999em}
.skip-link:focus{position:static;display:inline-block;padding:.25em;background:#fd0;color:#0b0c0c}
table{border-collapse:collapse;margin:1em 0}
th,td{border:1px solid #b1b4b6;padding:.4em .6em;text-align:left;vertical-align:top}
img{max-width:100%;height:auto}
.subtitle{font-size:1.25em}
@media print{
.skip-link{display:none}
body{max-width:none;padding:0;font-size:11pt}
a[href^="http"]::after{content:" (" attr(href) ")"}
h1,h2,h3,h4,h5,h6{break-after:avoid}
tr,img{break-inside:avoid}
thead{display:table-header-group}
}"""

PAGE = """\
<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
{style}
</style>
</head>
<body>
<a class="skip-link" href="#main">Skip to main content</a>
<main id="main">
{body}
</main>
</body>
</html>
"""


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


def to_html(docx_paths: list[Path], out_dir: Path, *, force: bool = False) -> list[Path]:
    """A web page of each document, named like it, in out_dir."""
    targets = _targets(docx_paths, out_dir, ".html")
    for target in targets:  # before converting, not after
        check_writable(target, force=force)
    pages = {t: html_page(Path(s)).encode("utf-8") for s, t in zip(docx_paths, targets)}
    return write_outputs(pages, force=force)


def _targets(docx_paths: list[Path], out_dir: Path, suffix: str) -> list[Path]:
    return [Path(out_dir) / Path(p).with_suffix(suffix).name for p in docx_paths]


def html_page(docx_path: Path) -> str:
    """The document as one accessible HTML page: its title, one h1, header cells, alt text."""
    import docx
    import mammoth

    title = docx.Document(str(docx_path)).core_properties.title or docx_path.stem
    with open(docx_path, "rb") as source:
        body = mammoth.convert_to_html(source, style_map=STYLE_MAP).value
    if not re.search(r"<h1[ >]", body):  # a document without a Title paragraph
        body = f"<h1>{html.escape(title)}</h1>{body}"
    return PAGE.format(lang=LANGUAGE, title=html.escape(title), style=PAGE_STYLE, body=body)
