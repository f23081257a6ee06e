"""The UK's police forces, police and crime commissioners and fire and rescue services.

`msgen check` uses this list to spot a statement that names a body it was not written
for: the commonest trace of a statement copied from a neighbour (Norfolk's 2021
statement still sent readers to "Cambridgeshire"). Each body is written as the stems
its names are built from ("Cambridgeshire" gives "Cambridgeshire Constabulary",
"Police and Crime Commissioner for Cambridgeshire", "Cambridgeshire Fire and Rescue
Service") and the places it serves, so every common form of a name is recognised
without listing each spelling.

Sources: Home Office list of police forces in England and Wales (43 territorial forces),
Association of Police and Crime Commissioners, National Fire Chiefs Council list of
fire and rescue services (2023).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

POLICE_FORCE = "police force"
COMMISSIONER = "police and crime commissioner"
FIRE_SERVICE = "fire and rescue service"


@dataclass(frozen=True)
class Body:
    """One body: its usual full name, the stems its names are built from, and the places
    it serves. Places are left out where the name alone is no sign of copied text
    ("London", "the West Midlands" describe where suppliers are, not who wrote it)."""

    name: str
    kind: str
    stems: tuple[str, ...]
    places: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()


def _force(name: str, *places: str, stems: tuple[str, ...] = ()) -> Body:
    """A force named '<stem> Police|Constabulary', serving its stem unless places are given."""
    stem = name.rsplit(" ", 1)[0]
    return Body(name, POLICE_FORCE, stems or (stem,), places or (stem,))


def _fire(name: str, *places: str, stems: tuple[str, ...] = ()) -> Body:
    """A service named '<stem> [County] Fire and Rescue Service', serving its stem unless places are given."""
    stem = re.split(r" (?:County )?Fire ", name)[0]
    return Body(name, FIRE_SERVICE, stems or (stem,), places or (stem,))


# Districts whose names hold another county's ("North Lincolnshire" is Humberside's, not
# Lincolnshire's): named, they are the area of the bodies that serve them.
AVON = ("South Gloucestershire", "North Somerset", "Bath and North East Somerset", "Bristol")
HUMBERSIDE = ("East Riding of Yorkshire", "North Lincolnshire", "North East Lincolnshire", "Kingston upon Hull", "Hull")

# Welsh areas in English and in Welsh, as the Welsh bodies name themselves in each.
NORTH_WALES = ("North Wales", "Gogledd Cymru")
SOUTH_WALES = ("South Wales", "De Cymru")
MID_AND_WEST_WALES = ("Mid and West Wales", "Canolbarth a Gorllewin Cymru")

# The 43 territorial police forces of England and Wales; places are the counties each
# serves where its name does not say them all.
TERRITORIAL_FORCES: tuple[Body, ...] = (
    _force("Avon and Somerset Police", "Avon and Somerset", "Somerset", *AVON),
    _force("Bedfordshire Police"),
    _force("Cambridgeshire Constabulary"),
    _force("Cheshire Constabulary"),
    _force("City of London Police"),
    _force("Cleveland Police"),
    _force("Cumbria Constabulary"),
    _force("Derbyshire Constabulary"),
    _force("Devon and Cornwall Police", "Devon and Cornwall", "Devon", "Cornwall", "Isles of Scilly"),
    _force("Dorset Police"),
    _force("Durham Constabulary", "Durham", "County Durham", "Darlington"),
    _force("Dyfed-Powys Police", "Dyfed-Powys", "Dyfed", "Powys"),  # Heddlu Dyfed-Powys
    _force("Essex Police"),
    _force("Gloucestershire Constabulary"),
    _force("Greater Manchester Police"),
    _force("Gwent Police"),
    _force("Hampshire and Isle of Wight Constabulary", "Hampshire", "Isle of Wight",
           stems=("Hampshire and Isle of Wight", "Hampshire")),
    _force("Hertfordshire Constabulary"),
    _force("Humberside Police", "Humberside", *HUMBERSIDE),
    _force("Kent Police"),
    _force("Lancashire Constabulary"),
    _force("Leicestershire Police", "Leicestershire", "Rutland"),
    _force("Lincolnshire Police"),
    _force("Merseyside Police"),
    Body("Metropolitan Police Service", POLICE_FORCE, ("Metropolitan",), (), ("Met Police",)),
    _force("Norfolk Constabulary"),
    _force("North Wales Police", *NORTH_WALES, stems=NORTH_WALES),
    _force("North Yorkshire Police"),
    _force("Northamptonshire Police"),
    _force("Northumbria Police", "Northumbria", "Northumberland", "Tyne and Wear"),
    _force("Nottinghamshire Police"),
    _force("South Wales Police", *SOUTH_WALES, stems=SOUTH_WALES),
    _force("South Yorkshire Police"),
    _force("Staffordshire Police", "Staffordshire", "Stoke-on-Trent"),
    _force("Suffolk Constabulary"),
    _force("Surrey Police"),
    _force("Sussex Police", "Sussex", "East Sussex", "West Sussex", "Brighton and Hove"),
    _force("Thames Valley Police", "Thames Valley", "Berkshire", "Buckinghamshire", "Oxfordshire",
           "Milton Keynes"),
    _force("Warwickshire Police"),
    _force("West Mercia Police", "West Mercia", "Herefordshire", "Worcestershire", "Shropshire", "Telford"),
    Body("West Midlands Police", POLICE_FORCE, ("West Midlands",)),
    _force("West Yorkshire Police"),
    _force("Wiltshire Police", "Wiltshire", "Swindon"),
)

OTHER_FORCES: tuple[Body, ...] = (
    Body("Police Scotland", POLICE_FORCE, (), (), ("Police Scotland",)),
    Body("Police Service of Northern Ireland", POLICE_FORCE, (), (),
         ("Police Service of Northern Ireland", "PSNI")),
    Body("British Transport Police", POLICE_FORCE, ("British Transport",), (), ("BTP",)),
    Body("Ministry of Defence Police", POLICE_FORCE, ("Ministry of Defence",)),
    Body("Civil Nuclear Constabulary", POLICE_FORCE, ("Civil Nuclear",)),
)

# Every territorial force in England and Wales has a commissioner (in London, Greater
# Manchester, West Yorkshire and York and North Yorkshire an elected mayor holds the role).
COMMISSIONERS: tuple[Body, ...] = tuple(
    Body(f"Police and Crime Commissioner for {force.stems[0]}", COMMISSIONER, force.stems, force.places)
    for force in TERRITORIAL_FORCES if force.name not in ("Metropolitan Police Service", "City of London Police")
) + (
    Body("Mayor's Office for Policing and Crime", COMMISSIONER, (), (),
         ("Mayor's Office for Policing and Crime", "Mayor’s Office for Policing and Crime", "MOPAC")),
)

FIRE_SERVICES: tuple[Body, ...] = (
    Body("Avon Fire and Rescue Service", FIRE_SERVICE, ("Avon",), ("Avon", *AVON)),
    _fire("Bedfordshire Fire and Rescue Service"),
    _fire("Royal Berkshire Fire and Rescue Service", "Berkshire", stems=("Royal Berkshire", "Berkshire")),
    _fire("Buckinghamshire Fire and Rescue Service", "Buckinghamshire", "Milton Keynes",
          stems=("Buckinghamshire and Milton Keynes", "Buckinghamshire")),
    _fire("Cambridgeshire Fire and Rescue Service"),
    _fire("Cheshire Fire and Rescue Service"),
    Body("Cleveland Fire Brigade", FIRE_SERVICE, ("Cleveland",), ("Cleveland",)),
    _fire("Cornwall Fire and Rescue Service"),
    _fire("County Durham and Darlington Fire and Rescue Service", "County Durham", "Durham", "Darlington",
          stems=("County Durham and Darlington", "County Durham", "Durham")),
    _fire("Cumbria Fire and Rescue Service"),
    _fire("Derbyshire Fire and Rescue Service"),
    _fire("Devon and Somerset Fire and Rescue Service", "Devon", "Somerset"),
    _fire("Dorset and Wiltshire Fire and Rescue Service", "Dorset", "Wiltshire"),
    _fire("East Sussex Fire and Rescue Service"),
    _fire("Essex County Fire and Rescue Service", "Essex", stems=("Essex County", "Essex")),
    _fire("Gloucestershire Fire and Rescue Service"),
    _fire("Greater Manchester Fire and Rescue Service"),
    _fire("Hampshire and Isle of Wight Fire and Rescue Service", "Hampshire", "Isle of Wight",
          stems=("Hampshire and Isle of Wight", "Hampshire", "Isle of Wight")),
    _fire("Hereford and Worcester Fire and Rescue Service", "Herefordshire", "Worcestershire"),
    _fire("Hertfordshire Fire and Rescue Service"),
    _fire("Humberside Fire and Rescue Service", "Humberside", *HUMBERSIDE),
    _fire("Isles of Scilly Fire and Rescue Service"),
    _fire("Kent Fire and Rescue Service"),
    _fire("Lancashire Fire and Rescue Service"),
    _fire("Leicestershire Fire and Rescue Service", "Leicestershire", "Rutland"),
    _fire("Lincolnshire Fire and Rescue Service"),
    Body("London Fire Brigade", FIRE_SERVICE, ("London",)),
    _fire("Merseyside Fire and Rescue Service"),
    _fire("Norfolk Fire and Rescue Service"),
    _fire("North Yorkshire Fire and Rescue Service"),
    _fire("Northamptonshire Fire and Rescue Service"),
    _fire("Northumberland Fire and Rescue Service"),
    _fire("Nottinghamshire Fire and Rescue Service"),
    _fire("Oxfordshire Fire and Rescue Service"),
    _fire("Shropshire Fire and Rescue Service"),
    _fire("South Yorkshire Fire and Rescue Service"),
    _fire("Staffordshire Fire and Rescue Service", "Staffordshire", "Stoke-on-Trent"),
    _fire("Suffolk Fire and Rescue Service"),
    _fire("Surrey Fire and Rescue Service"),
    _fire("Tyne and Wear Fire and Rescue Service"),
    _fire("Warwickshire Fire and Rescue Service"),
    Body("West Midlands Fire Service", FIRE_SERVICE, ("West Midlands",)),
    _fire("West Sussex Fire and Rescue Service"),
    _fire("West Yorkshire Fire and Rescue Service"),
    _fire("Mid and West Wales Fire and Rescue Service", *MID_AND_WEST_WALES, stems=MID_AND_WEST_WALES),
    _fire("North Wales Fire and Rescue Service", *NORTH_WALES, stems=NORTH_WALES),
    _fire("South Wales Fire and Rescue Service", *SOUTH_WALES, stems=SOUTH_WALES),
    Body("Scottish Fire and Rescue Service", FIRE_SERVICE, ("Scottish",)),
    Body("Northern Ireland Fire and Rescue Service", FIRE_SERVICE, ("Northern Ireland",)),
)

BODIES: tuple[Body, ...] = TERRITORIAL_FORCES + OTHER_FORCES + COMMISSIONERS + FIRE_SERVICES

_OFFICE = r"(?:Office of the )?"
_COMMISSIONER = r"(?:Police,? (?:Fire )?and Crime Commissioner|PCC|PFCC|OPCC|OPFCC)"
# How each kind of body is named around its stem; each alternative holds {stem} once. The
# Welsh bodies' Welsh names too, as they publish them: "Heddlu Gwent", "Comisiynydd (yr)
# Heddlu a Throsedd Gwent", "Gwasanaeth Tân ac Achub De Cymru".
_NAME_SHAPES = {
    POLICE_FORCE: ("{stem} (?:Police|Constabulary)(?: Service| Force)?", "Heddlu {stem}"),
    COMMISSIONER: (rf"{_OFFICE}{_COMMISSIONER}(?:'s Office|’s Office)? (?:for|of) {{stem}}",
                   rf"{{stem}}(?:'s|’s)? {_OFFICE}(?:{_COMMISSIONER}|Commissioner)",
                   "(?:Swyddfa )?Comisiynydd (?:yr )?Heddlu a Throsedd {stem}"),
    FIRE_SERVICE: ("{stem} (?:County )?Fire (?:and|&) Rescue(?: Service| Authority)?",
                   "{stem} Fire (?:Brigade|Service|Authority)", "(?:Gwasanaeth|Awdurdod) Tân ac Achub {stem}"),
}


@dataclass(frozen=True)
class Mention:
    """A body's name, or a place only other bodies serve, found in a text."""

    text: str
    start: int
    end: int
    bodies: tuple[Body, ...]


