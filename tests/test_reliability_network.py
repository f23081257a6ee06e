"""Issue 15, class 4 (part): nothing reaches the network.

LibreOffice, making a PDF, fetches an image a document links to (an address in a
template, or one planted by whoever edited the .docx): msgen runs it with links from
untrusted documents blocked, so a loopback server sees no request. A link in a published
statement is http(s) or mailto only: other schemes are refused when the profile is validated.
"""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import threading
import zipfile
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import docx
import pytest
from docx.shared import Mm

from msgen.profile.loader import load_profile
from msgen.publish.office import convert
from pdfs import pdf_text
from test_render import png

pytestmark = pytest.mark.slow  # many msgen processes and real builds: CI and the full run only

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "staffordshire-joint-2022.yaml"


class _Recorder(BaseHTTPRequestHandler):
    requests: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        self.requests.append(f"{self.command} {self.path}")
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()
        self.wfile.write(png())

    do_HEAD = do_OPTIONS = do_PROPFIND = do_GET

    def log_message(self, *_: object) -> None:
        pass


def _linked_image_docx(path: Path, address: str) -> Path:
    """A .docx whose only image is linked (r:link, TargetMode External), not embedded."""
    document = docx.Document()
    document.add_paragraph("A statement with a linked image")
    document.add_picture(io.BytesIO(png()), width=Mm(20))
    saved = io.BytesIO()
    document.save(saved)
    with zipfile.ZipFile(saved) as source, zipfile.ZipFile(path, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "word/document.xml":
                data = data.replace(b'r:embed="', b'r:link="')
            elif item.filename == "word/_rels/document.xml.rels":
                data = re.sub(rb'Target="media/[^"]+"', f'Target="{address}" TargetMode="External"'.encode(), data)
            elif item.filename.startswith("word/media/"):
                continue
            target.writestr(item, data)
    return path


@pytest.mark.needs_office
def test_libreoffice_fetches_nothing_a_document_links_to(tmp_path: Path) -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        address = f"http://127.0.0.1:{server.server_address[1]}/tracking.png"
        source = _linked_image_docx(tmp_path / "linked.docx", address)
        pdf, = convert([source], tmp_path / "out")
    finally:
        server.shutdown()
        server.server_close()
    assert _Recorder.requests == []
    assert "A statement with a linked image" in pdf_text(pdf)


@pytest.mark.parametrize("address", ["javascript:alert(document.cookie)", "JavaScript://example.org/%0Aalert(1)",
                                     "file:///etc/passwd", "data:text/html,<script>alert(1)</script>",
                                     "vbscript:msgbox(1)", "https://example.org/\u202egpj.exe",
                                     "https://example.org:port/"])
def test_links_in_outputs_are_http_or_mailto_only(tmp_path: Path, address: str) -> None:
    data = load_profile(EXAMPLE).data
    data["statement"]["publication"]["statement_url"] = address
    data["statement"]["publication"]["request_email"] = "javascript:alert(1)//@example.org"
    profile = tmp_path / "profile.json"
    profile.write_text(json.dumps(data), encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "msgen", "validate", str(profile)], capture_output=True, text=True,
                         env={**os.environ, "MSGEN_CACHE_DIR": "/dev/null/no-cache"})
    assert run.returncode == 1
    assert "statement.publication.statement_url: expected a full web address starting https://" in run.stdout
    assert "expected an email address, got 'javascript:alert(1)//@example.org'" in run.stdout
