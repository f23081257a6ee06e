"""What can go wrong, in one shape: the `Problem`, and the exceptions that carry problems
with the exit code the CLI returns for them.

A `Problem` is modelled on jsonschema's ValidationError: the field it concerns is a path
tuple such as ("signatories", 0, "name"), never a string, so code can look the field up;
it is turned into text (`format_path`, `str(problem)`) only where it is printed. Every
failure msgen expects ends as a `MsgenError`, so the CLI can print one clear line (what,
where, what to do) instead of a traceback. Exit codes are documented in docs/errors.md;
keep the two in step.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

EXIT_OK = 0
EXIT_INVALID = 1  # the profile, template or document is wrong, or checks found errors
EXIT_USAGE = 2  # the command line is wrong (option, missing argument, missing file)
EXIT_OUTPUT = 3  # msgen could not write its outputs, or a program it needs is missing
EXIT_INTERRUPTED = 130

ERROR, WARNING = "error", "warning"

JsonPath = tuple[str | int, ...]


def format_path(path: JsonPath) -> str:
    """('signatories', 1, 'date') -> 'signatories[1].date': the one way a path is written."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


@dataclass(frozen=True)
class Problem:
    """One thing wrong, located as closely as msgen knows: in a file (and line), at a
    profile field (`path`) or a place in a document (`place`); with what to do (`fix`),
    and for a `msgen check` finding the rule that found it (the rule holds its own fix)."""

    message: str
    path: JsonPath = ()
    file: str | None = None
    line: int | None = None
    place: str = ""  # e.g. "statement.docx, paragraph 12 (under 'Risk')"
    fix: str | None = None
    rule: str = ""
    severity: str = ERROR

    @property
    def field(self) -> str:
        """What the problem is about, as the reader sees it: the field, else the place."""
        return format_path(self.path) or self.place

    @property
    def advice(self) -> str:
        """The message, with what to do in brackets when the problem says."""
        return f"{self.message} ({self.fix})" if self.fix else self.message

    def __str__(self) -> str:
        """`FILE:LINE: FIELD: message (fix)`, leaving out what the problem does not know."""
        where = f"{self.file}:{self.line}: " if self.file and self.line else (f"{self.file}: " if self.file else "")
        return f"{where}{self.field}: {self.advice}" if self.field else f"{where}{self.advice}"


class MsgenError(Exception):
    """A failure explained in one line, `FILE:LINE: message (fix)`: its `problem`; with the
    problems behind it, each on its own line, when there are several (`problems`)."""

    exit_code = EXIT_INVALID

    def __init__(self, message: str, *, file: Path | str | None = None, line: int | None = None,
                 fix: str | None = None, problems: list[Problem] | None = None) -> None:
        super().__init__(message)
        self.problem = Problem(message, file=str(file) if file is not None else None, line=line, fix=fix)
        self.problems = problems or []

    @property
    def message(self) -> str:
        return self.problem.message

    @property
    def file(self) -> str | None:
        return self.problem.file

    @property
    def line(self) -> int | None:
        return self.problem.line

    @property
    def fix(self) -> str | None:
        return self.problem.fix

    def __str__(self) -> str:
        return str(self.problem)

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


class IncludeError(ProfileError):
    """A version-2 profile's shared part cannot be taken in: the file is missing or
    unreadable, lacks the part, or the includes loop. Like a missing file, exit 2."""

    exit_code = EXIT_USAGE


class FileTooLarge(ProfileError):
    """A file is larger than msgen ever reads of its kind."""


class TemplateError(MsgenError):
    """A template is not a Word document, has a syntax error, or asks for a missing field."""


class TemplateBoundExceeded(Exception):
    """A template asked for more time, memory or size than any statement needs. Raised
    inside Jinja while rendering, where render.py turns it into a TemplateError naming
    the paragraph (so it is no MsgenError, which render passes on as it is)."""


class DocumentError(MsgenError):
    """A file given as a Word document cannot be compared or read."""


class OutputError(MsgenError):
    """An output cannot be written safely (exists, open in Word, folder missing, disk full)."""

    exit_code = EXIT_OUTPUT


class OfficeMissing(OutputError):
    """LibreOffice is not installed or cannot be found."""


class OfficeFailed(OutputError):
    """LibreOffice ran but did not produce every file asked for."""


class InvalidProfile(MsgenError):
    """The profile was read but breaks the schema or a cross-field rule: each problem found."""

    def __init__(self, problems: list[Problem], *, file: Path | str | None = None,
                 message: str | None = None, fix: str | None = None) -> None:
        super().__init__(message or f"{len(problems)} problem(s) in the profile", file=file, fix=fix,
                         problems=problems)


class EditedProfileInvalid(InvalidProfile):
    """A profile msgen edited (next year's, or one with a document's edits) would not
    validate, so nothing was written."""


class BuildRefused(MsgenError):
    """`msgen build` will not write a final statement that `msgen check` finds errors in."""

    def __init__(self, findings: list[Problem]) -> None:
        super().__init__(f"msgen check found {len(findings)} error(s); nothing was built",
                         fix="correct them (`msgen check PROFILE` says how), or build with --draft "
                             "to mark every page DRAFT", problems=findings)


class EditsDisagree(MsgenError):
    """One field was edited to different texts in different places: msgen cannot choose."""

    def __init__(self, reviewed: Path, disagreements: list[Problem]) -> None:
        super().__init__(f"{len(disagreements)} field(s) edited differently in different places; nothing was written",
                         file=reviewed, fix="make each field read the same everywhere in the document, "
                                            "then run msgen pull again", problems=disagreements)


class ProfileChanged(MsgenError):
    """The document was built from another version of the profile: a field that differs
    may be the reviewer's edit or a later change to the profile, and pull cannot tell."""


class NoFields(MsgenError):
    """The document has no msgen fields to carry back."""


class NotAPackage(MsgenError):
    """A file given as a .docx is not a zip package (each reader says so in its own words)."""


class PackageTooLarge(MsgenError):
    """A .docx whose parts would expand past msgen's limits: a zip bomb, or damaged."""


class NetworkReference(MsgenError):
    """A template holds something that would fetch from the network when opened or converted."""


class ForeignDocument(MsgenError):
    """`msgen pull` was given a document that another profile built."""


def value_problem(exc: ValueError) -> str:
    """The parser's complaint, without Python's advice to developers."""
    if "integer string conversion" in str(exc):
        return f"a number has more than {sys.get_int_max_str_digits()} digits"
    return str(exc)
