"""Issue 15, class 6 (templates): rendering is bounded.

A template from a templates folder must not make a build run for minutes or take the
machine's memory: huge powers, repetitions and ranges are refused before they are
computed, and a render has a time and a memory limit; each is one message naming the
template. (The limits are lowered here so the test runs quickly.)
"""

from __future__ import annotations

from pathlib import Path

import pytest

from msgen.document import bounds
from msgen.errors import TemplateError
from test_render import make_template, paragraph_texts, render

pytestmark = pytest.mark.slow  # many msgen processes and real builds: CI and the full run only

HOSTILE = {
    "{{ 10 ** 100000 }}": "10 ** 100000 is a number of about 100,000 digits",
    "{% set n = 10 ** 9000 %}{{ n * n }}": "a product of about 18,000 digits",
    "{{ 'ab' * 10000000 }}": "a text or list repeated to 20,000,000 characters or items",
    "{{ 100000000 * [0] }}": "a text or list repeated to 100,000,000 characters or items",
    "{% for i in range(10 ** 8) %}{% endfor %}": "range() of 100,000,000 numbers",
    "{% for i in range(99999) %}{% for j in range(99999) %}{% endfor %}{% endfor %}": "it ran for more than 1 seconds",
    "{% for i in range(99999) %}{% for j in range(99999) %}{{ i.real }}{% endfor %}{% endfor %}": "it ran for more",
    "{{ 'x' | center(600000000) }}": "it needs more than 200 MB of memory",
}


@pytest.mark.parametrize("body", HOSTILE)
def test_templates_are_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, body: str) -> None:
    monkeypatch.setattr(bounds, "RENDER_SECONDS", 1.0)
    monkeypatch.setattr(bounds, "RENDER_MEMORY_BYTES", 200 * 1024 ** 2)
    template = make_template(tmp_path / "hostile.docx", [body])
    with pytest.raises(TemplateError) as refused:
        render(template, {})
    message = str(refused.value)
    assert message.startswith(f"{template}: the template asks for too much: {HOSTILE[body]}")
    assert "\n" not in message
    fine = make_template(tmp_path / "fine.docx", ["{{ 2 ** 10 }} {{ 'ab' * 3 }} {{ range(3) | list | length }}"])
    assert paragraph_texts(render(fine, {})) == ["1024 ababab 3"]


def test_a_render_off_the_main_thread_has_its_deadline_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Signals reach only the main thread: elsewhere the sandbox's hooks check the deadline."""
    from concurrent.futures import ThreadPoolExecutor

    monkeypatch.setattr(bounds, "RENDER_SECONDS", 1.0)
    template = make_template(tmp_path / "slow.docx", [
        "{% for i in range(99999) %}{% for j in range(99999) %}{{ i.real }}{% endfor %}{% endfor %}"])
    with ThreadPoolExecutor(1) as pool, pytest.raises(TemplateError, match="it ran for more than 1 seconds"):
        pool.submit(render, template, {}).result()
