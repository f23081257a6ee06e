"""Reference documents written from msgen's own definitions, so they cannot drift from them.

`python -m msgen.docs` rewrites every document in DOCUMENTS in docs/; with `--check` it
writes nothing and exits 1 when one is out of date (tests and CI run that). A new
document is one more entry: its file name and a function returning its Markdown.
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator

from msgen import resources

REGENERATE = "python -m msgen.docs"
DOCS_DIR = Path(__file__).resolve().parent.parent / "docs"

_GENERATED_NOTE = ("<!-- Generated from {source} by `{command}`: edit the source and regenerate, "
                   "never this file. -->")
_TYPE_WORDS = {"string": "text", "integer": "whole number", "number": "number",
               "boolean": "true or false", "object": "mapping", "null": "nothing"}
_LIMIT_WORDS = {"minLength": "at least {} characters", "maxLength": "at most {} characters",
                "minimum": "at least {}", "maximum": "at most {}",
                "minItems": "at least {} items", "maxItems": "at most {} items"}
_LIMIT_WORDS_FOR_ONE = {"minLength": "not empty", "minItems": "at least 1 item", "maxItems": "at most 1 item"}
_FORMAT_WORDS = {"date": "date (YYYY-MM-DD)", "uri": "web address", "email": "email address"}


@dataclass(frozen=True)
class FieldRow:
    """One profile field as the reference shows it."""

    path: str
    node: dict[str, Any]  # the field's schema with its $ref resolved
    type_name: str
    required: str
    forbidden: str  # e.g. 'not allowed when included is false', or ''
    items: dict[str, Any]  # a list's item schema, $ref resolved ({} for other fields)


def profile_reference(schema: dict[str, Any] | None = None) -> str:
    """docs/profile.md: every profile field with its type, whether it is required, its
    meaning, allowed values and limits, one table per top-level section."""
    schema = schema or resources.schema()
    defs = schema.get("$defs", {})
    lines = [
        _GENERATED_NOTE.format(source="schemas/profile.schema.json", command=REGENERATE),
        "",
        f"# {schema['title']}: field reference",
        "",
        schema["description"],
        "",
        "A profile is a YAML (or JSON) file; `msgen init` writes a starter one and `msgen validate` "
        "checks it against these rules. A path such as `signatories[].date` means the `date` of "
        "each item in the `signatories` list; msgen's messages name the item, e.g. "
        "`signatories[1].date` for the second (counting from 0). Types in links are described "
        "under [Value types](#value-types). `msgen migrate PROFILE` rewrites a version-1 profile as "
        "version 2 (PROFILE.v2.yaml beside it), which builds the same text.",
        "",
        "## Sections",
        "",
    ]
    top_rows = list(_field_rows(schema, "", defs, depth=1))
    lines += [f"- [`{row.path}`](#{_anchor(row.path)}): {row.node.get('title', '')}" for row in top_rows]
    lines += ["- [Value types](#value-types)", ""]
    for top in top_rows:
        lines += [f"## {top.path}", ""]
        lines += _table(["Field", "Type", "Required", "Meaning", "Allowed values and limits"],
                        [_field_cells(row) for row in [top, *_field_rows(top.node, top.path, defs)]])
        lines.append("")
    lines += ["## Value types", "",
              "Field types shared by many fields; a field may tighten a limit (shown in its row).", ""]
    lines += _table(["Type", "Base type", "Meaning", "Limits"],
                    [[_cell(d.get("title", name)), _type_of(d, defs, None), _cell(d.get("description", "")),
                      _cell("; ".join(_limits(d, show_pattern=True)))]
                     for name, d in defs.items() if d.get("type") != "object"])
    return "\n".join(lines) + "\n"


_RULE_GROUPS = {
    "profile": "The profile",
    "law": "The law: section 54 of the Modern Slavery Act 2015",
    "guidance": "Home Office guidance, the GOV.UK registry and assessors",
    "quality": "Quality: what published statements got wrong",
    "blocks": "Version 2's document: data blocks and standard clauses",
    "docx": "Built documents (--docx)",
    "templates": "Templates (--templates)",
}
_RULE_READS = {"profile": "the profile", "text": "the profile's text and each --docx document",
               "document": "each --docx document", "templates": "the --templates folder"}


def rules_reference() -> str:
    """docs/rules.md: every `msgen check` rule with its severity, what it reads, why it
    matters, how to fix it and where the requirement comes from."""
    from msgen.check import all_rules

    rules = all_rules()
    lines = [
        _GENERATED_NOTE.format(source="the rule definitions in msgen/check/", command=REGENERATE),
        "",
        "# msgen check: the rules",
        "",
        "`msgen check PROFILE [--docx FILE]... [--json] [--strict]` reviews a statement before it is "
        "published, as an assessor would; `msgen check --templates FOLDER` checks edited templates. "
        "Each finding names its rule, the profile field (with its line) or the place in the document, "
        "what is wrong, how to fix it and where the rule comes from.",
        "",
        "- **error**: the statement should not be published as it is. `msgen check` exits 1, and "
        "`msgen build` refuses to build until it is fixed (unless `--draft`, which marks every page DRAFT).",
        "- **warning**: worth fixing; assessors mark it down. `msgen check` exits 0, or 1 with `--strict`.",
        "",
        "## All rules",
        "",
    ]
    lines += _table(["Rule", "Severity", "Checks"],
                    [[f"[`{r.id}`](#{_anchor(r.id)})", r.severity, _cell(r.title)] for r in rules])
    for prefix, heading in _RULE_GROUPS.items():
        lines += ["", f"## {heading}"]
        for each in (r for r in rules if r.id.split(".")[0] == prefix):
            versions = "" if each.target == "templates" else \
                f"; runs on version {' and '.join(str(v) for v in each.versions)} profiles"
            lines += ["", f"### {each.id}", "", f"**{each.title}.** Severity: {each.severity}; reads "
                      f"{_RULE_READS[each.target]}{versions}.", "", f"- Why: {_cell(each.why)}",
                      f"- How to fix: {_cell(each.fix)}", f"- Source: {_cell(each.source)}"]
    return "\n".join(lines) + "\n"


DOCUMENTS: dict[str, Callable[[], str]] = {
    "profile.md": profile_reference,
    "rules.md": rules_reference,
}


# -- walking the schema ------------------------------------------------------------------

def _resolve(node: dict[str, Any], defs: dict[str, Any]) -> tuple[dict[str, Any], str | None]:
    """The node with its local `$ref` merged in (the node's own keys win), and the def's name."""
    ref = node.get("$ref")
    if not ref:
        return node, None
    name = ref.removeprefix("#/$defs/")
    return {**defs[name], **{k: v for k, v in node.items() if k != "$ref"}}, name


def _field_rows(node: dict[str, Any], path: str, defs: dict[str, Any], depth: int | None = None) -> Iterator[FieldRow]:
    """Every field below `node`, depth first, in the schema's order (`depth` limits how far)."""
    node, _ = _resolve(node, defs)
    if node.get("type") == "array" and isinstance(node.get("items"), dict):
        yield from _field_rows(node["items"], f"{path}[]", defs, depth)
        return
    required_when, forbidden_when = _conditions(node)
    for key, child in node.get("properties", {}).items():
        resolved, def_name = _resolve(child, defs)
        child_path = f"{path}.{key}" if path else key
        required = "yes" if key in node.get("required", ()) else required_when.get(key, "no")
        items = resolved.get("items") if resolved.get("type") == "array" else None
        yield FieldRow(child_path, resolved, _type_of(resolved, defs, def_name), required,
                       forbidden_when.get(key, ""), _resolve(items, defs)[0] if isinstance(items, dict) else {})
        if depth is None:
            yield from _field_rows(resolved, child_path, defs)
        elif depth > 1:
            yield from _field_rows(resolved, child_path, defs, depth - 1)


def _conditions(node: dict[str, Any]) -> tuple[dict[str, str], dict[str, str]]:
    """An if/then/else on one field's value, in words: which fields it requires
    ({'reason': 'when included is false'}) and which it forbids."""
    condition = node.get("if", {}).get("properties", {})
    if len(condition) != 1:
        return {}, {}
    (field, test), = condition.items()
    if "const" not in test:
        return {}, {}
    value = test["const"]
    when = f"when {field} is {_literal(value)}"
    otherwise = f"when {field} is {_literal(not value)}" if isinstance(value, bool) else "otherwise"
    required: dict[str, str] = {}
    forbidden: dict[str, str] = {}
    for branch, text in (("then", when), ("else", otherwise)):
        required.update((key, text) for key in node.get(branch, {}).get("required", ()))
        forbidden.update((key, f"not allowed {text}")
                         for key, rule in node.get(branch, {}).get("properties", {}).items() if rule is False)
    return required, forbidden


def _type_of(node: dict[str, Any], defs: dict[str, Any], def_name: str | None) -> str:
    if def_name and defs[def_name].get("type") != "object":
        return f"[{defs[def_name].get('title', def_name)}](#value-types)"
    kind = node.get("type")
    if kind == "array":
        items = node.get("items", {})
        item_node, item_def = _resolve(items, defs) if isinstance(items, dict) else ({}, None)
        item_type = _type_of(item_node, defs, item_def)
        return "list of mappings" if item_type == "mapping" else f"list of {item_type}"
    if kind == "string" and node.get("format") in _FORMAT_WORDS:
        return _FORMAT_WORDS[node["format"]]
    if kind is None and "properties" in node:
        return "mapping"
    return _TYPE_WORDS.get(str(kind), str(kind))


# -- words for values and limits ---------------------------------------------------------

def _literal(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _values(node: dict[str, Any]) -> str:
    if "const" in node:
        return f"always `{_literal(node['const'])}`"
    if "enum" in node:
        return "one of: " + ", ".join(f"`{_literal(v)}`" for v in node["enum"])
    return ""


def _limits(node: dict[str, Any], *, show_pattern: bool) -> list[str]:
    found = [(_LIMIT_WORDS_FOR_ONE.get(key) if node[key] == 1 else None) or words.format(node[key])
             for key, words in _LIMIT_WORDS.items() if key in node]
    if node.get("uniqueItems"):
        found.append("no value twice")
    if node.get("minProperties") == node.get("maxProperties") == 1:
        found.append("exactly one of its fields")
    if show_pattern and "pattern" in node:
        found.append(f"pattern `{node['pattern']}`")
    return found


def _field_cells(row: FieldRow) -> list[str]:
    node = row.node
    details = [part for part in (_values(node), row.forbidden) if part]
    if "enum" in row.items:
        details.append("each " + _values(row.items))
    if row.items.get("type") == "object":
        details += [f"each has {limit}" for limit in _limits(row.items, show_pattern=False)]
    details += _limits(node, show_pattern=not row.type_name.startswith("["))
    meaning = f"**{node.get('title', '')}.** {node.get('description', '')}".strip()
    return [f"`{row.path}`", row.type_name, row.required, _cell(meaning), _cell("; ".join(details))]


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    return ["| " + " | ".join(header) + " |", "|" + "---|" * len(header),
            *("| " + " | ".join(row) + " |" for row in rows)]


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _anchor(heading: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces to hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-")


# -- command line ------------------------------------------------------------------------

def stale_documents(folder: Path) -> list[str]:
    """Names of the documents whose file in `folder` differs from what msgen generates."""
    stale = []
    for name, render in DOCUMENTS.items():
        path = folder / name
        if not path.is_file() or path.read_text(encoding="utf-8") != render():
            stale.append(name)
    return stale


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog=REGENERATE, description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 when a document is out of date")
    parser.add_argument("--out", type=Path, default=DOCS_DIR, help="the docs folder (default: %(default)s)")
    options = parser.parse_args(argv)
    if options.check:
        stale = stale_documents(options.out)
        for name in stale:
            print(f"{options.out / name} is out of date; run `{REGENERATE}` to regenerate it", file=sys.stderr)
        return 1 if stale else 0
    options.out.mkdir(parents=True, exist_ok=True)
    for name, render in DOCUMENTS.items():
        (options.out / name).write_text(render(), encoding="utf-8", newline="\n")
        print(f"wrote {options.out / name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
