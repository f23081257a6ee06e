"""Profiles generated from the schema itself never crash msgen.

Every profile the schema describes either builds (python-docx reopens each document and
its text holds every name the profile gave) or is refused with a clear one-line message
naming the file; an exception of any other kind is a crash. Two sources of profiles:
straight from the schema (which mostly break the cross-field rules: ids that do not
match, a single statement with three bodies) and the same profiles made consistent, so
that a good share gets as far as Word documents.

hypothesis-jsonschema draws each string, number and list of choices; objects, lists
and the areas' `included: true/false` branches are assembled here, once, because the
library rebuilds its object strategies on every draw (about five seconds a profile for
this schema). CI runs a few hundred examples, derandomised, with lists of at most three
items; scripts/property_run.py runs ten thousand at the schema's full sizes.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.oxml.ns import qn
from hypothesis import HealthCheck, Phase, given, seed, settings, strategies as st
from hypothesis_jsonschema import from_schema

from msgen import resources
from msgen.errors import MsgenError
from conftest import msgen_process
from ooxml import validate_docx, zip_problems

pytestmark = pytest.mark.property

SIGNATURE_PNG = (  # a 1×1 white PNG: what a consistent profile's signature_image points at
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x00\x00\x00\x00:~\x9bU"
    b"\x00\x00\x00\nIDATx\x9cc\xf8\x0f\x00\x01\x01\x01\x00\x18\xdd\x8d\xb4\x00\x00\x00\x00IEND\xaeB`\x82"
)
CI_EXAMPLES = int(os.environ.get("MSGEN_PROPERTY_EXAMPLES", "100"))  # per property
CI_LONGEST = 3  # items per list in CI; the long run keeps the schema's own limits


# -- profiles from the schema ------------------------------------------------------------

def _resolved(node: Any, defs: dict) -> Any:
    """The node with its $ref replaced by the definition (sibling keywords only narrow it)."""
    while isinstance(node, dict) and "$ref" in node:
        siblings = {key: value for key, value in node.items() if key != "$ref"}
        node = {**defs[node["$ref"].rsplit("/", 1)[-1]], **siblings}
    return node


def _branch(base: dict, branch: dict, fixed: dict) -> dict:
    """`base` with one if/then/else branch applied: its required keys added, the
    properties it forbids (`false`) removed, and the condition's key fixed."""
    properties = {**base.get("properties", {}), **fixed}
    for key, rule in branch.get("properties", {}).items():
        if rule is False:
            properties.pop(key)
    required = dict.fromkeys([*base.get("required", []), *branch.get("required", [])])
    return {**base, "properties": properties, "required": list(required)}


def _strategy(node: Any, defs: dict, longest: int | None) -> st.SearchStrategy:
    """Values `node` allows; lists hold at most `longest` items when given."""
    node = _resolved(node, defs)
    if "if" in node:  # the areas: `included: false` needs a reason, `true` needs the content
        base = {key: value for key, value in node.items() if key not in ("if", "then", "else")}
        ((key, condition),) = node["if"]["properties"].items()
        return st.one_of(
            _strategy(_branch(base, node["then"], {key: condition}), defs, longest),
            _strategy(_branch(base, node["else"], {key: {"const": not condition["const"]}}), defs, longest))
    if node.get("type") == "object":
        fields = {key: _strategy(rule, defs, longest) for key, rule in node.get("properties", {}).items()}
        if node.get("maxProperties") == 1:  # a custom section's block: exactly one of its fields
            return st.one_of([st.fixed_dictionaries({key: field}) for key, field in fields.items()])
        required = node.get("required", [])
        return st.fixed_dictionaries({key: fields[key] for key in required},
                                     optional={key: field for key, field in fields.items() if key not in required})
    if node.get("type") == "array":
        most = min(filter(None, (node.get("maxItems"), longest)), default=None)
        return st.lists(_strategy(node["items"], defs, longest), min_size=node.get("minItems", 0),
                        max_size=most, unique=node.get("uniqueItems", False))
    return from_schema(node)


@cache
def schema_profiles(longest: int | None = None) -> st.SearchStrategy[dict]:
    """Any profile the schema allows (with lists of at most `longest` items, when given)."""
    schema = resources.schema()
    return _strategy(schema, schema["$defs"], longest)


