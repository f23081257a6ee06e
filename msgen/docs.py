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
FIELD_COLUMNS = ["Field", "Type", "Required", "Meaning", "Allowed values and limits"]


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
    lines += _field_tables(top_rows, defs, {})
    lines += _value_types(defs)
    return "\n".join(lines) + "\n"


def _field_tables(top_rows: list[FieldRow], defs: dict[str, Any], linked: dict[str, str]) -> list[str]:
    """One section per top-level field: the field and every field below it."""
    lines: list[str] = []
    for top in top_rows:
        lines += [f"## {top.path}", ""]
        lines += _table(FIELD_COLUMNS, [_field_cells(row) for row in
                                        [top, *_field_rows(top.node, top.path, defs, linked=linked)]])
        lines.append("")
    return lines


def _value_types(defs: dict[str, Any]) -> list[str]:
    lines = ["## Value types", "",
             "Field types shared by many fields; a field may tighten a limit (shown in its row).", ""]
    return lines + _table(["Type", "Base type", "Meaning", "Limits"],
                          [[_cell(d.get("title", name)), _base_type(d, defs), _cell(d.get("description", "")),
                            _cell("; ".join(_limits(_one_language(d, defs), show_pattern=True)))]
                           for name, d in ((name, _resolve(d, defs)[0]) for name, d in defs.items())
                           if _is_value_type(d) and not name.endswith(_ONE_LANGUAGE)])


_IN_LANGUAGES = "#/$defs/in_languages"
_ONE_LANGUAGE = "_in_one_language"  # the string a text in languages gives in each: listed with that text


