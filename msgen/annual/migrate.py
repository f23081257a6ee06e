"""`msgen migrate`: a version-1 profile rewritten as version 2, building the same text.

Version 1 printed a fixed skeleton (Introduction, About, Scope, the six areas, …) and
inserted sentences of its own; version 2 prints only what the profile's sections say.
So the migrated profile spells the skeleton out: v1's sections in v1's order with v1's
headings, the six areas tagged with `covers:`, custom sections after the section they
followed, v1's structured data moved under `data:` and printed by `data:` blocks where
v1 printed it. Each sentence v1 inserted becomes a `clause:` block when it names the year
(so next-year keeps it current) or reads a value kept in `statement:`; a sentence that
depends only on the bodies' names and the profile's values is written out as `p:` text,
worded by v1's own context, so it reads exactly as before.

The file is edited in its author's layout (profile/edit.py): YAML through ruamel's round
trip, so comments and key order survive wherever the structure does; JSON stays JSON.
This lives beside the annual commands because it reads v1's wording from the document
step, which the profile step may not import.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Iterator

from msgen.document import grammar
from msgen.errors import InvalidProfile, Problem, UsageError
from msgen.files import read_limited
from msgen.profile.edit import copy_target, insert_key, read_for_editing, write_if_valid, written_like
from msgen.profile.loader import MAX_PROFILE_BYTES, LoadedProfile, parse_profile, strings_in

MIGRATED_SUFFIX = ".v2"  # NAME.yaml -> NAME.v2.yaml beside it, unless -o says otherwise
AREAS = (("structure", "Structure, business and supply chains"),
         ("policies", "Policies on slavery and human trafficking"),
         ("due_diligence", "Due diligence"),
         ("risk", "Risk assessment and management"),
         ("effectiveness", "Effectiveness and key performance indicators"),
         ("training", "Training on slavery and human trafficking"))
SKELETON_KEYS = ("scope", "areas", "operational_response", "actions", "custom_sections")  # v1 keys sections replace


def default_target(source: Path) -> Path:
    return source.with_name(f"{source.stem}{MIGRATED_SUFFIX}{source.suffix}")


def migrate_file(source: Path, target: Path | None = None, *, force: bool = False) -> tuple[Path, list[Problem]]:
    """Write the version-2 form of the version-1 profile `source` to `target` (default
    NAME.v2.yaml beside it; a folder: the same name in it); return where it went, and a
    warning for each text version 2 will print differently."""
    from msgen.document.context import build_context
    from msgen.profile.validate import validate
    from msgen.writer import check_writable

    source = Path(source)
    target = default_target(source) if target is None else Path(target)
    target, kind = copy_target(source, target)
    raw = read_limited(source, MAX_PROFILE_BYTES, "profile")
    profile = parse_profile(source, raw)
    if profile.version != 1:
        raise UsageError(f"this is already a version-{profile.version} profile: there is nothing to migrate",
                         file=source, fix="build it as it is")
    problems = validate(profile)
    if problems:
        raise InvalidProfile(problems, file=source, fix="correct the version-1 profile first, then migrate it")
    check_writable(target, force=force)
    data, yaml = read_for_editing(raw, kind)
    _Migration(data, build_context(profile)).run()
    write_if_valid(written_like(data, yaml, raw), target, force=force, invalid={
        "message": "the migrated profile would not be valid, so it was not written",
        "fix": "please report this with the version-1 profile"})
    return target, list(_read_as_formatting(profile))


def migrated(profile: LoadedProfile) -> LoadedProfile:
    """The version-2 form of a valid version-1 profile, in memory: a version-1 statement's
    web page is rendered from its rows, as a version-2 one's is."""
    import copy

    from msgen.document.context import build_context

    data = copy.deepcopy(profile.data)
    _Migration(data, build_context(profile)).run()
    return LoadedProfile(profile.path, data)


