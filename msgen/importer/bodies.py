"""The bodies a statement names, recognised from msgen check's list of every UK police force,
commissioner's office and fire and rescue service (msgen/check/bodies.py), each with its
version-2 body type.

The list is check's, so import and check recognise the same names; a body's name is kept as
the statement writes it, since that is the name the body's board approved.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from msgen.check.bodies import COMMISSIONER, FIRE_SERVICE, Body, body_names_in

# "Staffordshire Commissioner" is named "Staffordshire Commissioner's Office" as a body.
OFFICE_SUFFIX = re.compile(r"['’]s Office\b")
# A commissioner who also governs the fire service (a PFCC) says so somewhere in the text.
FIRE_COMMISSIONER = re.compile(r"\bPolice,? Fire and Crime Commissioner|\bO?PFCC\b", re.IGNORECASE)
PCC_NAME = re.compile(r"\bPolice and Crime Commissioner\b|\bO?PCC\b")
FIRE_AUTHORITY = re.compile(r"\bFire (?:and|&) Rescue Authority\b|\bFire Authority\b", re.IGNORECASE)


@dataclass(frozen=True)
class NamedBody:
    """A body as a statement names it: `name` as written (the longest form used), its version-2
    `type`, and `unsure_type`, why the type is a guess (empty when the name itself says it)."""

    name: str
    type: str
    unsure_type: str = ""


def find_bodies(text: str) -> list[NamedBody]:
    """The bodies named in the text, in the order first named, each once."""
    names: dict[Body, str] = {}  # check's body → the longest name the text gives it
    for mention in body_names_in(text):
        name = mention.text
        suffix = OFFICE_SUFFIX.match(text, mention.end)
        if suffix and not name.lower().startswith("office"):
            name += suffix.group()
        body = mention.bodies[0]
        if len(name) > len(names.get(body, "")):
            names[body] = name
    return [NamedBody(name, *_body_type(body.kind, name, text)) for body, name in names.items()]


def _body_type(kind: str, name: str, text: str) -> tuple[str, str]:
    """The version-2 type of a body of check's kind, and why it is a guess ("" when the name says it)."""
    if kind == FIRE_SERVICE:
        return ("fire-authority", "") if FIRE_AUTHORITY.search(name) else ("fire-and-rescue", "")
    if kind != COMMISSIONER:
        return "police-force", ""
    if FIRE_COMMISSIONER.search(name):
        return "pfcc-office", ""
    if PCC_NAME.search(name):
        return "pcc-office", ""
    if FIRE_COMMISSIONER.search(text):
        return "pfcc-office", "the text names a Police, Fire and Crime Commissioner"
    return "pcc-office", "a commissioner's office: pfcc-office if the commissioner also governs the fire service"


# "the OPCC" or "the Office of the Police and Crime Commissioner" without the area it serves.
UNNAMED_COMMISSIONER = re.compile(r"\bO?P(?:F)?CC\b|\bOffice of the Police,? (?:Fire )?and Crime Commissioner\b")


def unnamed_commissioner(text: str, bodies: list[NamedBody]) -> str:
    """How the text names a commissioner's office it gives no area for, when no office was recognised:
    a body of the statement, perhaps, that a person must add by its legal name."""
    if any(body.type in ("pcc-office", "pfcc-office") for body in bodies):
        return ""
    match = UNNAMED_COMMISSIONER.search(text)
    return match.group() if match else ""