def _one_language(definition: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    return _resolve(definition["else"], defs)[0] if _in_languages(definition) else definition


def _base_type(definition: dict[str, Any], defs: dict[str, Any]) -> str:
    if _in_languages(definition):
        return "text, or `{en: text, cy: text}`"
    return _type_of(definition, defs, None)


# Version 2 documents these definitions once, in the section named here; elsewhere they link to it.
_V2_LINKED = {"block": "blocks", "sections": "sections", "signatories": "signatories"}
# The data blocks that print something other than a `data:` entry, and what they read.
_V2_DATA_SOURCES = {
    "bodies": "each body's `description` blocks, then its `figures` and `website` (see [`bodies`](#bodies))",
    "signatures": "the approval record ([`approval`](#approval)), then the signature table "
                  "([`signatories`](#signatories)); printed at the end when no block places it",
    "signatories": "the signature table ([`signatories`](#signatories)) without the approval record, "
                   "for a statement whose own text says who approved it",
}
_V2_CLAUSE_FILE = "templates/v2/clauses.en.yaml"


def profile_v2_reference(schema: dict[str, Any] | None = None) -> str:
    """docs/profile-v2.md: every version-2 field, one row per block kind with its options, the
    data blocks and the standard clauses with the start of their wording, so a writer sees
    what each block prints without reading the schema."""
    schema = schema or resources.schema(2)
    defs = schema.get("$defs", {})
    lines = [
        _GENERATED_NOTE.format(source=f"schemas/profile-v2.schema.json and {_V2_CLAUSE_FILE}", command=REGENERATE),
        "",
        f"# {schema['title']}: field reference",
        "",
        schema["description"],
        "",
        "A version-2 profile (`schema_version: 2`) is the statement as the body wrote it: its "
        "`sections` in order, each a list of blocks (paragraphs, lists, quotations, tables, …), "
        "with structured `data` printed only where a data block places it and msgen's own "
        "sentences only where a clause block asks for one. `msgen validate` checks it against these "
        "rules; `msgen schema --schema-version 2` prints the schema. Paths read as in "
        "[profile.md](profile.md): `sections[].heading` is the `heading` of each section. A section, "
        "body or supplier charter may instead be taken from a shared file (its *shared form*, "
        "e.g. `{include: ../shared/charter.yaml, section: supplier-charter}`), the path relative to "
        "the profile.",
        "",
        "**English and Welsh.** A statement published in both languages says "
        "`statement.languages: [en, cy]` and gives each text as `{en: …, cy: …}` (any field whose "
        "type is a text in [Value types](#value-types); names of people, file paths and the "
        "registry's answers are the same in both). `msgen build` then writes every document twice, "
        "`NAME.docx` and `NAME.cy.docx` (and `.pdf`, `.html`), from the same sections, data, dates "
        "and signatories; msgen's own words come from `clauses.en.yaml` and `clauses.cy.yaml`. "
        "`msgen check` reports a text without its Welsh, a Welsh text the same as its English, "
        "and figures or dates that differ between the two. See "
        "`examples/v2/gwent-joint-bilingual.yaml`.",
        "",
        "## Contents",
        "",
    ]
    top_rows = list(_field_rows(schema, "", defs, depth=1, linked=_V2_LINKED))
    lines += [f"- [`{row.path}`](#{_anchor(row.path)}): {row.node.get('title', '')}" for row in top_rows]
    lines += ["- [Blocks](#blocks)", "- [Data blocks](#data-blocks)", "- [Standard clauses](#standard-clauses)",
              "- [Value types](#value-types)", ""]
    lines += _field_tables(top_rows, defs, _V2_LINKED)
    lines += _blocks_reference(defs) + [""] + _data_blocks_reference(schema, defs) + [""]
    lines += _clauses_reference(defs) + [""] + _value_types(defs)
    return "\n".join(lines) + "\n"


def _block_kinds(defs: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Each block kind (its key) and its definition, in the schema's order."""
    for rule in defs["block"]["allOf"]:
        (kind,) = rule["if"]["required"]
        yield kind, _resolve(rule["then"], defs)[0]


def _blocks_reference(defs: dict[str, Any]) -> list[str]:
    block = defs["block"]
    lines = ["## Blocks", "", f"{block['description']} A block is a mapping whose kind key holds its "
             "content, e.g. `- p: Our policies are …` or `- list: [Recruitment, Vetting]` with "
             "`numbered: true` beside it.", ""]
    rows = []
    for kind, definition in _block_kinds(defs):
        value, *options = [row for row in _field_rows(definition, "", defs, depth=1, linked=_V2_LINKED)]
        rows.append([f"`{kind}`", value.type_name, _cell("; ".join(
            f"`{option.path}` ({option.type_name}{', required' if option.required == 'yes' else ''}): "
            f"{option.node.get('description', '').rstrip('.')}" for option in options)) or "—",
            _cell(f"**{definition['title']}.** {definition['description']}")])
    lines += _table(["Block", "Value", "Options", "Prints"], rows)
    lines += ["", "### Block fields", "", "Every field of every block kind, its options included.", ""]
    lines += _table(["Block", *FIELD_COLUMNS],
                    [[f"`{kind}`", *_field_cells(row)] for kind, definition in _block_kinds(defs)
                     for row in _field_rows(definition, "", defs, linked=_V2_LINKED)])
    return lines


def _data_blocks_reference(schema: dict[str, Any], defs: dict[str, Any]) -> list[str]:
    data_block = dict(_block_kinds(defs))["data"]
    data_fields = schema["properties"]["data"]["properties"]
    lines = ["## Data blocks", "", "`- data: NAME` prints structured facts where the block stands, after "
             "the body's own `lead_in` sentence when it gives one. Nothing in `data:` is printed "
             "unless a data block names it.", ""]
    rows = []
    for name in data_block["properties"]["data"]["enum"]:
        field = data_fields.get(name.replace("-", "_"))
        if field is not None:
            reads = f"[`data.{name.replace('-', '_')}`](#data): **{field['title']}.** {field['description']}"
        elif name in _V2_DATA_SOURCES:
            reads = _V2_DATA_SOURCES[name]
        else:
            raise KeyError(f"the data block '{name}' reads no `data:` field: say what it prints in _V2_DATA_SOURCES")
        rows.append([f"`{name}`", _cell(reads)])
    return lines + _table(["Data block", "Prints"], rows)


def _clauses_reference(defs: dict[str, Any]) -> list[str]:
    import yaml

    clause_block = dict(_block_kinds(defs))["clause"]
    wording = yaml.safe_load((resources.templates_dir(2) / "clauses.en.yaml").read_text(encoding="utf-8"))
    lines = ["## Standard clauses", "",
             f"{clause_block['description']} `- clause: NAME` prints the clause where the block stands; no "
             f"clause is printed unasked. The wording is in `{_V2_CLAUSE_FILE}` (the start of each is "
             "shown here): reword one with `msgen templates export DIR --schema-version 2`, edit "
             "`DIR/clauses.en.yaml`, then `msgen build PROFILE --templates DIR`. The comments at the top of "
             "that file list what a wording may read (`we.full`, `statement.period`, …).", ""]
    rows = [[f"`{name}`", f"`{_cell(_first_sentence(wording[name]))}`"]
            for name in clause_block["properties"]["clause"]["enum"]]
    return lines + _table(["Clause", "Wording begins (its `{% if %}` conditions left out)"], rows)


def _first_sentence(wording: str) -> str:
    """A clause's first sentence as a reader sees it: up to its first alternative or loop
    (then "…"), `{% if %}` tags left out, `{{ values }}` kept."""
    text = " ".join(wording.split())
    branch = re.search(r"{%-?\s*(else|elif|for)\b", text)
    if branch:
        text = text[:branch.start()] + " …"
    text = " ".join(re.sub(r"{%.*?%}", "", text).split())
    return re.split(r"(?<=\.)\s", text, maxsplit=1)[0]


_RULE_GROUPS = {
    "profile": "The profile",
    "law": "The law: section 54 of the Modern Slavery Act 2015",
    "guidance": "Home Office guidance, the GOV.UK registry and assessors",
    "quality": "Quality: what published statements got wrong",
    "dates": "Dates and years: the period the statement covers",
    "last-year": "Against last year's statement (--last-year)",
    "writing": "Writing: spelling, slips and what copying from a web page or PDF leaves",
    "blocks": "Version 2's document: data blocks and standard clauses",
    "languages": "English and Welsh: a statement published in both",
    "docx": "Built documents (--docx)",
    "templates": "Templates (--templates)",
}
_RULE_READS = {"profile": "the profile", "text": "the profile's text and each --docx document",
               "document": "each --docx document", "templates": "the --templates folder",
               "last-year": "the profile against last year's (--last-year)"}


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
    "profile-v2.md": profile_v2_reference,
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


def _field_rows(node: dict[str, Any], path: str, defs: dict[str, Any], depth: int | None = None,
                linked: dict[str, str] | None = None, within: frozenset[str] = frozenset()) -> Iterator[FieldRow]:
    """Every field below `node`, depth first, in the schema's order (`depth` limits how far).
    A definition in `linked` is documented once elsewhere and only linked to; one already
    being walked (`within`, e.g. a list item's sub-items) is not walked again."""
    linked = linked or {}
    node, _ = _resolve(node, defs)
    shared = _shared_form(node, defs)
    if shared is not None:
        yield _shared_row(path, shared)
    node = _own_form(node, defs)
    if node.get("type") == "array" and isinstance(node.get("items"), dict):
        item_def = _resolve(node["items"], defs)[1]
        if item_def not in within and not _in_languages(_resolve(node["items"], defs)[0]):
            yield from _field_rows(node["items"], f"{path}[]", defs, depth, linked, within | {item_def or ""})
        return
    required_when, forbidden_when = _conditions(node)
    for key, child in node.get("properties", {}).items():
        resolved, def_name = _resolve(child, defs)
        child_path = f"{path}.{key}" if path else key
        required = "yes" if key in node.get("required", ()) else required_when.get(key, "no")
        items = resolved.get("items") if resolved.get("type") == "array" else None
        shown = {**_one_language(resolved, defs), **resolved} if _in_languages(resolved) else resolved
        yield FieldRow(child_path, shown, _type_of(resolved, defs, def_name, linked, child_path), required,
                       forbidden_when.get(key, ""), _resolve(items, defs)[0] if isinstance(items, dict) else {})
        if _link(def_name, linked, child_path) or def_name in within or (depth is not None and depth <= 1) \
                or _in_languages(resolved):
            continue
        yield from _field_rows(resolved, child_path, defs, None if depth is None else depth - 1, linked,
                               within | {def_name} if def_name else within)


def _link(def_name: str | None, linked: dict[str, str], path: str) -> str | None:
    """The anchor where a definition is documented, unless `path` is that place."""
    anchor = linked.get(def_name or "")
    return anchor if anchor and anchor != _anchor(path) else None


def _is_choice(node: dict[str, Any]) -> bool:
    """An if/then/else between two forms of a value (not conditions on a mapping's fields)."""
    return "if" in node and "then" in node and "else" in node and "properties" not in node


def _shared_form(node: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any] | None:
    """The `{include: FILE, …}` form of a section, body or charter taken from a shared file."""
    if _is_choice(node) and node["if"].get("required") == ["include"]:
        return _resolve(node["then"], defs)[0]
    return None


def _own_form(node: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    """A choice's form whose fields are documented: the profile's own (not the shared one),
    or the mapping form of a value that may also be plain text."""
    if not _is_choice(node):
        return node
    forms = [_resolve(node["else"], defs)[0], _resolve(node["then"], defs)[0]]
    return next((form for form in forms if "properties" in form), forms[0])


def _shared_row(path: str, shared: dict[str, Any]) -> FieldRow:
    """One row for a shared form, its keys with placeholders: `{include: FILE, section: ID}`."""
    keys = {key: "ID" if rule.get("$ref") == "#/$defs/id" else rule.get("title", key).upper()
            for key, rule in shared["properties"].items()}
    written = "{" + ", ".join(f"{key}: {placeholder}" for key, placeholder in keys.items()) + "}"
    meanings = " ".join(f"{keys[key]}: {rule.get('description', '')}" for key, rule in shared["properties"].items())
    node = {**shared, "description": f"{shared.get('description', '')} Written `{written}` in place of the "
                                     f"fields below. {meanings}"}
    return FieldRow(path, node, "shared form", "no", "", {})


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


def _type_of(node: dict[str, Any], defs: dict[str, Any], def_name: str | None,
             linked: dict[str, str] | None = None, path: str = "") -> str:
    if anchor := _link(def_name, linked or {}, path):
        return f"[{defs[def_name or ''].get('title', def_name)}](#{anchor})"
    if def_name and _is_value_type(defs[def_name]):
        return f"[{defs[def_name].get('title', def_name)}](#value-types)"
    if "anyOf" in node and "type" not in node:  # e.g. a count or `unknown`
        return " or ".join(f"`{_literal(form['const'])}`" if "const" in form else _type_of(form, defs, None)
                           for form in node["anyOf"])
    if _is_choice(node):
        forms = [_type_of(form, defs, name, linked, path)
                 for form, name in (_resolve(node[branch], defs) for branch in ("then", "else"))]
        return " or ".join(dict.fromkeys(forms))
    kind = node.get("type")
    if kind == "array":
        items = node.get("items", {})
        item_node, item_def = _resolve(items, defs) if isinstance(items, dict) else ({}, None)
        item_type = _type_of(item_node, defs, item_def, linked, path)
        return "list of mappings" if item_type == "mapping" else f"list of {item_type}"
    if kind == "string" and node.get("format") in _FORMAT_WORDS:
        return _FORMAT_WORDS[node["format"]]
    if kind is None and "properties" in node:
        return "mapping"
    return _TYPE_WORDS.get(str(kind), str(kind))


def _is_value_type(definition: dict[str, Any]) -> bool:
    """A shared definition of one value (text, date, …), listed under Value types: a text
    that may be given in languages ({en: …, cy: …}) is one value too."""
    return _in_languages(definition) or (definition.get("type") not in ("object", "array")
                                         and not _is_choice(definition))


def _in_languages(definition: dict[str, Any]) -> bool:
    """A text given in one language, or in several as {en: …, cy: …} (the schema's `in_languages`)."""
    return _is_choice(definition) and definition["then"].get("$ref") == _IN_LANGUAGES


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
