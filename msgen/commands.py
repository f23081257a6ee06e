"""What each CLI command does, as plain functions the CLI and the tests call alike."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Iterable

from msgen.errors import InvalidProfile, Problem, ProfileError, UsageError
from msgen.profile.loader import SUFFIXES, LoadedProfile, load_profile
from msgen.profile.validate import validate


def profile_paths(arguments: Iterable[Path]) -> list[Path]:
    """The profiles a command line names: each file as given, and every .json, .yaml and
    .yml name directly in a folder given (sorted; sub-folders are not searched; a pipe,
    device or broken link of such a name is kept, so reading it refuses it by name rather
    than the build silently leaving it out). A folder holding none is passed over with a
    note, since a shell glob such as `examples/*` names image folders too; naming no
    profile at all is a usage error."""
    from msgen import console

    paths: list[Path] = []
    passed_over: list[Path] = []
    for argument in map(Path, arguments):
        if not argument.is_dir():
            paths.append(argument)
            continue
        found = sorted(p for p in argument.iterdir() if p.suffix.lower() in SUFFIXES and not p.is_dir())
        paths.extend(found)
        if not found:
            passed_over.append(argument)
    if not paths:
        raise UsageError("no profile (.json, .yaml or .yml) in the folder(s) given",
                         file=", ".join(map(str, passed_over)))
    for folder in passed_over:
        console.info(f"{folder}: no profile (.json, .yaml or .yml) in this folder; passed over")
    return paths


def validate_profiles(paths: Iterable[Path]) -> list[Problem]:
    """Every problem in every profile; a file that cannot be read is one problem, not a crash."""
    problems: list[Problem] = []
    for path in paths:
        try:
            problems.extend(validate(load_profile(path)))
        except (ProfileError, UsageError) as exc:
            if isinstance(exc, UsageError) and not Path(path).exists():
                raise
            problems.append(exc.problem if exc.file else dataclasses.replace(exc.problem, file=str(path)))
    return problems


def load_valid_profile(path: Path) -> LoadedProfile:
    """Load a profile and insist it is valid: what every command that writes something needs."""
    profile = load_profile(path)
    problems = validate(profile)
    if problems:
        raise InvalidProfile(problems)
    return profile
