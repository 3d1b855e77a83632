"""The tone check's tables: per rule, the Dutch phrasings a reply may not use, with reasons."""

from __future__ import annotations

import re
from dataclasses import dataclass

from drafts.workdays import MONTHS, WEEKDAYS


@dataclass(frozen=True, slots=True)
class Pattern:
    """One phrasing a rule blocks. ``reason`` is Dutch and holds ``{excerpt}``; ``unless`` is
    searched in the sentence around a match and makes the match fine when it is found there."""

    rule: str
    name: str
    regex: re.Pattern[str]
    reason: str
    unless: re.Pattern[str] | None = None


def _i(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


# Building blocks, written for both registers ("u" and "je").
YOU = r"(?:u|je|jij|jou)"
YOUR = r"(?:uw|je|jouw)"
WE = r"(?:we|wij|ik)"
# "kijken ernaar", "kijk er even naar": looking into something (not "kijken ernaar uit").
LOOK_AT = r"(?:kijken|kijk)\s+(?:(?:even|nog|er|hier|daar|morgen)\s+)*(?:er|hier|daar)?\s*naar"
GAP = r"(?:[\w'’-]+\s+)"  # one word and the space after it, for "{0,3}?" windows
CLAUSE = r"[^.!?;\n]"  # any character that stays inside the clause
NOUN_REVIEW = (
    r"(?:google[- ]?|trustpilot[- ]?|kiyoh[- ]?)?(?:reviews?|recensies?|beoordelingen|beoordeling"
    r"|sterren|ster|waarderingen|waardering|rating|score|cijfer)"
)
CHANGE = (
    r"(?:verwijder\w*|aan\s*(?:te\s+)?pas\w*|aangepast|bij\s*(?:te\s+)?stell?\w*|bijgesteld"
    r"|in\s*(?:te\s+)?trek\w*|ingetrokken|wijzig\w*|gewijzigd|weg\s*(?:te\s+)?hal\w*|weggehaald"
    r"|offline|herzie\w*|verhog\w*|verander\w*|omhoog|heroverweg\w*|updat\w*"
    r"|aan\s*(?:te\s+)?vull\w*)"
)
THIRD_PARTY = (
    r"(?:postnl|dhl|dpd|gls|ups|tnt|fedex|budbee|homerr|vervoerders?|bezorgers?|koeriers?"
    r"|pakketdienst|postbode|bezorgdienst|transporteur|collega'?s?|medewerkers?|stagiair\w*"
    r"|magazijn\w*|leveranciers?|fabrikant|groothandel|producent|importeur|(?:het|ons)\s+systeem"
    r"|de\s+techniek|software|server|betaalprovider|de\s+bank)"
)
FAULT = (
    r"(?:schuld|fout|fouten|steken\s+laten\s+vallen|steek\s+laten\s+vallen|misgegaan|mis\s+gegaan"
    r"|misging|fout\s*gegaan|verprutst|te\s+wijten|door\s+toedoen|verantwoordelijk)"
)
NOT_OURS = r"(?<!onze\s)(?<!mijn\s)(?<!eigen\s)"
_WEEKDAY = "|".join(WEEKDAYS)
_MONTH = "|".join(MONTHS) + "|jan|feb|mrt|apr|jun|jul|aug|sept|sep|okt|nov|dec"
NUMBER_WORD = r"(?:\d{1,3}|een|één|twee|drie|vier|vijf|zes|zeven|acht|negen|tien|veertien)"

# A concrete moment in the same sentence turns a vague promise into a real one; a day the text
# refers back to ("uw bestelling van 20 november") is no moment.
MOMENT = _i(
    r"(?<!van\s)(?<!sinds\s)(?:"
    rf"\b(?:{_WEEKDAY})(?:ochtend|middag|avond)?\b"
    rf"|\b\d{{1,2}}\s+(?:{_MONTH})\b"
    r"|\b(?:0?[1-9]|[12]\d|3[01])[-/](?:0?[1-9]|1[0-2])\b"
    r"|\b(?:vandaag|morgen\w*|overmorgen|vanmiddag|vanavond|vanochtend|vanmorgen|vannacht)\b"
    rf"|\bbinnen\s+{NUMBER_WORD}\s+(?:werkdagen|werkdag|dagen|dag|uur|uren|weken|week|kwartier)\b"
    r"|\b(?:[01]?\d|2[0-3])[.:][0-5]\d\s*(?:uur|u)\b"
    r"|\b(?:om|voor|vóór|na|tot|uiterlijk)\s+(?:[01]?\d|2[0-3])(?:[.:][0-5]\d)?\s*uur\b)"
)
# "Wilt u ... zo snel mogelijk", "u wilt uw pan natuurlijk zo snel mogelijk": the customer's wish.
CUSTOMERS_WISH = _i(
    rf"\b(?:wilt|wil|wilde|kunt|kun|hoopt|hoopte)\s+{YOU}\b"
    rf"|\b{YOU}\s+{GAP}{{0,6}}?(?:wilt|wil|wilde|wou|hoopt|hoopte|verwacht|verwachtte|rekende)\b"
)
MOMENT_OR_WISH = _i(f"{MOMENT.pattern}|{CUSTOMERS_WISH.pattern}")

REPROACH = 'Verwijt aan de klant ("{excerpt}"): een antwoord legt de schuld nooit bij de klant.'
LECTURE = (
    'Belerende toon ("{excerpt}"): leg het beleid vriendelijk uit in plaats van de klant terecht '
    "te wijzen."
)
SHIFT = (
    'Schuld afgeschoven ("{excerpt}"): geef een fout ruiterlijk toe en schuif die niet af op een '
    "vervoerder, collega, leverancier of de techniek."
)
EGO = (
    'Geïrriteerde of hooghartige toon ("{excerpt}"): blijf rustig en zakelijk, hoe de klant ook '
    "schrijft."
)
SARCASM = 'Sarcasme ("{excerpt}"): dat komt spottend over; schrijf vriendelijk en serieus.'
SCARE_QUOTES = (
    'Aanhalingstekens rond een woord van de klant ("{excerpt}"): dat komt spottend over en neemt '
    "de klacht niet serieus."
)
VAGUE = (
    'Vage belofte ("{excerpt}"): noem in dezelfde zin een concreet moment, zoals "uiterlijk '
    'donderdag 28 november" of "binnen 2 werkdagen".'
)
REVIEW_CHANGE = (
    'Verzoek over de review ("{excerpt}"): vraag nooit om een review aan te passen of te '
    "verwijderen; help de klant zonder voorwaarden."
)
REVIEW_REWARD = (
    'Vergoeding gekoppeld aan de review ("{excerpt}"): een compensatie mag nooit afhangen van '
    "wat de klant met de review doet."
)
SHOUT_CAPS = (
    'Woorden in hoofdletters ("{excerpt}"): dat leest als schreeuwen; schrijf in gewone letters.'
)
SHOUT_MARKS = (
    'Te veel uitroeptekens ("{excerpt}"): dat leest als schreeuwen; gebruik er hooguit één of twee.'
)
SHOUT_COUNT = (
    'Meer dan twee uitroeptekens in één antwoord ("{excerpt}"): dat leest als schreeuwen; '
    "gebruik er hooguit één of twee."
)
SHOUT_INDIGNANT = (
    'Vraag- en uitroepteken samen ("{excerpt}"): dat leest als verontwaardigd schreeuwen; stel '
    "een gewone vraag."
)


def _personal(kind: str) -> str:
    return (
        f'Persoonsgegevens in een openbare reactie ({kind} "{{excerpt}}"): die horen niet online; '
        "handel details af per mail of telefoon."
    )


def _table(
    rule: str, reason: str, *named: tuple[str, str], unless: re.Pattern[str] | None = None
) -> tuple[Pattern, ...]:
    """Patterns of one rule that share a reason: (name, regular expression) pairs."""
    return tuple(Pattern(rule, name, _i(regex), reason, unless) for name, regex in named)


BLAME = (
    *_table(
        "blame",
        REPROACH,
        ("you_should_have", rf"(?<!ik\s)(?<!we\s)(?<!wij\s)\b(?:{YOU}\s+had(?:den)?|had\s+{YOU})"
         rf"\s+{GAP}{{0,5}}?(?:moeten|kunnen)\b(?!\s+(?:krijgen|ontvangen|hebben|horen|zijn|worden"
         r"|kunnen|rekenen|verwachten|ervaren)\b)"),
        ("if_only_you", rf"(?<!ik\s)(?<!we\s)(?<!wij\s)\bhad\s+{YOU}\s+{GAP}{{0,5}}?maar\b"),
        ("if_you_had_read", rf"\b(?:als|had)\s+{YOU}\s+{GAP}{{0,5}}?(?:had\s+)?(?:gelezen|bekeken"
         r"|gecontroleerd|opgelet|opgemeten|gemeten)\b"),
        ("own_fault", rf"\beigen\s+schuld\b|(?<!niet\s)(?<!geen\s)\b{YOUR}\s+(?:eigen\s+)?"
         r"(?:schuld|fout|vergissing)\b"),
        ("lies_with_you", rf"\b(?:dat|dit|het|de\s+fout|het\s+probleem|de\s+oorzaak|de\s+schuld)"
         rf"\s+ligt\s+(?:(?!niet\b)\w+\s+){{0,2}}?(?:aan|bij)\s+(?:{YOU}|uzelf|jezelf)\b"),
        ("you_yourself", rf"\b{YOU}\s+(?:heeft|hebt|had|koos|bestelde|gaf|vulde)\s+{GAP}{{0,2}}?"
         rf"zelf\b(?!\s+al\b)|\b{YOU}\s+zelf\s+{GAP}{{0,4}}?(?:besteld|bestelde|gekozen|koos"
         r"|aangevinkt|ingevuld|opgegeven)\b"),
        ("serves_you_right", r"\bdat\s+krijg\s+je\s+(?:ervan|als|nou|dus)\b"),
        ("you_did_it_wrong", rf"\b{YOU}\s+(?:heeft|hebt|had)\s+{GAP}{{0,3}}?(?:niet\s+goed\s+"
         r"(?:gelezen|gekeken|opgelet)|verkeerd\w*\s+(?:\w+\s+)?(?:besteld|ingevuld|gekozen"
         r"|opgegeven|gebruikt))"),
    ),
    *_table(
        "blame",
        LECTURE,
        ("as_the_terms_say", r"\bzoals\s+(?:\w+\s+){0,3}?(?:in|op)\s+(?:de|onze|ons)\s+"
         r"(?:algemene\s+)?(?:voorwaarden|retourvoorwaarden|website|site|webshop|faq|retourbeleid"
         r"|beschrijving|productbeschrijving|productpagina|maattabel)\b(?:\s+(?:staat|stond|vermeld"
         r"|beschreven|aangegeven|te\s+lezen)\b)?"),
        ("as_clearly_stated", r"\bzoals\s+(?:heel\s+|ook\s+)?duidelijk\s+(?:\w+\s+){0,2}?"
         r"(?:vermeld|aangegeven|beschreven|staat)\b"),
        ("read_the_terms", r"\b(?:lees|leest)\b(?!\s+(?:gerust|hier|meer))\s+(?:\w+\s+){0,3}?"
         r"(?:voorwaarden|handleiding|beschrijving|productbeschrijving|faq|maattabel|website)\b"
         r"|\bkleine\s+lettertjes\b"),
        ("surely_clear", r"\b(?:dat|dit|het)\s+(?:staat|stond|is|was)\s+(?:er\s+)?toch\s+"
         r"(?:\w+\s+)?(?:duidelijk|vermeld|aangegeven)\b|\b(?:dat|dit)\s+(?:weet|wist)\s+(?:u|je)"
         r"\s+toch\b"),
    ),
    *_table(
        "blame",
        SHIFT,
        ("lies_with_others", rf"\b(?:dat|dit|het|de\s+fout|het\s+probleem|de\s+oorzaak|de\s+"
         rf"vertraging|de\s+schade)\s+(?:ligt|lag)\s+{GAP}{{0,2}}?(?:bij|aan)\s+(?:de\s+|het\s+|"
         rf"onze\s+)?{THIRD_PARTY}\b"),
        ("caused_by_others", rf"\b(?:komt|kwam|kwamen|komen)\s+(?:\w+\s+){{0,2}}?door\s+{CLAUSE}"
         rf"{{0,25}}?\b{THIRD_PARTY}\b|\bveroorzaakt\s+door\s+{CLAUSE}{{0,20}}?\b{THIRD_PARTY}\b"),
        ("not_our_fault", r"\bniet\s+(?:\w+\s+){0,2}?(?:onze|mijn)\s+(?:schuld|fout|"
         r"verantwoordelijkheid)\b|\bbuiten\s+onze\s+schuld\b|\b(?:ligt|lag)\s+niet\s+(?:aan|bij)"
         r"\s+(?:ons|mij)\b|\b(?:wij|we)\s+zijn\s+(?:\w+\s+)?niet\s+verantwoordelijk\b"),
        ("nothing_we_can_do", r"\b(?:daar|hier|wij|we|ik)\s+(?:\w+\s+){0,2}?(?:kunnen|kan)\s+"
         r"(?:\w+\s+){0,2}?(?:niets|niks)\s+aan\s+(?:doen|veranderen)\b"
         r"|\bgeen\s+invloed\s+op\b"),
        ("the_technology", r"\bde\s+techniek\b|\b(?:storing|storingen|systeemfout|computerfout"
         r"|bug)\b(?:\s+(?:in|met|bij|van)\s+(?:het|ons|onze|de)\s+\w+)?"
         r"|\bfout\s+in\s+(?:het|ons|onze)\s+(?:systeem|software|website)\b"
         r"|\b(?:het|ons)\s+(?:systeem|computersysteem)\s+(?:heeft|had|gaf|deed|liet|maakte)\b"),
        ("fault_of_others", rf"{NOT_OURS}\b{FAULT}\b{CLAUSE}{{0,25}}?\b{THIRD_PARTY}\b"),
        ("others_at_fault", rf"\b{THIRD_PARTY}\b{CLAUSE}{{0,40}}?{NOT_OURS}\b{FAULT}\b"),
    ),
)  # fmt: skip

EGO_PATTERNS = _table(
    "ego",
    EGO,
    ("insult", r"\b(?:kinderachtig\w*|belachelijk\w*(?!\s+(?:lang|laat)\b)|onzin\w*"
     r"|absurd(?:e|er)?\b(?!\s+(?:lang|laat)\b)|bespottelijk\w*|lachwekkend\w*|idioot\w*"
     r"|(?:ge)?zeur\w*|hysterisch\w*)"),
    ("you_dont_get_it", rf"\b{YOU}\s+(?:snapt|begrijpt|snap|begrijp)\s+(?:het|er)\s+"
     rf"(?:\w+\s+){{0,2}}?niet\b|\b(?:snapt|begrijpt|snap|begrijp)\s+{YOU}\s+(?:het|dat)\s+"
     r"(?:\w+\s+){0,2}?niet\b"),
    ("as_said_before", r"\bzoals\s+(?:(?:ik|we|wij|u|je|jou)\s+){0,2}(?:(?:al|reeds|eerder"
     r"|nogmaals|meermaals|herhaaldelijk|vaker|eens)\s+)+(?:\w+\s+)?(?:gezegd|zei|zeiden|schreef"
     r"|schreven|geschreven|gemeld|vermeld|uitgelegd|verteld|gemaild|aangegeven)\b"
     r"|\bzoals\s+gezegd\b"),
    ("again", r"\bnogmaals\b(?![\s,:]+(?:onze|mijn|hartelijk|heel|veel|bedankt|dank|excuses|sorry"
     r"|welkom|gefeliciteerd|van\s+harte|succes|plezier)\b)|\bik\s+herhaal\b"
     r"|\bvoor\s+de\s+(?:zoveelste|laatste|tweede|derde)\s+keer\b"),
    ("our_experience", r"\b(?:wij|we)\s+(?:zijn|bestaan|doen\s+dit|werken|verkopen)\s+"
     r"(?:\w+\s+){0,2}?(?:al|ruim|meer\s+dan|inmiddels)\s+(?:\d+|tien|twintig|dertig|veertig"
     r"|vijftien|\w+tig)\s+jaar\b"),
    ("we_never_fail", r"\b(?:wij|we)\s+maken\s+(?:nooit|geen)\s+fouten\b|\bnog\s+nooit\s+"
     r"(?:\w+\s+){0,3}?(?:klachten|klacht|gebeurd|meegemaakt|voorgekomen)\b"
     rf"|\b{YOU}\s+(?:bent|was)\s+(?:echt\s+)?de\s+(?:enige|eerste)\b"
     r"|\b(?:alle\s+)?andere\s+klanten\s+(?:zijn|waren|hebben|hadden)\s+(?:\w+\s+){0,2}?"
     r"(?:wel|nooit|geen)\b"),
    ("unbelievable_that_you", rf"\bongelo+fe?lijk\s+dat\s+{YOU}\b|\b(?:ik|wij|we)\s+(?:snap|snappen"
     rf"|begrijp|begrijpen)\s+(?:echt\s+)?niet\s+(?:waarom|hoe|dat)\s+{YOU}\b"),
    ("your_complaint_is", rf"\b{YOUR}\s+(?:reactie|review|klacht|recensie|verhaal|mail|toon)\s+"
     r"(?:is|vinden\s+wij|vind\s+ik)\s+(?:\w+\s+){0,2}?(?:overdreven|onterecht|ongepast"
     r"|onredelijk|onbeschoft|niet\s+terecht)\b"),
)  # fmt: skip

SARCASM_PATTERNS = (
    *_table(
        "sarcasm",
        SARCASM,
        ("laughing", r"\b(?:ha){2,}h?\b|\bhihi\b|(?<!veel\s)\blol\b(?!\s+(?:ermee|mee|van|aan"
         r"|gehad|beleven|hebben)\b)"),
        ("winking", r";-?\)|;-?p\b|[😉🙄😏😒🤭]"),
        ("sighing", r"\bnou[\s,]*nou\b|\btja\b|\bja[\s,]*ja\b|\bzucht\b|\bpff+\b|\bgoh\b"),
        ("so_called", r"\bzogenaamd\w*|\bzgn\."),
        ("apparently_you", rf"\bblijkbaar\s+(?:\w+\s+){{0,2}}?{YOU}\b|\b{YOU}\s+(?:\w+\s+){{0,2}}?"
         r"blijkbaar\b"),
        ("mock_phrases", r"\bwat\s+een\s+verrassing\b|\bsucces\s+(?:er|daar)mee\b"
         r"|\b(?:knap|sterk|slim)\s+hoor\b"),
    ),
    Pattern(
        "sarcasm",
        "scare_quotes",
        re.compile(
            r"(?i:\b(?:uw|je|jouw|die|deze|dat|de|het|een|dit|zo'n))\s+[\"“„'‘]\s?[a-zà-ÿ][\w-]*"
            r"(?:\s+[\w-]+){0,2}\s?[\"”'’](?!\w)"
        ),
        SCARE_QUOTES,
    ),
)  # fmt: skip

VAGUE_PATTERNS = (
    *_table(
        "vague_promise",
        VAGUE,
        ("come_back_to_it", r"\b(?:kom|komen|komt)\s+(?:(?:we|wij|ik)\s+)?(?:er|hier|daar)\s*"
         rf"{GAP}{{0,5}}?op\s+terug\b|\b(?:kom|komen|komt)\s+{GAP}{{0,4}}?bij\s+{YOU}\s+terug\b"),
        ("investigate", r"\bonderzoek\s+(?:in\s*(?:te\s+)?stell\w*|starten|opstarten|doen)\b"
         r"|\bstellen\s+(?:een\s+)?(?:\w+\s+)?onderzoek\s+in\b"
         rf"|\b{WE}\s+{GAP}{{0,4}}?(?:onderzoeken|bekijken|bekijk|nakijken|navragen|uitzoeken"
         rf"|zoeken\s+{GAP}{{0,4}}?uit|zoek\s+{GAP}{{0,4}}?uit|{LOOK_AT})\b(?!\s+uit\b)"
         r"|\b(?:zoeken|kijken|bekijken|onderzoeken)\s+(?:we|wij)\b"),
        ("well_be_in_touch", rf"\b(?:{WE}|collega|medewerker|iemand)\s+{GAP}{{0,2}}?"
         rf"(?:nemen|neemt|neem)\s+{GAP}{{0,4}}?contact\s+met\s+{YOU}\s+op\b"
         rf"|\bnemen\s+(?:we|wij)\s+{GAP}{{0,4}}?contact\s+met\s+{YOU}\s+op\b"
         rf"|\b(?:u|je|jij)\s+hoort\s+{GAP}{{0,4}}?van\s+ons\b"
         rf"|\bhoort\s+(?:u|je)\s+{GAP}{{0,4}}?van\s+ons\b"
         rf"|\b(?:{WE}|en)\s+(?:laten|laat)\s+(?:het\s+)?{YOU}\s+{GAP}{{0,5}}?weten\b"
         rf"|\b(?:{WE}|en)\s+(?:houden|hou|houd)\s+{YOU}\s+{GAP}{{0,2}}?op\s+de\s+hoogte\b"
         rf"|\b(?:{WE}|en)\s+(?:bellen|bel)\s+{YOU}\s+(?:\w+\s+)?terug\b"),
        ("in_progress", r"\bin\s+behandeling\b|\bop\s+(?:korte\s+)?termijn\b|\bte\s+zijner\s+tijd\b"
         r"|\been\s+dezer\s+dagen\b"),
        ("soon", r"(?<!tot\s)\bbinnenkort\b(?!\s+(?:weer|opnieuw)\s+(?:\w+\s+){0,2}?"
         r"(?:zien|begroeten|helpen|verwelkomen|spreken))"),
        unless=MOMENT,
    ),
    *_table(
        "vague_promise",
        VAGUE,
        ("asap", r"\bzo\s+(?:snel|spoedig|vlug|gauw)\s+(?:mogelijk|als\s+(?:we|wij|ik)\s+kunnen)\b"
         r"|\bz\.s\.m\.?|\bzsm\b|\basap\b|\bspoedig\b"),
        unless=MOMENT_OR_WISH,
    ),
)  # fmt: skip

_ASKING = (
    rf"\b(?:(?:wilt|wil|zou|zoudt|kunt|kun|kan|mag|mocht|wilde)\s+{YOU}|(?:vragen|verzoeken"
    rf"|vraag|verzoek)\s+{YOU}\b(?!\s+niet)|(?:als|indien|zodra|wanneer|mits|nadat)\s+{YOU}"
    r"|graag)\b"
)
REVIEW_PATTERNS = (
    *_table(
        "review_request",
        REVIEW_CHANGE,
        ("ask_to_change", rf"{_ASKING}{CLAUSE}{{0,60}}?\b{NOUN_REVIEW}\b{CLAUSE}{{0,40}}?"
         rf"\b{CHANGE}"),
        ("change_of_review", rf"\b(?:verwijdering|aanpassing|wijziging|intrekking|verwijderen"
         rf"|aanpassen|bijstellen|intrekken|wijzigen|offline\s+halen)\s+van\s+(?:{YOUR}|de|deze"
         rf"|die)\s+(?:\w+\s+)?{NOUN_REVIEW}\b"),
        ("bare_infinitive", rf"\b{YOUR}\s+(?:\w+\s+)?{NOUN_REVIEW}\s+(?:(?!niet\b|nooit\b)"
         r"\w+\s+){0,2}?(?:verwijderen|aanpassen|bijstellen|intrekken|wijzigen|weghalen"
         r"|offline\s+halen|herzien)\b"),
        ("better_review", rf"\b(?:geef|geeft|schrijf|schrijft|plaats|plaatst|zou)\s+"
         rf"(?:{YOU}\s+)?(?:ons\s+)?(?:een\s+)?(?:positieve|goede|betere|hogere|5[- ]?sterren"
         rf"|vijf[- ]?sterren)\s+{NOUN_REVIEW}\b"),
        ("imperative", rf"\b(?:verwijder|verwijdert)\s+(?:{YOU}\s+)?(?:{YOUR}|de|die|deze)\s+"
         rf"(?:\w+\s+)?{NOUN_REVIEW}\b|\b(?:pas|past|haal|haalt|trek|trekt|stel|stelt|zet)\s+"
         rf"(?:{YOU}\s+)?(?:{YOUR}|de|die|deze)\s+(?:\w+\s+)?{NOUN_REVIEW}\b(?:\s+\w+){{0,3}}?\s+"
         r"(?:aan|weg|offline|in|bij|omhoog)\b"),
    ),
    *_table(
        "review_request",
        REVIEW_REWARD,
        ("in_exchange", rf"\bin\s+ruil\s+voor\s+{CLAUSE}{{0,40}}?\b{NOUN_REVIEW}\b"
         rf"|\bvoor\s+(?:een\s+)?(?:positieve|goede|betere|hogere|gunstige|aangepaste|5[- ]?sterren"
         rf"|vijf[- ]?sterren)\s+{NOUN_REVIEW}\b"),
        ("reward_if_review", rf"\b(?:korting\w*|tegoed|cadeau\w*|vergoeding|compensatie"
         rf"|terugbetaling|geld\s+terug|gratis)\b{CLAUSE}{{0,80}}?\b(?:als|zodra|wanneer|indien"
         rf"|mits|na|nadat|voor)\b{CLAUSE}{{0,60}}?\b{NOUN_REVIEW}\b"
         rf"|\b(?:als|zodra|wanneer|indien|mits|nadat)\s+{YOU}\b{CLAUSE}{{0,60}}?\b{NOUN_REVIEW}\b"
         rf"{CLAUSE}{{0,80}}?\b(?:korting\w*|tegoed|cadeau\w*|vergoeding|compensatie|terugbetaling"
         r"|geld\s+terug|gratis)\b"),
    ),
)  # fmt: skip

SHOUT_PATTERNS = (
    Pattern(
        "shouting", "interrobang", re.compile(r"(?<![?!])[?!]*(?:\?!|!\?)[?!]*"), SHOUT_INDIGNANT
    ),
    Pattern("shouting", "exclamations", re.compile(r"!{2,}"), SHOUT_MARKS),
)
# Capitals that are names, not shouting: carriers, payment, tax and company words.
ACRONYMS = frozenset({
    "DHL", "UPS", "GLS", "DPD", "TNT", "NL", "BE", "EU", "BTW", "IBAN", "KVK", "FAQ", "POSTNL",
    "IDEAL", "AVG", "GDPR", "PDF", "USB", "LED", "XL", "XXL", "XS", "OK", "BV", "NV", "VOF", "SMS",
    "URL", "WWW", "HTML", "CEO", "ABN", "AMRO", "ING", "RVS", "PVC", "DIY", "NS", "ANWB", "KPN",
    "SEPA", "EUR", "CET", "HDMI", "UV", "TV", "NB", "SNS", "ASN", "RABO", "BUNQ",
})  # fmt: skip

PERSONAL_DATA = (
    Pattern("personal_data", "email", _i(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+"),
            _personal("e-mailadres")),
    Pattern("personal_data", "iban", re.compile(r"\b[A-Z]{2}\d{2}\s?[A-Z]{4}(?:\s?\d{2,4}){2,4}\b"),
            _personal("rekeningnummer")),
    Pattern("personal_data", "phone", re.compile(r"(?<![\w+])(?:(?:\+|00)31[\s-]?"
            r"(?:\(0\)[\s-]?)?|0)[1-9](?:[\s-]?\d){8}(?!\d)"), _personal("telefoonnummer")),
    Pattern("personal_data", "order_number", _i(r"\b(?:bestel(?:ling|nummer|nr)|order(?:nummer|nr)?"
            r"|factuur(?:nummer|nr)?|klantnummer|klantnr|referentie(?:nummer)?|dossiernummer"
            r"|zendingnummer|retournummer|pakketnummer|ticketnummer|track(?:ing)?(?:code|nummer)?"
            r"|track\s*(?:&|en|and)\s*trace(?:code)?)\.?\s*(?::\s*|#\s*)?(?=[\w-]*\d)"
            r"[a-z0-9][\w-]{2,}"
            r"|#\d{4,}\b"), _personal("bestel- of klantnummer")),
    Pattern("personal_data", "street_address", _i(r"\b[\w'-]*(?:straat|laan|weg|plein|gracht"
            r"|kade|singel|dijk|steeg|hof|pad|dreef|baan)(?:\s+(?:van|de|der|den|het|'t|op|ter|ten"
            r"|aan|bij|in|over)(?:\s+(?:de|der|den|het|'t))?\s+[\w'-]+)?\s+\d{1,4}"
            r"(?:\s?[a-z](?!\w)|-\d{1,3})?(?![\d,.]?\d)(?!\s*(?:%|(?:jaar|dagen|dag|werkdagen|weken"
            r"|week|keer|uur|minuten|stuks|euro|cm|mm|kg|liter)\b))"), _personal("adres")),
    Pattern("personal_data", "postcode", re.compile(r"\b[1-9]\d{3}\s?(?!SA|SD|SS)[A-Z]{2}\b"),
            _personal("postcode")),
    Pattern("personal_data", "long_number", re.compile(r"(?<![\d.,€])(?<!€\s)\d{6,}(?![\d,])"),
            _personal("lang nummer, zoals een bestel- of klantnummer")),
)  # fmt: skip

PATTERNS: tuple[Pattern, ...] = (
    *BLAME,
    *EGO_PATTERNS,
    *SARCASM_PATTERNS,
    *SHOUT_PATTERNS,
    *VAGUE_PATTERNS,
    *REVIEW_PATTERNS,
)
