"""Starter profiles for `msgen init`: valid from the start, with `[insert …]` where the
body's own words go (msgen check flags any left in).

A preset file holds what differs between kinds of statement (the bodies, who approves
and signs); common.yaml holds the sections every version-1 preset shares, common-v2.yaml
the guidance's six areas as version-2 sections with the standard clauses switched on. They are joined as text,
not parsed and dumped, so the comments that guide the officer reach the written file.
The financial year is filled in from today's date: the last one that has ended is the
one a statement normally covers, and a year copied from an example is a known defect.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from string import Template

from msgen import resources
from msgen.errors import OutputError, UsageError
from msgen.writer import write_bytes

PRESETS = {
    "single-force": "one police force's own statement",
    "police-and-pcc": "a joint statement of a police force and its Police and Crime Commissioner's office",
    "police-fire-and-commissioner": ("a joint statement of a police force, a fire and rescue service "
                                     "and their Police, Fire and Crime Commissioner's office"),
    "fire-authority": "a fire and rescue authority's own statement (schema version 2)",
    "pfcc-fire": ("the statement of a Police, Fire and Crime Commissioner as fire and rescue authority "
                  "(schema version 2)"),
}
VERSION_2_PRESETS = ("fire-authority", "pfcc-fire")  # the body's own sections: written in schema version 2
PROFILE_SUFFIXES = (".yaml", ".yml")

_HEADER = """\
# Modern Slavery and Human Trafficking statement profile (msgen init --preset {preset}).
# Replace every [insert …] with your own words; lines starting with # are notes msgen ignores.
# Long text follows `>-` on the lines below it, indented: write it as plain sentences.
# Check it with `msgen validate {name}`; every field is described in docs/{reference}.
$schema: {schema_id}
"""


def last_ended_financial_year(today: date) -> tuple[date, date]:
    """The 1 April to 31 March year that most recently ended on or before `today`."""
    end_year = today.year if today.month >= 4 else today.year - 1
    return date(end_year - 1, 4, 1), date(end_year, 3, 31)


def preset_text(preset: str, *, file_name: str = "profile.yaml", today: date | None = None) -> str:
    """The starter profile for `preset`, as the YAML text `msgen init` writes."""
    if preset not in PRESETS:
        choices = "; ".join(f"{name} ({what})" for name, what in PRESETS.items())
        raise UsageError(f"there is no preset '{preset}'; choose one of: {choices}")
    start, end = last_ended_financial_year(today or date.today())
    version = preset_version(preset)
    folder = resources.presets_dir()
    common = "common-v2.yaml" if version == 2 else "common.yaml"
    body = "".join((folder / name).read_text(encoding="utf-8") for name in (f"{preset}.yaml", common))
    header = _HEADER.format(preset=preset, name=file_name, schema_id=resources.schema(version)["$id"],
                            reference="profile-v2.md" if version == 2 else "profile.md")
    return header + Template(body).substitute(
        financial_year=f"{start.year}-{end.year % 100:02d}",
        period_start=start.isoformat(),
        period_end=end.isoformat(),
    )


def preset_version(preset: str) -> int:
    """The schema version a preset is written in."""
    return 2 if preset in VERSION_2_PRESETS else 1


def write_preset(preset: str, path: Path, *, today: date | None = None) -> None:
    """Write a new profile from `preset` (atomically); never over a file that is already there."""
    path = Path(path)
    if path.suffix.lower() not in PROFILE_SUFFIXES:
        raise UsageError("msgen init writes a YAML profile", file=path,
                         fix=f"name it {path.stem or 'profile'}.yaml")
    text = preset_text(preset, file_name=path.name, today=today)
    if path.exists():
        raise OutputError("already exists; msgen init never overwrites a file", file=path,
                          fix="use another name, e.g. msgen init new-profile.yaml")
    write_bytes(path, text.encode("utf-8"))
