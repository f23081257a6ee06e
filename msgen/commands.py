"""What each CLI command does, as plain functions the CLI and the tests call alike."""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

from msgen.errors import InvalidProfile, ProfileError, UsageError
from msgen.loader import LoadedProfile, load_profile
from msgen.validate import Problem, validate


def validate_profiles(paths: Iterable[Path]) -> list[Problem]:
    """Every problem in every profile; a file that cannot be read is one problem, not a crash."""
    problems: list[Problem] = []
    for path in paths:
        try:
            problems.extend(validate(load_profile(path)))
        except (ProfileError, UsageError) as exc:
            if isinstance(exc, UsageError) and not Path(path).exists():
                raise
            problems.append(Problem(exc.file or str(path), exc.line, "", exc.message + (f" ({exc.fix})" if exc.fix else "")))
    return problems


def load_valid_profile(path: Path) -> LoadedProfile:
    """Load a profile and insist it is valid: what every command that writes something needs."""
    profile = load_profile(path)
    problems = validate(profile)
    if problems:
        raise InvalidProfile(problems)
    return profile
