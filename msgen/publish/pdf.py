"""Finish the PDFs LibreOffice makes, so that they equal the Word file (pikepdf).

LibreOffice 7.4 leaves three things a reviewed, accessible publication cannot have, and
none of its export options changes them:

- it stamps the time of conversion, a random document ID and a checksum of those into
  every PDF, so two builds of one document differ: the dates become the document's own
  (its core properties' modified date, the approval date msgen sets), the ID's
  permanent half a hash of the Word file and its changing half a hash of the PDF's
  content (qpdf's deterministic ID), and the checksum (obsolete) goes;
- it tags the title paragraph as "Title", which it role-maps to a plain P: the title is
  mapped to H1, the heading a screen reader lists first;
- it puts each list item's bullet or number inside the item's text (LBody) instead of a
  Lbl of its own, so screen readers read the glyph as words: the label moves into a Lbl.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from typing import Any, Iterator

TITLE_ROLE = "/H1"


def finish_pdf(pdf: bytes, *, source: bytes, date: dt.datetime) -> bytes:
    """The PDF of the Word file `source` with `date` as its creation and modification
    dates, the title tagged as a heading, list labels tagged as Lbl, and an ID that
    depends only on the two files' content."""
    import pikepdf

    with pikepdf.open(io.BytesIO(pdf)) as document:
        tree = document.Root.get("/StructTreeRoot")
        if tree is not None:
            _map_title_to_heading(document, tree)
            _tag_list_labels(document, tree)
        _set_dates(document, date)
        if "/DocChecksum" in document.trailer:
            del document.trailer["/DocChecksum"]
        permanent = pikepdf.String(hashlib.md5(source, usedforsecurity=False).digest())
        document.trailer.ID = pikepdf.Array([permanent, permanent])
        out = io.BytesIO()
        document.save(out, deterministic_id=True)
    return out.getvalue()


def _set_dates(document: Any, date: dt.datetime) -> None:
    import pikepdf

    stamp = date.astimezone(dt.timezone.utc)
    document.docinfo["/CreationDate"] = document.docinfo["/ModDate"] = pikepdf.String(
        stamp.strftime("D:%Y%m%d%H%M%SZ"))
    # Not as pikepdf's editor: that would stamp the metadata with today's date again.
    with document.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as metadata:
        metadata["xmp:CreateDate"] = metadata["xmp:ModifyDate"] = stamp.strftime("%Y-%m-%dT%H:%M:%SZ")


def _map_title_to_heading(document: Any, tree: Any) -> None:
    import pikepdf

    roles = tree.get("/RoleMap")
    if roles is None:
        tree.RoleMap = roles = document.make_indirect(pikepdf.Dictionary())
    if "/Title" in roles:
        roles.Title = pikepdf.Name(TITLE_ROLE)


def _tag_list_labels(document: Any, tree: Any) -> None:
    """Move the first marked content of each list item's paragraph (LibreOffice's label:
    the bullet or number, marked apart from the text) into a Lbl before the LBody."""
    import pikepdf

    parents = pikepdf.NumberTree(tree.ParentTree) if "/ParentTree" in tree else None
    pages = {page.objgen: page for page in document.pages}
    for item in list(_elements(tree, "/LI")):
        item_kids = _kids(item)
        if not item_kids or _type(item_kids[0]) != "/LBody":
            continue  # no body, or already labelled
        paragraph = next((kid for kid in _kids(item_kids[0]) if isinstance(kid, pikepdf.Dictionary)), None)
        if paragraph is None or "/Pg" not in paragraph:
            continue
        content = _kids(paragraph)
        if len(content) < 2 or not isinstance(content[0], int):
            continue  # a label alone, with no text after it, is not a label
        mcid = int(content[0])
        label = document.make_indirect(pikepdf.Dictionary(
            Type=pikepdf.Name.StructElem, S=pikepdf.Name.Lbl, P=item, Pg=paragraph.Pg, K=mcid))
        paragraph.K = pikepdf.Array(content[1:])
        item.K = pikepdf.Array([label, *item_kids])
        page = pages.get(paragraph.Pg.objgen)
        if parents is not None and page is not None and "/StructParents" in page.obj:
            marked = parents[int(page.obj.StructParents)]
            if mcid < len(marked):
                marked[mcid] = label


def _kids(element: Any) -> list:
    import pikepdf

    kids = element.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, pikepdf.Array) else [kids]


def _type(element: Any) -> str | None:
    import pikepdf

    return str(element.get("/S")) if isinstance(element, pikepdf.Dictionary) else None


def _elements(element: Any, structure_type: str) -> Iterator[Any]:
    """Every structure element of `structure_type` under `element`, depth first."""
    import pikepdf

    for kid in _kids(element):
        if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type", pikepdf.Name.StructElem) == "/StructElem":
            if _type(kid) == structure_type:
                yield kid
            yield from _elements(kid, structure_type)
