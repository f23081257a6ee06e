"""Profile values that remember where in the profile they came from.

The context builder wraps every string it takes from the profile in a Field; a template
prints it like any string. When rendered, a Field carries its profile path to the
document (as private-use marker characters the renderer turns into a Word content
control tagged with the path), so a reviewer sees which field a sentence comes from and
`msgen pull` can carry Word edits back. The schema forbids these characters in profile
text, so markers can only come from here.
"""

from __future__ import annotations

from markupsafe import escape

OPEN, MID, CLOSE = "\ue000", "\ue001", "\ue002"


class Field(str):
    """A string from the profile, with its path (e.g. 'signatories[1].name')."""

    path: str

    def __new__(cls, value: str, path: str) -> Field:
        obj = super().__new__(cls, value)
        obj.path = path
        return obj

    def __html__(self) -> str:
        """Jinja's autoescape calls this: escaped text between path markers."""
        return f"{OPEN}{escape(self.path)}{MID}{escape(str(self))}{CLOSE}"