class _Migration:
    """Rewrites one profile's data in place. `v1` is the editable data (ruamel's, or plain
    for JSON); `context` is what v1's templates were rendered with (its computed words)."""

    def __init__(self, v1: Any, context: dict[str, Any]) -> None:
        self.v1, self.context, self.we = v1, context, context["we"]
        self.data = self.mapping()
        self.custom: dict[str, list[dict]] = {}
        for section in v1.get("custom_sections", []):
            self.custom.setdefault(section["after"], []).append(section)
        self.ids: set[str] = set()

    def mapping(self, *items: tuple[str, Any]) -> Any:
        """A new mapping of the data's own kind (ruamel's keeps its order when written)."""
        made = type(self.v1)()
        for key, value in items:
            made[key] = value
        return made

    def run(self) -> None:
        v1 = self.v1
        if isinstance(v1.get("$schema"), str):
            v1["$schema"] = v1["$schema"].replace("profile.schema.json", "profile-v2.schema.json")
        v1["schema_version"] = 2
        sections = self.statement_sections()
        for key in ("kind", "introduction"):
            v1["statement"].pop(key, None)
        _replace_key(v1, "organisations", "bodies", [self.body(org) for org in v1["organisations"]])
        position = min(list(v1).index(key) for key in SKELETON_KEYS if key in v1)
        for key in SKELETON_KEYS:
            v1.pop(key, None)
        insert_key(v1, position, "sections", sections)
        if self.data:
            insert_key(v1, position + 1, "data", self.data)
        if "supplier_charter" in v1:
            self.charter(v1["supplier_charter"])

    # -- blocks and sections ----------------------------------------------------------------

    def section(self, heading: str | None, blocks: list, *, name: str = "", level: int = 1,
                covers: str = "") -> Any:
        """A section whose id is `name` or its heading's words, unique in the profile."""
        base = name or re.sub(r"[^a-z0-9]+", "-", str(heading).lower()).strip("-")[:50].strip("-") or "section"
        ident, number = base, 1
        while ident in self.ids:
            number += 1
            ident = f"{base}-{number}"
        self.ids.add(ident)
        items: list[tuple[str, Any]] = [("id", ident)]
        if heading:
            items.append(("heading", heading))
        if level != 1:
            items.append(("level", level))
        if covers:
            items.append(("covers", [covers]))
        return self.mapping(*items, ("blocks", blocks))

    def block(self, kind: str, value: Any, **options: Any) -> Any:
        return self.mapping((kind, value), *options.items())

    def moved(self, kind: str, source: Any, key: str | int, **options: Any) -> Any:
        """A block of `source[key]`, with the comment written after it."""
        block = self.block(kind, source[key], **options)
        _carry_comment(source, key, block, kind)
        return block

    def paragraphs(self, texts: list) -> list:
        return [self.moved("p", texts, index) for index in range(len(texts))]

    def texts(self, source: Any, *keys: str) -> list:
        """A paragraph for each of `keys` that `source` gives."""
        return [self.moved("p", source, key) for key in keys if key in source]

    def data_block(self, name: str, key: str, source: Any, source_key: str) -> Any:
        """Moves `source[source_key]` to `data.key` and returns the block that prints it."""
        self.data[key] = source[source_key]
        _carry_comment(source, source_key, self.data, key)
        return self.block("data", name)

    def with_custom(self, after: str, section: Any) -> list:
        """`section`, then the custom sections v1 placed after it, as sub-sections."""
        return [section, *(self.custom_section(custom) for custom in self.custom.get(after, []))]

    def custom_section(self, custom: Any) -> Any:
        blocks = []
        for content in custom["content"]:
            if "subheading" in content:
                blocks.append(self.moved("heading", content, "subheading", level=3))
            elif "paragraph" in content:
                blocks.append(self.moved("p", content, "paragraph"))
            elif "bullets" in content:
                blocks.append(self.moved("list", content, "bullets"))
            else:
                blocks.append(self.moved("list", content, "numbered", numbered=True))
        return self.section(custom["heading"], blocks, level=2)

    # -- the statement ----------------------------------------------------------------------

    def statement_sections(self) -> list:
        v1, we = self.v1, self.we
        introduction = [self.block("clause", "steps-taken-in-period"), self.block("clause", "legal-basis"),
                        self.block("clause", "statement-number"),
                        *self.paragraphs(v1["statement"].get("introduction", []))]
        about = f"About {'the organisations' if we['plural'] else we['subject']}"
        sections = [self.section(None, [self.block("clause", "financial-year")], name="subtitle"),
                    *self.with_custom("introduction", self.section("Introduction", introduction)),
                    *self.with_custom("about", self.section(about, [self.block("data", "bodies")], name="about")),
                    *self.with_custom("scope", self.section("Scope and responsibilities", self.scope(v1["scope"])))]
        for key, heading in AREAS:
            area = v1["areas"][key]
            if area["included"]:
                section = self.section(heading, getattr(self, key)(area), name=key.replace("_", "-"), covers=key)
            else:
                section = self.section(heading, [self.block("clause", "not-covered", area=key, reason=area["reason"])],
                                       name=key.replace("_", "-"))
            sections += self.with_custom(key, section)
        if "operational_response" in v1 or "operational_response" in self.custom:
            sections += self.with_custom("operational_response", self.section(
                "Operational response", self.operational_response(v1.get("operational_response", {}))))
        actions = v1.get("actions", {})
        sections += self.with_custom("progress", self.section(
            "Progress on last year’s commitments", self.progress(actions), name="progress"))
        sections += self.with_custom("next_year", self.section(
            "Commitments for the coming year", self.next_year(actions), name="commitments"))
        sections.append(self.section("Approval and publication", self.publication()))
        return sections

    def scope(self, scope: Any) -> list:
        blocks = self.texts(scope, "description", "collaboration")
        if scope.get("responsibilities"):
            blocks += [self.block("p", "Responsibility for each area of this work is as follows:"),
                       self.data_block("responsibilities", "responsibilities", scope, "responsibilities")]
        return blocks

    def structure(self, area: Any) -> list:
        blocks = self.paragraphs(area["paragraphs"])
        if area.get("supply_chain_categories"):
            blocks += [self.block("p", "The main categories of goods and services bought are:"),
                       self.moved("list", area, "supply_chain_categories")]
        return blocks

    def lead_in(self, area: Any, clause: str) -> Any:
        """The area's own introduction, or the clause v1 printed when it had none."""
        return self.moved("p", area, "introduction") if "introduction" in area else self.block("clause", clause)

    def policies(self, area: Any) -> list:
        return [self.lead_in(area, "policies-lead-in"), self.data_block("policies", "policies", area, "items")]

    def due_diligence(self, area: Any) -> list:
        blocks = [self.lead_in(area, "due-diligence-lead-in"),
                  self.data_block("due-diligence", "due_diligence", area, "measures")]
        if "procurement_collaboration" in area:
            shared = self.context["areas"]["due_diligence"]["procurement_collaboration"]
            short = f" ({shared['short_name']})" if shared["short_name"] else ""
            blocks.append(self.block("p", f"{self.we['Possessive']} procurement is carried out through "
                                          f"{shared['name']}{short}, a collaboration of {shared['members_text']}."))
            blocks += self.texts(area["procurement_collaboration"], "description")
        blocks += self.texts(area, "terms_and_conditions")
        if "msat" in area:
            asked = "are" if area["msat"]["used"] else "are not currently"
            blocks.append(self.block("p", f"Suppliers {asked} asked to complete the government’s Modern Slavery "
                                          "Assessment Tool (MSAT)."))
            blocks += self.texts(area["msat"], "description")
        return blocks

    def risk(self, area: Any) -> list:
        """v1 printed a lead-in before the higher-risk areas and another before the priority
        risks; the `risks` data block prints both in one place, so with both the areas
        become the section's own list."""
        we = self.we
        blocks = self.texts(area, "method")
        risks = self.mapping()
        if "level" in area:
            risks["level"] = area["level"]
            _carry_comment(area, "level", risks, "level")
            blocks.append(self.block("p", f"{we['Subject']} {we['verb']['assess']} the overall risk of slavery and "
                                          f"human trafficking in {we['its']} business and supply chains as "
                                          f"{area['level']}."))
        if area.get("areas"):
            blocks.append(self.block("p", "The areas assessed as carrying a higher risk are:"))
            if area.get("priority_risks"):
                blocks.append(self.moved("list", area, "areas"))
            else:
                risks["areas"] = area["areas"]
                _carry_comment(area, "areas", risks, "areas")
        if area.get("priority_risks"):
            blocks.append(self.block("p", "The priority risks, where they arise, who they affect and how they are "
                                          "mitigated are:"))
            risks["priority_risks"] = area["priority_risks"]
        if risks:
            self.data["risks"] = risks
        if "areas" in risks or "priority_risks" in risks:
            blocks.append(self.block("data", "risks"))
        if "no_risks_identified" in area:
            blocks.append(self.block("p", "No priority risks have been identified. "
                                          f"{area['no_risks_identified']['justification'].strip()}"))
        return blocks

    def effectiveness(self, area: Any) -> list:
        introduction = self.texts(area, "introduction") or [
            self.block("p", "These key performance indicators show whether the steps taken are working.")]
        return [*introduction, self.block("p", "Output indicators count activity; outcome indicators measure results."),
                self.data_block("kpis", "kpis", area, "kpis")]

    def training(self, area: Any) -> list:
        return [*self.texts(area, "introduction"), self.data_block("training", "training", area, "items")]

    def operational_response(self, response: Any) -> list:
        blocks = self.texts(response, "introduction")
        if response.get("units"):
            blocks.append(self.block("heading", "Dedicated teams"))
            blocks += [self.block("p", f"**{unit['name'].strip()}**: {unit['description'].strip()}")
                       for unit in response["units"]]
        for key, heading in (("referral_mechanism", "National Referral Mechanism"),
                             ("victim_support", "Support for victims")):
            if key in response:
                blocks += [self.block("heading", heading), *self.texts(response, key)]
        if response.get("partnerships"):
            blocks += [self.block("heading", "Partnerships"),
                       self.data_block("partnerships", "partnerships", response, "partnerships")]
        return blocks

    def progress(self, actions: Any) -> list:
        if actions.get("progress"):
            return [self.block("clause", "progress-lead-in"),
                    self.data_block("progress", "progress", actions, "progress")]
        if self.v1["statement"]["years_producing"] == 1:
            return [self.block("clause", "first-statement")]
        return [self.block("p", "This statement does not report on the commitments made in "
                                f"{self.we['possessive']} previous statement.")]

    def next_year(self, actions: Any) -> list:
        if actions.get("next_year"):
            return [self.block("clause", "commitments-lead-in"),
                    self.data_block("commitments", "commitments", actions, "next_year")]
        return [self.block("clause", "no-new-commitments")]

    def publication(self) -> list:
        statement = self.v1["statement"]
        given = statement.get("publication", {})
        blocks = [self.block("clause", clause) for key, clause in (
            ("statement_url", "published-at"), ("homepage_link_text", "homepage-link"),
            ("publication_date", "publication-date"), ("request_email", "request-copy")) if key in given]
        if statement.get("previous_statements"):
            blocks += [self.block("p", "Earlier statements are published at:"),
                       self.block("list", [f"{grammar.fy_slash(earlier['year'])}: {earlier['url'].strip()}"
                                           for earlier in statement["previous_statements"]])]
        return [*blocks, self.block("data", "signatures")]

    # -- bodies and the charter ---------------------------------------------------------------

    def body(self, org: Any) -> Any:
        """An organisation as a body. v1 named a joint statement's bodies by abbreviation
        (`refer_as`) after a first mention as "the Office of … (OPCC)" (`text_name`)."""
        joint = self.we["plural"]
        _replace_key(org, "name", "legal_name", org["name"])
        full = grammar.with_article(org["legal_name"])
        if joint and full != org["legal_name"]:
            insert_key(org, list(org).index("legal_name") + 1, "text_name", full)
        if "referred_to_as" in org:
            _replace_key(org, "referred_to_as", "refer_as", org["short_name"] if joint else org["referred_to_as"])
        elif joint:
            insert_key(org, list(org).index("short_name") + 1, "refer_as", org["short_name"])
        if "description" in org:
            org["description"] = self.paragraphs(org["description"])
        return org

    def charter(self, v1_charter: Any) -> None:
        """v1's charter skeleton as sections; its fixed sentences as text, the one that names
        the year as a clause."""
        words = self.context["charter"]
        short = f" ({words['short_name']})" if words["short_name"] else ""
        made_by = f"This charter is made by {words['collaboration']}{short}"
        about = [self.block("p", f"{made_by} on behalf of:" if words["members"] else f"{made_by}.")]
        if words["members"]:
            about.append(self.block("list", [str(member) for member in words["members"]]))
        self.ids = set()  # the charter is a document of its own
        sections = [self.section("About this charter", about + self.paragraphs(v1_charter.get("introduction", [])))]
        for key, heading, lead_in in (
                ("values", "Our values", "We welcome suppliers who share our values:"),
                ("commitments_to_suppliers", "Our commitments to suppliers", "We make these commitments to our "
                                                                              "suppliers:"),
                ("commitments_from_suppliers", "What we ask of suppliers", "We ask every supplier to meet these "
                                                                           "commitments:")):
            if v1_charter.get(key):
                sections.append(self.section(heading, [self.block("p", lead_in), self.moved("list", v1_charter, key)]))
        concerns = self.texts(v1_charter, "raising_concerns")
        sections.append(self.section("Raising concerns", [*concerns, self.block("clause", "emergency-contact")]))
        published = (self.block("p", f"This charter is published at {v1_charter['published_at'].strip()}.")
                     if "published_at" in v1_charter else self.block("clause", "charter-published-with"))
        sections += [self.section("Where this charter is published", [published]),
                     self.section("Approval", [self.block("data", "signatures")])]
        for key in [key for key in v1_charter if key != "title"]:
            del v1_charter[key]
        v1_charter["sections"] = sections