def _index(pairs) -> dict[str, tuple[Body, ...]]:
    index: dict[str, tuple[Body, ...]] = {}
    for key, body in pairs:
        index[key] = index.get(key, ()) + (body,)
    return index


def _alternation(words) -> str:
    """Longest first, so "West Sussex" wins over "Sussex"."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


# A run of word characters. A stem, place or alias can only be found where its first
# word stands whole in the text: every shape puts a word boundary, a space or an
# apostrophe on either side of it.
_WORD = re.compile(r"\w+")
# Found at every position, so "Sussex" is found inside "West Sussex" too.
_OVERLAPPING = r"(?={stem}\b)"


@cache
def _keys_by_first_word() -> dict[str, tuple[str, ...]]:
    by_word: dict[str, tuple[str, ...]] = {}
    for key in dict.fromkeys(key for b in BODIES for key in b.stems + b.places + b.aliases):
        for first in _WORD.findall(key)[:1]:  # the key's first word (none: nothing to index it by)
            by_word[first] = by_word.get(first, ()) + (key,)
    return by_word


@lru_cache(maxsize=4096)
def _candidates(text: str) -> frozenset[str]:
    """The stems, places and aliases whose first word is a word of the text."""
    by_word = _keys_by_first_word()
    return frozenset(key for word in set(_WORD.findall(text)) for key in by_word.get(word, ()))


@lru_cache(maxsize=1024)
def _pattern(shapes: tuple[str, ...], keys: tuple[str, ...]) -> re.Pattern:
    """The shapes around the keys, each alternative with its keys in group k0, k1, ..."""
    stems = _alternation(keys)
    return re.compile("|".join(rf"\b{shape.format(stem=f'(?P<k{i}>{stems})')}\b" for i, shape in enumerate(shapes)))


def _mentions(text: str, shapes: tuple[str, ...], index: dict[str, tuple[Body, ...]]) -> list[Mention]:
    """Each place the text names a key of `index` in one of the shapes. The expression holds
    only the keys the text may name: compiling one for every body in the list costs more
    than all the rest of a profile's checks."""
    keys = tuple(sorted(key for key in _candidates(text) if key in index))
    if not keys:
        return []
    found = []
    for m in _pattern(shapes, keys).finditer(text):
        key = next(filter(None, m.groups()))
        named = m.group() or key  # a match found ahead (_OVERLAPPING) holds no text: it names its key
        found.append(Mention(named, m.start(), m.start() + len(named), index[key]))
    return found


