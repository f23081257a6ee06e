"""Version 2's document model: data printed only where a `data:` block places it, and
standard clauses that print a profile value only when the profile gives one."""

from __future__ import annotations

from typing import Iterator

from msgen.check.rulebook import (AREAS, ERROR, PROFILE, WARNING, Hit, Subject, blocks, coverage, rule,
                                  years_producing)
from msgen.errors import format_path

MODEL = ("msgen profile schema version 2 (schemas/profile-v2.schema.json); standard clauses "
         "(templates/v2/clauses.en.yaml)")


@rule("blocks.data-not-placed", WARNING, PROFILE,
      title="All data is printed somewhere",
      why="Data prints only where a `data:` block places it: data no block places is never in the "
          "statement, though the registry answers and msgen check read it as if it were.",
      fix="Add a block `- data: NAME` to the section where the data belongs, or remove the data.",
      source=MODEL, versions=(2,))
def data_not_placed(subject: Subject) -> Iterator[Hit]:
    placed = {block["data"] for _, block in blocks(subject.data) if "data" in block}
    for key in subject.data.get("data", {}):
        name = key.replace("_", "-")
        if name not in placed:
            yield ("data", key), f"data.{key} is placed by no 'data: {name}' block, so it is never printed"


@rule("blocks.data-placed-twice", ERROR, PROFILE,
      title="Each data block is placed once",
      why="A data block prints the same facts wherever it stands: placed twice, the statement repeats "
          "itself, and a Word edit of one copy cannot be carried back by msgen pull.",
      fix="Keep one of the two `data:` blocks and remove the other.",
      source=MODEL, versions=(2,))
def data_placed_twice(subject: Subject) -> Iterator[Hit]:
    first: dict[tuple[bool, str], tuple] = {}  # per document: the charter is built on its own
    for at, block in blocks(subject.data):
        name = block.get("data")
        if name is None:
            continue
        placed = (at[0] == "supplier_charter", name)
        if placed in first:
            yield at + ("data",), f"'data: {name}' is already placed at {format_path(first[placed])}"
        first.setdefault(placed, at)


# The clauses that print the publication record: which of its values, and what they say.
_PUBLICATION_CLAUSES = {
    "publication": (("statement_url", "homepage_link_text", "publication_date"),
                    "where and when the statement is published"),
    "request-copy": (("request_email",), "where to ask for a copy"),
}


def _clause_gaps(subject: Subject, block: dict) -> Iterator[str]:
    """What a clause block would print that the profile does not give."""
    statement = subject.data["statement"]
    name = block["clause"]
    if name == "statement-number" and years_producing(subject.data) is None:
        given = statement.get("years_producing")
        yield ("the statement-number clause prints how many statements the body has made, but "
               + ("statement.years_producing is unknown" if given else "statement.years_producing is not given"))
    elif name == "legal-basis" and "legal_basis" not in statement:
        yield "the legal-basis clause prints why the statement is made, but statement.legal_basis is not given"
    elif name in _PUBLICATION_CLAUSES:
        keys, what = _PUBLICATION_CLAUSES[name]
        if not any(statement.get("publication", {}).get(key) for key in keys):
            yield (f"the {name} clause prints {what}, but statement.publication gives none of "
                   f"{', '.join(keys)}, so it prints nothing")
    elif name == "earlier-statements" and not statement.get("previous_statements"):
        yield ("the earlier-statements clause lists where earlier statements are published, but "
               "statement.previous_statements is not given, so it prints nothing")
    elif name == "not-covered":
        for option, what in (("area", "which area is not covered"), ("reason", "why")):
            if option not in block:
                yield f"the not-covered clause prints {what}, but the block has no {option}"


@rule("blocks.clause-value", ERROR, PROFILE,
      title="A standard clause has what it prints",
      why="A clause prints a profile value in msgen's sentence: without it the sentence is wrong or "
          "broken ('This is our  statement', a voluntary basis the body never stated, 'does not cover , "
          "for this reason: .') or missing where the profile asks for it.",
      fix="Give the value the message names (statement.years_producing as a number, statement.legal_basis, "
          "statement.publication, statement.previous_statements, the not-covered block's area and reason), "
          "or remove the clause block.",
      source=MODEL, versions=(2,))
def clause_value(subject: Subject) -> Iterator[Hit]:
    for at, block in blocks(subject.data):
        if "clause" in block:
            for message in _clause_gaps(subject, block):
                yield at + ("clause",), message


def _contradictions(subject: Subject, block: dict) -> Iterator[str]:
    """What the profile says against a clause's sentence."""
    data = subject.data
    name = block["clause"]
    if name == "not-covered" and block.get("area") in AREAS and coverage(data)[block["area"]].covered:
        yield f"the not-covered clause says {block['area']} is not covered, but a section's covers names it"
    elif name == "no-new-commitments" and data.get("data", {}).get("commitments"):
        yield "the no-new-commitments clause says there are none, but data.commitments lists some"
    elif name == "first-statement":
        years = years_producing(data)
        if years is not None and years > 1:
            yield f"the first-statement clause says this is the first, but statement.years_producing is {years}"
        elif data["statement"].get("previous_statements"):
            yield ("the first-statement clause says this is the first, but statement.previous_statements lists "
                   "earlier ones")


@rule("blocks.clause-contradicts", WARNING, PROFILE,
      title="A standard clause agrees with the rest of the profile",
      why="A clause is msgen's sentence, written from the profile's values; one that says an area is not "
          "covered where a section covers it, that there are no new commitments above a list of them, or "
          "that this is the first statement of a body with earlier ones makes the statement contradict itself.",
      fix="Remove the clause block, or correct the value it contradicts (the section's covers, "
          "data.commitments, statement.years_producing or statement.previous_statements).",
      source=MODEL, versions=(2,))
def clause_contradicts(subject: Subject) -> Iterator[Hit]:
    for at, block in blocks(subject.data):
        if "clause" in block:
            for message in _contradictions(subject, block):
                yield at + ("clause",), message