_YEARS = re.compile(r"^\d{4}(?=-\d{2}(-\d{2})?$)")


def _this_century(value: Any) -> Any:
    """Every date and financial year moved into 2000-2099 (0223-05-21 becomes 2023-05-21),
    where validation wants them; a 29 February stays a real date."""
    if isinstance(value, dict):
        return {key: _this_century(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_this_century(item) for item in value]
    if isinstance(value, str):
        return _YEARS.sub(lambda year: f"{2000 + int(year.group()) % 100}", value)
    return value


def consistent(profile: dict) -> dict:
    """The profile with the cross-field rules kept: dates in this century, unique ids and
    abbreviations, signatories of bodies that exist, kind matching the number of bodies, a
    real financial year and period, a signature image that exists, and a supplier charter
    (so two documents)."""
    profile = _this_century(profile)
    organisations = profile["organisations"]
    ids: list[str] = []
    for index, organisation in enumerate(organisations):
        if organisation["id"] in ids:
            organisation["id"] = f"body-{index}"
        ids.append(organisation["id"])
    abbreviations = [organisation.get("short_name") for organisation in organisations]
    joint = len(organisations) > 1
    for index, organisation in enumerate(organisations):
        if (joint and "short_name" not in organisation) or abbreviations.count(organisation.get("short_name")) > 1:
            organisation["short_name"] = f"B{index}"
    statement = profile["statement"]
    statement["kind"] = "joint" if joint else "single"
    year = min(int(statement["financial_year"][:4]), 2098)
    statement["financial_year"] = f"{year}-{(year + 1) % 100:02d}"
    period = statement["period"]
    if period["start"] >= period["end"]:
        period["start"], period["end"] = f"{year}-04-01", f"{year + 1}-03-31"
    for index, signatory in enumerate(profile["signatories"]):
        signatory["organisation"] = ids[index % len(ids)]
        if "signature_image" in signatory:
            signatory["signature_image"]["path"] = "signature.png"
    profile.setdefault("supplier_charter", {"title": "Supplier Charter", "collaboration": organisations[0]["name"],
                                            "commitments_from_suppliers": ["Pay every worker the Living Wage."]})
    return profile


@cache
def consistent_profiles(longest: int | None = None) -> st.SearchStrategy[dict]:
    return schema_profiles(longest).map(consistent)


# -- what msgen does with a profile ------------------------------------------------------

@dataclass(frozen=True)
class Outcome:
    """What became of one profile: built (its documents' paths) or rejected (the message)."""

    built: tuple[Path, ...] = ()
    message: str = ""
    problems: tuple[str, ...] = ()  # an invalid profile's or refused build's lines, each naming the file


def write_profile(profile: dict, folder: Path) -> Path:
    """The profile as a user's JSON file, with the signature image beside it."""
    path = folder / "profile.json"
    path.write_text(json.dumps(profile, ensure_ascii=False, indent=1), encoding="utf-8")
    (folder / "signature.png").write_bytes(SIGNATURE_PNG)
    return path


def build_outcome(path: Path, out_dir: Path) -> Outcome:
    """Build as a user would; a final statement `msgen check` refuses is then built as a
    draft, so its documents are still made and checked. Any exception that is not a
    MsgenError propagates: that is a crash."""
    from msgen.build import build_profile
    from msgen.errors import BuildRefused

    try:
        try:
            return Outcome(built=tuple(build_profile(path, out_dir)))
        except BuildRefused:
            return Outcome(built=tuple(build_profile(path, out_dir, draft=True)))
    except MsgenError as exc:
        return Outcome(message=str(exc), problems=tuple(str(problem) for problem in getattr(exc, "problems", ())))


def document_paragraphs(path: Path) -> list[str]:
    """Every paragraph's text, content controls and tables included (python-docx's
    paragraph.text leaves out text inside content controls)."""
    body = docx.Document(str(path)).element.body
    return ["".join(t.text or "" for t in p.iter(qn("w:t"))) for p in body.iter(qn("w:p"))]


def names_in(profile: dict) -> dict[str, list[str]]:
    """The names each document must show: every body and signatory in the statement, the
    charter's title in the charter."""
    bodies = [o["legal_name"] for o in profile["bodies"]] if profile["schema_version"] == 2 else [
        o["name"] for o in profile["organisations"]]
    statement = bodies + [s["name"] for s in profile["signatories"]]
    charter = [profile["supplier_charter"]["title"]] if "supplier_charter" in profile else []
    return {"modern-slavery-statement": statement, "supplier-charter": charter}


def problems_with(profile: dict, outcome: Outcome, path: Path, *, ooxml: bool = False) -> list[str]:
    """Why an outcome breaks the promise (empty when it keeps it); with `ooxml`, each
    document must also be valid WordprocessingML in a clean zip."""
    if not outcome.built:
        one_line = outcome.message and "\n" not in outcome.message
        names_file = str(path) in outcome.message or (
            outcome.problems and all(problem.startswith(f"{path}:") for problem in outcome.problems))
        return [] if one_line and names_file else [f"unclear rejection: {outcome.message!r} {outcome.problems}"]
    expected = 2 if "supplier_charter" in profile else 1
    found = []
    if len(outcome.built) != expected:
        found.append(f"{len(outcome.built)} document(s) built, expected {expected}")
    for document in outcome.built:
        wanted = next(names for kind, names in names_in(profile).items() if kind in document.name)
        text = "\n".join(document_paragraphs(document))
        found += [f"{document.name} lacks {name!r}" for name in wanted if name.strip() not in text]
        if ooxml:
            found += [f"{document.name}: {problem}" for problem in zip_problems(document) + validate_docx(document)]
    return found


def check_profile(profile: dict, *, ooxml: bool = False) -> tuple[str, list[str]]:
    """('built' or 'rejected', the broken promises) for one generated profile."""
    with tempfile.TemporaryDirectory(prefix="msgen-property-") as temporary:
        folder = Path(temporary)
        path = write_profile(profile, folder)
        (folder / "out").mkdir()
        outcome = build_outcome(path, folder / "out")
        return ("built" if outcome.built else "rejected"), problems_with(profile, outcome, path, ooxml=ooxml)


# -- the properties, in CI ---------------------------------------------------------------

CI_SETTINGS = settings(max_examples=CI_EXAMPLES, deadline=None, derandomize=True, database=None,
                       suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@CI_SETTINGS
@given(schema_profiles(CI_LONGEST))
def test_any_profile_the_schema_allows_builds_or_is_refused_clearly(profile):
    _, problems = check_profile(profile)
    assert problems == []


@CI_SETTINGS
@given(consistent_profiles(CI_LONGEST))
def test_consistent_profiles_build_documents_with_every_name(profile):
    _, problems = check_profile(profile)
    assert problems == []


def test_a_good_share_of_consistent_profiles_build():
    """The consistent strategy is only useful if most of its profiles get to Word."""
    outcomes = []

    @settings(max_examples=20, deadline=None, derandomize=True, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(consistent_profiles(CI_LONGEST))
    def collect(profile):
        outcomes.append(check_profile(profile)[0])

    collect()
    assert outcomes.count("built") >= len(outcomes) // 2, outcomes


@pytest.mark.parametrize("number", range(4))
def test_the_command_line_never_prints_a_traceback(number, tmp_path):
    """A sample through the real `msgen build`: an exit code msgen documents, no traceback."""
    profile = _example([consistent_profiles(CI_LONGEST), schema_profiles(CI_LONGEST)][number % 2], number)
    path = write_profile(profile, tmp_path)
    (tmp_path / "out").mkdir()
    result = msgen_process("build", path, "-o", tmp_path / "out", "--draft")
    assert "Traceback" not in result.stdout + result.stderr
    assert result.returncode in (0, 1), result.stderr


def _example(strategy: st.SearchStrategy, number: int) -> Any:
    """One reproducible example of `strategy` (hypothesis's .example() is random and
    meant for the console)."""
    found = []

    @settings(max_examples=1, deadline=None, database=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(strategy)
    @seed(number)
    def take(value):
        found.append(value)

    take()
    return found[0]
