"""An English and a Welsh statement, imported each on its own, made one profile.

Where the two have the same structure (sections with the same kinds of blocks, lists of the
same length) each text becomes `{en: …, cy: …}`. Where they differ, the English is kept as it
is and the Welsh left for a person to place: a `# check:` comment names what was not paired
(so the profile builds as a draft until someone looks), and never a made-up translation.
"""

from __future__ import annotations

from typing import Any

from msgen.errors import DocumentError, JsonPath, format_path

_SAME_IN_BOTH = ("id", "type", "slug", "schema_version", "covers", "level", "number", "numbered", "clause",
                 "data", "area", "organisation", "date")  # names and codes, not text: the English's stand


def paired(english: dict, welsh: dict) -> tuple[dict, list[str]]:
    """One bilingual profile from the two imports, and what could not be paired (one line each)."""
    from msgen.check.rulebook import translatable_texts

    texts = {path for path, _ in translatable_texts(_plain(english))}
    unpaired: list[str] = []
    profile = _pair({key: value for key, value in english.items() if key != "sections"}, welsh, (), texts, unpaired)
    profile["sections"] = _sections(english.get("sections", []), welsh.get("sections", []), texts, unpaired)
    profile["statement"]["languages"] = ["en", "cy"]
    profile["#"] = [*english.get("#", []), *(f"check: Welsh not paired: {line}" for line in unpaired)]
    return profile, unpaired


def _sections(english: list, welsh: list, texts: set[JsonPath], unpaired: list[str]) -> list:
    """Section by section: one whose blocks are of the same kinds as the Welsh section at its
    place is paired; the rest keep their English, named for a person to pair by hand."""
    result, matched = [], 0
    for index, section in enumerate(english):
        other = welsh[index] if index < len(welsh) else None
        if other is not None and _shape(section) == _shape(other):
            matched += 1
            result.append(_pair(section, other, ("sections", index), texts, unpaired))
        else:
            heading = f" ('{section['heading']}')" if isinstance(section.get("heading"), str) else ""
            unpaired.append(f"sections[{index}]{heading}: the Welsh has no section with the same blocks here")
            result.append(section)
    unpaired += [f"the Welsh section {index + 1} has no English section at its place"
                 for index in range(len(english), len(welsh))]
    if english and not matched:
        raise DocumentError(f"the Welsh statement's sections do not match the English one's ({len(english)} and "
                            f"{len(welsh)} sections, none alike), so they are not one statement in two "
                            "languages; nothing was written",
                            fix="give the Welsh version of the same statement, or import each on its own")
    return result


def _pair(english: Any, welsh: Any, path: JsonPath, texts: set[JsonPath], unpaired: list[str]) -> Any:
    if path in texts and isinstance(english, str):
        if not isinstance(welsh, str) or welsh.strip() == english.strip():
            return english
        return {"en": english, "cy": welsh}
    if isinstance(english, dict):
        return _pair_mapping(english, welsh, path, texts, unpaired)
    if isinstance(english, list):
        if not isinstance(welsh, list) or len(welsh) != len(english) or not _alike(english, welsh):
            unpaired.append(f"{format_path(path)}: the English has {len(english)} item(s), the Welsh "
                            f"{len(welsh) if isinstance(welsh, list) else 0} or of other kinds")
            return english
        return [_pair(item, other, path + (index,), texts, unpaired)
                for index, (item, other) in enumerate(zip(english, welsh))]
    return english


def _pair_mapping(english: dict, welsh: Any, path: JsonPath, texts: set[JsonPath], unpaired: list[str]) -> dict:
    welsh = welsh if isinstance(welsh, dict) else {}
    result = {}
    for key, value in english.items():
        if key.startswith("#") or key in _SAME_IN_BOTH:
            result[key] = value
        else:
            result[key] = _pair(value, welsh.get(key), path + (key,), texts, unpaired)
    return result


def _alike(english: list, welsh: list) -> bool:
    """Whether two lists hold the same kinds of thing in the same order: blocks of the same
    kinds, sections with the same blocks, list items with or without sub-items alike."""
    return [_shape(item) for item in english] == [_shape(item) for item in welsh]


def _shape(value: Any) -> Any:
    if isinstance(value, dict):
        blocks = value.get("blocks")
        return (tuple(sorted(key for key in value if not key.startswith("#") and key not in ("heading", "number"))),
                tuple(_shape(block) for block in blocks) if isinstance(blocks, list) else None)
    return type(value).__name__


def _plain(value: Any) -> Any:
    """The import's data without its comment keys ("#field"), as the schema reads it."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items() if not key.startswith("#")}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value
