"""Where the schema and the default templates live, installed or in a source checkout.

A wheel carries them inside the package (msgen/schemas, msgen/templates); an editable
install or a checkout finds them beside the package, where the repository keeps them.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _data_dir(name: str) -> Path:
    for candidate in (_PACKAGE / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"msgen is installed without its {name}/ folder")


def schema_path() -> Path:
    return _data_dir("schemas") / "profile.schema.json"


@cache
def schema() -> dict:
    """The profile schema, read once per process."""
    return json.loads(schema_path().read_text(encoding="utf-8"))


def templates_dir() -> Path:
    return _data_dir("templates")


def presets_dir() -> Path:
    return _PACKAGE / "presets"
