"""How msgen talks to the person at the terminal: rich on a terminal, plain text in a pipe.

Messages are built as rich Text, never markup, so a path like `signatories[1]` or
profile text with brackets prints as written.
"""

from __future__ import annotations

import json
import sys
from functools import cache
from typing import Sequence

from rich.console import Console
from rich.text import Text


@cache
def _out() -> Console:
    return Console(soft_wrap=True, highlight=False)


@cache
def _err() -> Console:
    return Console(stderr=True, soft_wrap=True, highlight=False)


def error(message: str) -> None:
    _err().print(Text.assemble(("msgen: error: ", "bold red"), message))


def warning(message: str) -> None:
    _err().print(Text.assemble(("msgen: warning: ", "yellow"), message))


def info(message: str) -> None:
    _err().print(Text(message))


def result(message: str, style: str = "") -> None:
    _out().print(Text(message, style=style))


def report_problems(problems: Sequence, *, as_json: bool, checked: int) -> None:
    """Print validation problems, one `FILE:LINE: PATH: message` per line, and a summary."""
    if as_json:
        sys.stdout.write(json.dumps([p.as_dict() for p in problems], indent=2, ensure_ascii=False) + "\n")
        return
    for problem in problems:
        _out().print(Text(str(problem)))
    files = len({p.file for p in problems})
    if problems:
        _out().print(Text(f"{len(problems)} problem(s) in {files} of {checked} profile(s)", style="bold red"))
    else:
        _out().print(Text(f"{checked} profile(s) valid", style="green"))
