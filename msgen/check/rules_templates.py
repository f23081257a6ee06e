"""Checks on a folder of Word templates against the profile schema, for whoever edits them.

A template names values by their place in the context msgen builds from a profile
(`areas.policies.introduction`, `org.name` inside a loop). The templates' Jinja code is
read, not run: every `{{ }}` and `{% %}` in every branch is traced to a context path and
looked up in the contexts of two sample profiles built from the schema (one with every
area covered, one with every area left out), so a misspelt field is caught even in a
branch no real profile reaches. The profile fields those paths print are then compared
with the schema's required text fields.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Iterator

from msgen.check.rulebook import TEMPLATES, ERROR, Hit, rule
from msgen.errors import TemplateError, UsageError, format_path

# Names a template may use that are not context fields.
_GLOBALS = {"signature_image", "loop", "range", "caller", "varargs", "kwargs", "true", "false", "none"}
_PROSE = {"#/$defs/line", "#/$defs/paragraph", "#/$defs/reason"}
# Text the documents do not print as text: the signature image (printed as the image and
# its alt text) and the registry answers (written by `msgen registry`, not the templates).
_NOT_TEMPLATE_TEXT = ("signatories[*].signature_image", "registry")

Chain = tuple[str, ...]  # a context path, "*" for each item of a list: ("organisations", "*", "name")


@dataclass(frozen=True)
class Templates:
    """The context paths each template in a folder uses: (template name, path) pairs."""

    folder: Path
    uses: tuple[tuple[str, Chain], ...]


def read_templates(folder: Path) -> Templates:
    """Every context path the folder's .docx templates use (blocks they include, too)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise UsageError("the templates folder does not exist", file=folder,
                         fix="give a folder made with `msgen templates export`")
    templates = sorted(folder.glob("*.docx"))
    if not templates:
        raise UsageError("the folder has no .docx templates", file=folder)
    uses: list[tuple[str, Chain]] = []
    for template in templates:
        for source in _jinja_sources(template):
            uses.extend((template.name, chain) for chain in _Tracer(folder).chains(source))
    return Templates(folder, tuple(dict.fromkeys(uses)))


def _jinja_sources(template: Path) -> list[str]:
    """The Jinja code of each part of a template, as docxtpl prepares it for rendering."""
    from docxtpl import DocxTemplate

    from msgen.ooxml import TEXT_PARTS
    from msgen.document.render import template_parts

    try:
        parts = [data.decode("utf-8") for name, data in template_parts(template).items() if TEXT_PARTS.fullmatch(name)]
    except (TemplateError, UnicodeDecodeError):
        raise UsageError("this template is not a Word document (.docx)", file=template) from None
    return [DocxTemplate(template).patch_xml(part) for part in parts]