@cache
def _name_indexes() -> tuple[tuple[tuple[str, ...], dict[str, tuple[Body, ...]]], ...]:
    """(the shapes of its names, the bodies each stem means) for each kind of body, and
    the aliases, which stand alone."""
    kinds = tuple((shapes, _index((stem, b) for b in BODIES if b.kind == kind for stem in b.stems))
                  for kind, shapes in _NAME_SHAPES.items())
    return kinds + ((("{stem}",), _index((alias, b) for b in BODIES for alias in b.aliases)),)


@cache
def _places() -> dict[str, tuple[Body, ...]]:
    return _index((place, b) for b in BODIES for place in b.places)


@cache
def _words() -> dict[str, tuple[Body, ...]]:
    return _index((word, b) for b in BODIES for word in b.stems + b.places + b.aliases)


def body_names_in(text: str) -> list[Mention]:
    """Every body named in the text, the longest reading of each name only
    ("Norfolk Police and Crime Commissioner", not also "Norfolk Police")."""
    found = sorted((m for shapes, index in _name_indexes() for m in _mentions(text, shapes, index)),
                   key=lambda m: (m.start, -m.end))
    kept: list[Mention] = []
    for mention in found:
        if not kept or mention.start >= kept[-1].end:
            kept.append(mention)
    return kept


def places_in(text: str) -> list[Mention]:
    """Every place some body serves, named on its own ("in Cambridgeshire")."""
    return _mentions(text, ("{stem}",), _places())


@cache
def bodies_serving(texts: tuple[str, ...]) -> frozenset[Body]:
    """The bodies whose stem or place appears in the texts (e.g. an organisation's name and
    area): the profile's own bodies and their neighbours in the same area. A name inside a
    longer one counts only where the longer one's bodies serve it too: "Devon" in "Devon and
    Cornwall" is Devon and Somerset's fire service's area, "Lincolnshire" in "North
    Lincolnshire" is not Lincolnshire Police's."""
    words = _words()
    served: set[Body] = set()
    for text in texts:
        text = text.replace("&", "and")
        found = _mentions(text, (_OVERLAPPING,), words)
        for mention in found:
            if not any(outer.start <= mention.start and mention.end <= outer.end and outer != mention
                       and not any(mention.text in b.stems + b.places + b.aliases for b in outer.bodies)
                       for outer in found):
                served.update(mention.bodies)
    return frozenset(served)