def _replace_key(mapping: Any, old: str, new: str, value: Any) -> None:
    """`old: …` becomes `new: value` in the same place, keeping the comments on it."""
    position = list(mapping).index(old)
    comments = mapping.ca.items if hasattr(mapping, "ca") else {}
    comment = comments.pop(old, None)
    del mapping[old]
    insert_key(mapping, position, new, value)
    if comment is not None:
        comments[new] = comment


def _carry_comment(source: Any, key: str | int, target: Any, target_key: str) -> None:
    """The comment ruamel keeps after `source[key]` (to the end of the line, and the lines
    up to the next key), put after `target[target_key]`: a comment moves with its value."""
    comments = source.ca.items if hasattr(source, "ca") else {}
    if key in comments and hasattr(target, "ca"):
        after = comments[key][0 if isinstance(key, int) else 2]  # a list item keeps it first, a key third
        if after is not None:
            target.ca.items[target_key] = [None, None, after, None]


def _read_as_formatting(profile: LoadedProfile) -> Iterator[Problem]:
    """Version 1 printed every text as written; version 2 reads `*word*`, `**word**` and
    `[label](https://…)` as formatting, and has no way to write them literally."""
    from msgen.document.sections import spans

    for at, text in strings_in(profile.data):
        runs = spans(text, "")
        if "".join(run["text"] for run in runs) != text.strip() or any(run["bold"] or run["italic"] or run["url"]
                                                                        for run in runs):
            yield Problem("version 2 prints this text's * or [label](address) as formatting, not as written",
                          path=at, file=str(profile.path), line=profile.line_of(at),
                          fix="check it in the built statement, and reword it if it now reads differently")
