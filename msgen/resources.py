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


SCHEMA_VERSIONS = (1, 2)
_SCHEMA_FILES = {1: "profile.schema.json", 2: "profile-v2.schema.json"}


def schema_path(version: int = 1) -> Path:
    return _data_dir("schemas") / _SCHEMA_FILES[version]


@cache
def schema(version: int = 1) -> dict:
    """The profile schema of a version, read once per process."""
    return json.loads(schema_path(version).read_text(encoding="utf-8"))


def templates_dir(version: int = 1) -> Path:
    """msgen's own templates for profiles of a schema version: version 2's generic section
    templates live in templates/v2/ beside version 1's fixed-skeleton ones."""
    folder = _data_dir("templates")
    return folder / "v2" if version == 2 else folder


def presets_dir() -> Path:
    return _PACKAGE / "presets"
