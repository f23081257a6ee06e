"""Web-page and print furniture that is never part of a statement's text, in one place:
`msgen import` drops the lines these match, and scripts/fidelity.py leaves them out of its
measurement and lists any that reach a built statement, so the two never disagree on what residue is.

Patterns only (no imports), so the measuring script reads them without loading the importer.
"""

# A line any of these finds is residue (seen in ../shared/reference and ../shared/corpus).
LINE_RESIDUE = [
    r"\bcookies?\b",
    r"^skip to (main )?content$",
    r"quickly exit this site|leave this site",
    r"^sorry, there was a technical problem",
    r"^this site is a beta\b",
    r"^for a pdf version of this statement",
    r"^\S.*\.(png|jpe?g|gif|svg|webp)$",
    r"^page \d+( of \d+)?$",
]
# Cut out of the sentence that carries them: link labels a web page adds inside the text.
INLINE_RESIDUE = [r"\s*\(external website\)", r"\s*\(opens in a new (tab|window)\)"]
