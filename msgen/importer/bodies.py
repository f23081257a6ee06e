"""The UK police, PCC/PFCC and fire and rescue bodies import recognises, from bodies.yaml."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml


@dataclass(frozen=True)
class Body:
    name: str
    type: str


@lru_cache(maxsize=1)
def known_bodies() -> tuple[Body, ...]:
    entries = yaml.safe_load((Path(__file__).with_name("bodies.yaml")).read_text(encoding="utf-8"))
    # longest first, so "Staffordshire Fire and Rescue Service" wins over "Staffordshire Fire and Rescue"
    return tuple(sorted((Body(**entry) for entry in entries), key=lambda body: -len(body.name)))


def find_bodies(text: str) -> list[Body]:
    """The bodies named in the text, in the order first named; a shorter name inside a longer one counts once."""
    lowered = text.lower()
    found: list[tuple[int, Body]] = []
    for body in known_bodies():
        position = lowered.find(body.name.lower())
        if position >= 0 and not any(body.name.lower() in other.name.lower() for _, other in found):
            found.append((position, body))
    return [body for _, body in sorted(found, key=lambda pair: pair[0])]
