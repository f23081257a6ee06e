"""Errors a user can act on, each with the exit code the CLI returns for it.

Every failure msgen expects ends as one of these, so the CLI can print one clear line
(what, where, what to do) instead of a traceback. Exit codes are documented in
docs/errors.md; keep the two in step.
"""

from __future__ import annotations

from pathlib import Path

EXIT_OK = 0
EXIT_INVALID = 1  # the profile, template or document is wrong, or checks found errors
EXIT_USAGE = 2  # the command line is wrong (option, missing argument, missing file)
EXIT_OUTPUT = 3  # msgen could not write its outputs, or a program it needs is missing
EXIT_INTERRUPTED = 130


class MsgenError(Exception):
    """A failure explained in one line: `FILE: message (fix)`."""

    exit_code = EXIT_INVALID

    def __init__(self, message: str, *, file: Path | str | None = None, line: int | None = None,
                 fix: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.file = str(file) if file is not None else None
        self.line = line
        self.fix = fix

    def __str__(self) -> str:
        where = ""
        if self.file:
            where = f"{self.file}:{self.line}: " if self.line else f"{self.file}: "
        fix = f" ({self.fix})" if self.fix else ""
        return f"{where}{self.message}{fix}"

    def __reduce__(self) -> tuple:
        """Pickled with all it holds, whatever a subclass's constructor takes: a batch
        build's worker process hands its failure to the main process."""
        return _rebuilt, (type(self), self.__dict__)


def _rebuilt(cls: type[MsgenError], state: dict) -> MsgenError:
    error = cls.__new__(cls)
    error.__dict__.update(state)
    return error


class UsageError(MsgenError):
    """The command line asks for something impossible (e.g. a file that does not exist)."""

    exit_code = EXIT_USAGE


class ProfileError(MsgenError):
    """The profile cannot be read at all (encoding, syntax, size)."""


class TemplateError(MsgenError):
    """A template is not a Word document, has a syntax error, or asks for a missing field."""


class OutputError(MsgenError):
    """An output cannot be written safely (exists, open in Word, folder missing, disk full)."""

    exit_code = EXIT_OUTPUT


class InvalidProfile(MsgenError):
    """The profile was read but breaks the schema or a cross-field rule."""

    def __init__(self, problems: list) -> None:
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s) in the profile")
