"""How msgen talks to the person at the terminal: rich on a terminal, plain text in a pipe.

Messages are built as rich Text, never markup, so a path like `signatories[1]` or
profile text with brackets prints as written. Every control character (escape sequences,
carriage returns, line breaks) and every bidirectional override is printed escaped, as
`\\x1b` or `\\u202e`: text from a profile, a key or a file name must not be able to clear
the screen, move the cursor, or start a line of its own that forges msgen's verdict.
"""

from __future__ import annotations

import json
import re
import sys
from functools import cache
from typing import TYPE_CHECKING, Sequence

if TYPE_CHECKING:
    from rich.text import Text
    from rich.console import Console

    from msgen.errors import MsgenError, Problem

Part = str | tuple[str, str]  # text, or (text, rich style)
_ACTIVE = re.compile("[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]")


def inert(text: str) -> str:
    """The text with each character a terminal would act on written as its escape."""
    return _ACTIVE.sub(lambda found: found.group().encode("unicode_escape").decode("ascii"), text)


def inert_text(text: str) -> Text:
    """inert(text) as rich Text, for a cell of a table: never read as markup."""
    from rich.text import Text

    return Text(inert(text))


@cache
def _out() -> Console:
    from rich.console import Console

    return Console(soft_wrap=True, highlight=False)


@cache
def _err() -> Console:
    from rich.console import Console

    return Console(stderr=True, soft_wrap=True, highlight=False)


def _print(*parts: Part, stderr: bool = False) -> None:
    """One line: styled by rich on a terminal; plain text in a pipe or file, where rich
    would print the same characters but costs ~30 ms to import (benchmarks/startup.py)."""
    stream = sys.stderr if stderr else sys.stdout
    parts = tuple(inert(part) if isinstance(part, str) else (inert(part[0]), part[1]) for part in parts)
    if not stream.isatty():
        stream.write("".join(part if isinstance(part, str) else part[0] for part in parts) + "\n")
        return
    from rich.text import Text

    (_err() if stderr else _out()).print(Text.assemble(*parts))


def error(message: str) -> None:
    _print(("msgen: error: ", "bold red"), message, stderr=True)


def warning(message: str) -> None:
    _print(("msgen: warning: ", "yellow"), message, stderr=True)


def failure(exc: MsgenError) -> None:
    """An expected failure as the user reads it: each problem behind it, then its one line."""
    from msgen.errors import InvalidProfile

    for problem in exc.problems:
        error(listed(problem) if isinstance(exc, InvalidProfile) else with_rule(problem))
    error(str(exc))


def listed(problem: Problem) -> str:
    """A problem in a profile as `msgen validate` lists it: always `FILE:LINE: FIELD: message`
    (line 1 and `(profile)` when it concerns the whole file), the form editors jump to."""
    return f"{problem.file}:{problem.line or 1}: {problem.field or '(profile)'}: {problem.advice}"


def with_rule(problem: Problem) -> str:
    """The problem's line, with the `msgen check` rule that found it, if one did."""
    return f"{problem} [{problem.rule}]" if problem.rule else str(problem)


def info(message: str) -> None:
    _print(message, stderr=True)


def result(message: str, style: str = "") -> None:
    _print((message, style))


def stderr_console() -> Console:
    """The rich console on stderr, for a live display such as a progress bar."""
    return _err()


def show(renderable: object) -> None:
    """A rich renderable (a table) on stdout."""
    _out().print(renderable)


def report_problems(problems: Sequence[Problem], *, as_json: bool, checked: int) -> None:
    """Print validation problems, one `FILE:LINE: PATH: message` per line, and a summary."""
    if as_json:
        shown = [{"file": p.file, "line": p.line, "path": p.field, "message": p.advice} for p in problems]
        sys.stdout.write(json.dumps(shown, indent=2, ensure_ascii=False) + "\n")
        return
    for problem in problems:
        _print(listed(problem))
    files = len({p.file for p in problems})
    if problems:
        _print((f"{len(problems)} problem(s) in {files} of {checked} profile(s)", "bold red"))
    else:
        _print((f"{checked} profile(s) valid", "green"))
