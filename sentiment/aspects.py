"""The aspects of a webshop a text is about (delivery, damage, service...), found by Dutch words."""

from __future__ import annotations

import re

# Each aspect with the word patterns that show it (regular expressions, matched at a word start).
ASPECTS: dict[str, tuple[str, ...]] = {
    "levering en bezorgtijd": (
        r"lever\w*",
        r"geleverd",
        r"bezorg\w*",
        r"bezorgd",
        r"pakket\w*",
        r"pakje\w*",
        r"zending\w*",
        r"verzend\w*",
        r"verzond\w*",
        r"postnl",
        r"dhl",
        r"track\w*",
        r"koerier\w*",
        r"aangekomen",
        r"vertraging\w*",
        r"te laat",
    ),
    "beschadigd of verkeerd geleverd": (
        r"beschadig\w*",
        r"kapot\w*",
        r"gebroken",
        r"breuk\w*",
        r"deuk\w*",
        r"scherven",
        r"stuk\b",
        r"verkeerde?\b",
        r"ontbr\w*",
        r"incompleet",
        r"defect\w*",
    ),
    "productkwaliteit": (
        r"kwaliteit\w*",
        r"materiaal",
        r"scherp\w*",
        r"roest\w*",
        r"barst\w*",
        r"afwerking",
        r"stevig\w*",
        r"degelijk\w*",
        r"slijt\w*",
        r"werkt niet",
    ),
    "retour en terugbetaling": (
        r"retour\w*",
        r"terugbeta\w*",
        r"terugstort\w*",
        r"geld terug",
        r"terug(ge)?stuur\w*",
        r"restitutie",
        r"creditering",
        r"herroep\w*",
        r"bedenktijd",
    ),
    "klantenservice en bereikbaarheid": (
        r"klantenservice",
        r"klantendienst",
        r"(on)?bereikba\w*",
        r"telefo\w*",
        r"gebeld",
        r"bellen",
        r"reactie",
        r"antwoord\w*",
        r"medewerk\w*",
        r"geholpen",
        r"behulpza\w*",
        r"neemt op",
        r"opgenomen",
    ),
    "prijs": (
        r"prijs\w*",
        r"duur\b",
        r"goedkoop\w*",
        r"korting\w*",
        r"verzendkosten",
        r"betaalbaar",
    ),
    "verpakking": (r"verpak\w*", r"doos\b", r"dozen", r"plastic", r"piepschuim", r"ingepakt"),
    "website en bestellen": (
        r"website",
        r"webshop",
        r"bestelproces",
        r"afreken\w*",
        r"ideal",
        r"account",
        r"winkelmand\w*",
        r"bestellen ging",
    ),
}

_PATTERNS = {
    aspect: re.compile(r"\b(?:" + "|".join(words) + ")", re.IGNORECASE)
    for aspect, words in ASPECTS.items()
}


def find_aspects(text: str) -> dict[str, list[str]]:
    """Each aspect the text mentions, with the words that triggered it (at most five each)."""
    found: dict[str, list[str]] = {}
    for aspect, pattern in _PATTERNS.items():
        hits = list(dict.fromkeys(match.group(0).lower() for match in pattern.finditer(text)))
        if hits:
            found[aspect] = hits[:5]
    return found
