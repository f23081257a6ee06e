"""Publish built Word documents as tagged PDF (LibreOffice) and as a web page (mammoth).

The .docx that lawyers reviewed is the one source: the PDF and the HTML are made from
its bytes, so the three never disagree. All PDFs of a run come from one LibreOffice
call (starting it costs far more than converting); the HTML is a complete, accessible
page with no script and nothing loaded from elsewhere, ready to serve or paste into a
CMS. Neither replaces an existing file unless asked to, and a failed conversion leaves
no partial file behind.
"""

from __future__ import annotations

import html
import re
import shutil
import tempfile
from pathlib import Path

from msgen import office
from msgen.errors import OutputError
from msgen.writer import check_writable, replace_file, write_bytes

LANGUAGE = "en-GB"

# Title is the page's one h1, so every Word heading moves down one level.
STYLE_MAP = "\n".join(
    ["p.Title => h1:fresh", "p[style-name='Title'] => h1:fresh"]
    + [f"{matcher} => h{level + 1}:fresh"
       for level in range(1, 6)
       for matcher in (f"p.Heading{level}", f"p[style-name='Heading {level}']",
                       f"p[style-name='heading {level}']")]
)

PAGE_STYLE = """\
body{font-family:Arial,Helvetica,sans-serif;line-height:1.5;color:#0b0c0c;max-width:48em;margin:0 auto;padding:1em}
.skip-link{position:absolute;left:-999em}
.skip-link:focus{position:static;display:inline-block;padding:.25em;background:#fd0;color:#0b0c0c}
table{border-collapse:collapse;margin:1em 0}
th,td{border:1px solid #b1b4b6;padding:.4em .6em;text-align:left;vertical-align:top}
img{max-width:100%;height:auto}
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
    language from the document's default language.
    """
    if not docx_paths:
        return []
    out_dir = Path(out_dir)
    targets = [out_dir / f"{Path(p).stem}.pdf" for p in docx_paths]
    for target in targets:
        check_writable(target, force=force)
    # Converted beside the targets, then moved: a run that fails part-way replaces nothing.
    staging = Path(tempfile.mkdtemp(prefix=".msgen-pdf-", dir=out_dir))
    try:
        made = office.convert(list(docx_paths), staging, "pdf")
        for pdf, target in zip(made, targets):
            replace_file(pdf, target)
    except office.OfficeMissing as exc:
        raise OutputError(str(exc), fix="the Word documents are written; only the PDFs are missing") from None
    except office.OfficeFailed as exc:
        raise OutputError(str(exc)) from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return targets


def to_html(docx_paths: list[Path], out_dir: Path, *, force: bool = False) -> list[Path]:
    """A web page of each document, named like it, in out_dir."""
    out_dir = Path(out_dir)
    targets = [out_dir / f"{Path(p).stem}.html" for p in docx_paths]
    for target in targets:
        check_writable(target, force=force)
    for source, target in zip(docx_paths, targets):
        write_bytes(target, html_page(Path(source)).encode("utf-8"), force=force)
    return targets


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