class _Tracer:
    """Walks a template's Jinja syntax tree, turning each value it reads into a context path."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.macros: dict[str, Any] = {}
        self.found: list[Chain] = []
        self.including: set[str] = set()

    def chains(self, source: str) -> list[Chain]:
        import jinja2
        from jinja2 import nodes

        try:
            tree = jinja2.Environment().parse(source)
        except jinja2.TemplateSyntaxError as exc:
            raise UsageError(f"template syntax error: {exc.message}", fix="check the {{ }} and {% %} tags") from None
        self.macros.update({m.name: m for m in tree.find_all(nodes.Macro)})
        self._walk(tree, {})
        return self.found

    def _walk(self, node: Any, scope: dict[str, Chain | None]) -> None:
        from jinja2 import nodes

        if isinstance(node, nodes.Macro):
            return  # walked at each call, with its arguments bound
        if isinstance(node, nodes.For):
            self._walk(node.iter, scope)
            inner = dict(scope)
            iterated = self._chain(node.iter, scope)
            for name in _target_names(node.target):
                inner[name] = iterated + ("*",) if iterated is not None else None
            for child in node.body + node.else_:
                self._walk(child, inner)
            return
        if isinstance(node, nodes.Assign):
            self._walk(node.node, scope)
            for name in _target_names(node.target):
                scope[name] = self._chain(node.node, scope)
            return
        if isinstance(node, nodes.Include) and isinstance(node.template, nodes.Const):
            self._include(str(node.template.value), scope)
            return
        if isinstance(node, nodes.Call) and isinstance(node.node, nodes.Name) and node.node.name in self.macros:
            self._call_macro(self.macros[node.node.name], node, scope)
            return
        if isinstance(node, (nodes.Getattr, nodes.Getitem, nodes.Name)):
            chain = self._chain(node, scope)
            if chain is not None:
                self.found.append(chain)
                return
        for child in node.iter_child_nodes():
            self._walk(child, scope)

    def _call_macro(self, macro: Any, call: Any, scope: dict[str, Chain | None]) -> None:
        for argument in call.args:
            self._walk(argument, scope)
        inner = dict(scope)
        for parameter, argument in zip(macro.args, call.args):
            inner[parameter.name] = self._chain(argument, scope)
        for child in macro.body:
            self._walk(child, inner)

    def _include(self, name: str, scope: dict[str, Chain | None]) -> None:
        path = self.folder / name
        if name in self.including or not path.is_file():
            return
        self.including.add(name)
        for source in _jinja_sources(path):
            import jinja2

            self._walk(jinja2.Environment().parse(source), scope)
        self.including.discard(name)

    def _chain(self, node: Any, scope: dict[str, Chain | None]) -> Chain | None:
        """The context path a value expression reads, or None for anything else (a literal,
        a loop helper, a call)."""
        from jinja2 import nodes

        if isinstance(node, nodes.Name):
            if node.name in scope:
                return scope[node.name]
            return None if node.name in _GLOBALS else (node.name,)
        if isinstance(node, nodes.Getattr):
            base = self._chain(node.node, scope)
            return base + (node.attr,) if base is not None else None
        if isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const):
            base = self._chain(node.node, scope)
            key = "*" if isinstance(node.arg.value, int) else str(node.arg.value)
            return base + (key,) if base is not None else None
        return None


def _target_names(target: Any) -> list[str]:
    from jinja2 import nodes

    return [n.name for n in target.find_all(nodes.Name)] if not isinstance(target, nodes.Name) else [target.name]


# -- what the context offers --------------------------------------------------------------

def _sample(schema: dict, root: dict, path: tuple, covered: bool, tokens: dict[str, str]) -> Any:
    """A value the schema accepts for `schema`, with every optional field present. Each text
    is a unique token ("§12§") recorded in `tokens` with its field, so the fields a template
    prints can be found even inside text msgen composes ("A, B and C")."""
    ref = schema.get("$ref", "").rsplit("/", 1)[-1]
    special = _sample_of_kind(ref, path) if ref else None
    if special is not None:
        return special
    if schema.get("$ref") in _PROSE:
        token = f"§{len(tokens)}§"
        tokens[token] = re.sub(r"\[\d+\]", "[*]", format_path(path))
        return token
    if ref:
        return _sample(root["$defs"][ref], root, path, covered, tokens)
    if "const" in schema:
        return schema["const"]
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if kind == "object":
        properties = {k: v for k, v in schema.get("properties", {}).items() if isinstance(v, dict) and k != "$schema"}
        if "if" in schema:  # one of the six areas: covered or left out
            branch = schema["else"] if covered else schema["then"]
            properties = {k: v for k, v in properties.items() if branch.get("properties", {}).get(k) is not False}
        value = {key: _sample(child, root, path + (key,), covered, tokens) for key, child in properties.items()}
        if "included" in value:
            value["included"] = covered
        return value
    if kind == "array":
        return _sample_list(schema["items"], root, path, covered, tokens)
    if kind == "integer":
        return max(schema.get("minimum", 1), 1)
    if kind == "boolean":
        return True
    return "sample"


def _sample_list(items: dict, root: dict, path: tuple, covered: bool, tokens: dict[str, str]) -> list:
    """Two organisations (a joint statement), a custom section after each section, a block
    of each kind; one item of anything else."""
    resolved = root["$defs"][items["$ref"].rsplit("/", 1)[1]] if "$ref" in items else items
    if path == ("custom_sections",):
        places = resolved["properties"]["after"]["enum"]
        sections = [_sample(items, root, path + (i,), covered, tokens) for i in range(len(places))]
        return [{**section, "after": place} for section, place in zip(sections, places)]
    if resolved.get("maxProperties") == 1:
        return [{key: _sample(child, root, path + (i, key), covered, tokens)}
                for i, (key, child) in enumerate(resolved["properties"].items())]
    count = 2 if path == ("organisations",) else 1
    return [_sample(items, root, path + (index,), covered, tokens) for index in range(count)]


def _sample_of_kind(name: str, path: tuple) -> Any:
    """Values whose form the schema or its cross-field rules fix."""
    if name == "id":
        return f"org-{path[1]}" if path[0] == "organisations" else "org-0"
    if name == "date":
        return {"start": "2022-04-01", "end": "2023-03-31"}.get(path[-1], "2023-06-01")
    if name == "financial_year":
        return "2022-23" if path == ("statement", "financial_year") else "2021-22"
    if name == "url":
        return "https://example.org/"
    if name == "email":
        return "info@example.org"
    if path[0] == "organisations" and path[-1] == "short_name":
        return f"S{path[1]}"
    if path[-1] == "path" and "signature_image" in path:
        return "signature.png"
    return None


@cache
def sample_profiles() -> tuple[tuple[dict, ...], dict[str, str]]:
    """Two joint profiles with every field, one covering all six areas and one leaving them
    all out, and the field each text token stands for."""
    from msgen import resources

    schema = resources.schema()
    tokens: dict[str, str] = {}
    profiles = tuple(_sample(schema, schema, (), covered, tokens) for covered in (True, False))
    for profile in profiles:
        profile["statement"]["kind"] = "joint"
        profile["slug"] = "sample"
    return profiles, tokens


@cache
def _contexts() -> tuple[dict, ...]:
    from msgen.document.context import build_context
    from msgen.profile.loader import LoadedProfile

    return tuple(build_context(LoadedProfile(Path("sample.yaml"), data)) for data in sample_profiles()[0])


def _resolve(value: Any, chain: Chain) -> Iterator[Any]:
    """Every value the chain reaches in a context ("*" goes into each item of a list)."""
    if not chain:
        yield value
        return
    head, rest = chain[0], chain[1:]
    if head == "*" and isinstance(value, list):
        for item in value:
            yield from _resolve(item, rest)
    elif isinstance(value, dict) and head in value:
        yield from _resolve(value[head], rest)


def _printed_fields(value: Any, tokens: dict[str, str]) -> Iterator[str]:
    """The profile fields whose text a printed value (a text, or a list of texts) holds."""
    texts = ([value] if isinstance(value, str)
             else [v for v in value if isinstance(v, str)] if isinstance(value, list) else [])
    for text in texts:
        for token in re.findall(r"§\d+§", text):
            yield tokens[token]


def required_text_fields() -> list[str]:
    """The schema's required text fields (required in their object, or in an area when it is
    covered or left out), as profile paths with [*] for list items."""
    from msgen import resources

    schema = resources.schema()
    found: list[str] = []

    def walk(node: dict, path: str, required: bool) -> None:
        if node.get("$ref") in _PROSE:
            if required and not path.startswith(_NOT_TEMPLATE_TEXT):
                found.append(path)
            return
        if "$ref" in node:
            node = schema["$defs"][node["$ref"].rsplit("/", 1)[1]]
        if node.get("type") == "array" and isinstance(node.get("items"), dict):
            walk(node["items"], f"{path}[*]", required)
        needed = set(node.get("required", []))
        for branch in ("then", "else"):
            needed |= set(node.get(branch, {}).get("required", []))
        for key, child in node.get("properties", {}).items():
            if isinstance(child, dict):
                walk(child, f"{path}.{key}" if path else key, required and key in needed)

    walk(schema, "", True)
    return found


@rule("templates.unknown-field", ERROR, TEMPLATES,
      title="Every field a template uses exists",
      why="A template asking for a field the profile format does not have stops every build "
          "(msgen never prints a blank in its place), or hides in a branch until a profile reaches it.",
      fix="Correct the field's name in the template; the fields are listed in docs/profile.md.",
      source="msgen profile schema (schemas/profile.schema.json)")
def unknown_field(templates: Templates) -> Iterator[Hit]:
    contexts = _contexts()
    for name, chain in templates.uses:
        if not any(True for context in contexts for _ in _resolve(context, chain)):
            shown = ".".join(chain).replace(".*", "[]")
            yield f"{name}: {shown}", f"'{shown}' is not a field msgen gives templates"


@rule("templates.unused-required", ERROR, TEMPLATES,
      title="Every required field is printed by some template",
      why="A field the schema requires (a signatory's role, the approving body) is required because "
          "the statement must show it; a template set that never prints it makes statements that lack it.",
      fix="Add the field to a template (see the default templates from `msgen templates export`).",
      source="msgen profile schema (schemas/profile.schema.json); Modern Slavery Act 2015 s54")
def unused_required(templates: Templates) -> Iterator[Hit]:
    tokens = sample_profiles()[1]
    printed = {path for context in _contexts() for _, chain in templates.uses
               for value in _resolve(context, chain) for path in _printed_fields(value, tokens)}
    for field in required_text_fields():
        if field not in printed:
            yield field, f"no template in {templates.folder} prints {field}"
