"""The build record: which profile and template a document was built from.

Each built .docx carries, as custom document properties (File > Info > Properties >
Advanced > Custom in Word), the msgen and schema versions and SHA-256 hashes of the
profile file and of the template, so anyone holding a published document can tell
which profile made it, and `msgen check` and `msgen pull` can tell whether the profile
(with the shared files it takes parts from) has changed since. Only file names are
recorded, never folders: the same files give the same document on any machine, and no
one's home folder is published.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import IO, Iterable, Mapping

PREFIX = "msgen."
# The parts of a profile its statement is built from (its charter: from them all): the
# shared files they take text from count as the statement's profile, so an edit to a shared
# charter changes the charters that include it and no statement.
STATEMENT_PARTS = ("bodies", "sections")


@dataclass(frozen=True)
class BuildRecord:
    """What a document was built from; each field is one custom property `msgen.<field>`."""

    version: str
    schema_version: str
    profile_name: str
    profile_sha256: str
    template_name: str
    template_sha256: str

    def as_properties(self) -> dict[str, str]:
        return {PREFIX + name: value for name, value in asdict(self).items()}

    def describe(self) -> str:
        """One line for the terminal, e.g. "built from x.yaml (sha256 1a2b3c4d…) with …"."""
        return (f"built from {self.profile_name} (sha256 {self.profile_sha256[:12]}…) with the template "
                f"{self.template_name} (sha256 {self.template_sha256[:12]}…) by msgen {self.version}, "
                f"profile schema version {self.schema_version}")


def sha256_of(paths: Iterable[Path]) -> str:
    """The SHA-256 of the files' bytes, one after the other."""
    digest = hashlib.sha256()
    for path in paths:
        digest.update(Path(path).read_bytes())
    return digest.hexdigest()


def record_for(profile: Path, template: Path, blocks: Iterable[Path], schema_version: int = 1,
               shared: Iterable[Path] = ()) -> BuildRecord:
    """The record of building `template` (and the blocks it includes) from `profile` (and
    the shared files it takes parts from: a change to one is a change to the profile)."""
    from msgen import __version__

    return BuildRecord(
        version=__version__,
        schema_version=str(schema_version),
        profile_name=Path(profile).name,
        profile_sha256=sha256_of([profile, *shared]),
        template_name=Path(template).name,
        template_sha256=sha256_of([template, *blocks]),
    )


def from_properties(properties: Mapping[str, str]) -> BuildRecord | None:
    """The record in a document's custom properties; None when any part of it is missing."""
    names = [f.name for f in fields(BuildRecord)]
    values = {name: value for name in names if (value := properties.get(PREFIX + name))}
    return BuildRecord(**values) if len(values) == len(names) else None


def read_record(docx: Path | IO[bytes]) -> BuildRecord | None:
    """The build record of a .docx, or None when it has none (built before msgen kept
    records, or its properties were removed)."""
    return from_properties(read_custom_properties(docx))


def origin(docx: Path) -> str:
    """One line saying what `docx` was built from, for `msgen check --docx`."""
    record = read_record(docx)
    if record is None:
        return (f"{Path(docx).name}: no build record (built before msgen kept one, or its custom "
                "properties were removed), so which profile it came from is unknown")
    return f"{Path(docx).name}: {record.describe()}"


def read_custom_properties(docx: Path | IO[bytes]) -> dict[str, str]:
    """name → text of each custom document property ({} when there are none)."""
    from msgen import ooxml

    return ooxml.read_custom_properties(ooxml.read_parts(docx, wanted={ooxml.CUSTOM_PROPERTIES}.__contains__))
