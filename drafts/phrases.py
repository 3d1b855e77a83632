"""The phrasings a draft is made of, each as a pair: the "u" form and the "je" form. Every element
has a few, chosen per review, so drafts for different reviews differ but each is reproducible."""

from __future__ import annotations

Phrase = tuple[str, str]
Options = tuple[Phrase, ...]

# ------------------------------------------------------------------ complaints

THANKS_COMPLAINT: Options = (
    ("Dank u voor uw bericht, en onze excuses voor het ongemak.",
     "Dank je voor je bericht, en onze excuses voor het ongemak."),
    ("Bedankt dat u dit laat weten. Het spijt ons dat het zo gelopen is.",
     "Bedankt dat je dit laat weten. Het spijt ons dat het zo gelopen is."),
    ("Dank u wel voor uw eerlijke reactie. Onze excuses dat het niet ging zoals het hoort.",
     "Dank je wel voor je eerlijke reactie. Onze excuses dat het niet ging zoals het hoort."),
    ("Bedankt voor uw reactie, en sorry voor de moeite die dit u kost.",
     "Bedankt voor je reactie, en sorry voor de moeite die dit je kost."),
)  # fmt: skip

# The customer's own words, taken up ("{quote}" is a clause of the review, as written).
QUOTE_COMPLAINT: Options = (
    ('U schrijft: "{quote}". Zo hoort het niet te gaan.',
     'Je schrijft: "{quote}". Zo hoort het niet te gaan.'),
    ('"{quote}": dat lezen we niet graag, en we begrijpen uw teleurstelling.',
     '"{quote}": dat lezen we niet graag, en we begrijpen je teleurstelling.'),
    ('Wat u schrijft, "{quote}", nemen we ter harte.',
     'Wat je schrijft, "{quote}", nemen we ter harte.'),
)  # fmt: skip

SYMPATHY: dict[str, Options] = {
    "beschadigd of verkeerd geleverd": (
        ("Een pakket openen en zien dat het beschadigd of verkeerd is: een flinke teleurstelling.",
         "Een pakket openen en zien dat het beschadigd of verkeerd is: een flinke teleurstelling."),
        ("Een kapotte of verkeerde bestelling: zo hoort die niet bij u aan te komen.",
         "Een kapotte of verkeerde bestelling: zo hoort die niet bij je aan te komen."),
    ),
    "retour en terugbetaling": (
        ("Op uw terugbetaling hoort u niet te hoeven wachten.",
         "Op je terugbetaling hoor je niet te hoeven wachten."),
        ("Een retour hoort soepel te gaan, en uw geld hoort snel terug te zijn.",
         "Een retour hoort soepel te gaan, en je geld hoort snel terug te zijn."),
    ),
    "productkwaliteit": (
        ("Het spijt ons dat de kwaliteit van het product niet is wat u ervan mocht verwachten.",
         "Het spijt ons dat de kwaliteit van het product niet is wat je ervan mocht verwachten."),
        ("Van een product van ons mag u goede kwaliteit verwachten.",
         "Van een product van ons mag je goede kwaliteit verwachten."),
    ),
    "klantenservice en bereikbaarheid": (
        ("Dat u onze klantenservice niet goed kon bereiken, is niet onze bedoeling.",
         "Dat je onze klantenservice niet goed kon bereiken, is niet onze bedoeling."),
        ("We hadden u veel sneller moeten antwoorden.",
         "We hadden je veel sneller moeten antwoorden."),
    ),
    "levering en bezorgtijd": (
        ("Lang wachten op de levering van een bestelling is vervelend, zeker als u erop rekent.",
         "Lang wachten op de levering van een bestelling is vervelend, zeker als je erop rekent."),
        ("Dat de bezorging van uw bestelling langer duurt dan beloofd, had niet mogen gebeuren.",
         "Dat de bezorging van je bestelling langer duurt dan beloofd, had niet mogen gebeuren."),
    ),
    "verpakking": (
        ("Een goede verpakking hoort erbij; vervelend dat die nu tekortschoot.",
         "Een goede verpakking hoort erbij; vervelend dat die nu tekortschoot."),
        ("We begrijpen dat de verpakking u tegenviel.",
         "We begrijpen dat de verpakking je tegenviel."),
    ),
    "prijs": (
        ("We begrijpen dat u bij deze prijs meer mocht verwachten.",
         "We begrijpen dat je bij deze prijs meer mocht verwachten."),
        ("Voor uw geld hoort u waar te krijgen, en dat was nu niet zo.",
         "Voor je geld hoor je waar te krijgen, en dat was nu niet zo."),
    ),
    "website en bestellen": (
        ("Bestellen op onze website hoort eenvoudig te zijn, en dat was het voor u niet.",
         "Bestellen op onze website hoort eenvoudig te zijn, en dat was het voor jou niet."),
        ("Dat het bestellen in onze webshop niet soepel ging, is vervelend.",
         "Dat het bestellen in onze webshop niet soepel ging, is vervelend."),
    ),
}  # fmt: skip
SYMPATHY_GENERAL: Options = (
    ("We begrijpen dat dit vervelend is, en we nemen het serieus.",
     "We begrijpen dat dit vervelend is, en we nemen het serieus."),
    ("Dit is niet de ervaring die we u willen geven.",
     "Dit is niet de ervaring die we je willen geven."),
    ("We begrijpen uw teleurstelling goed.", "We begrijpen je teleurstelling goed."),
)  # fmt: skip

# The plain admission, where the fault is by nature the shop's (it packed, sent, answered).
ADMIT: Options = (
    ("Dat is onze fout.", "Dat is onze fout."),
    ("Dat ligt bij ons.", "Dat ligt bij ons."),
    ("Daar zijn wij verantwoordelijk voor.", "Daar zijn wij verantwoordelijk voor."),
)  # fmt: skip

# The next step, dated: {date} is a follow-up in working days, {refund} the refund date.
NEXT_STEP: dict[str, Options] = {
    "beschadigd of verkeerd geleverd": (
        ("Uiterlijk {date} laten we u weten wanneer de vervanging bij u is.",
         "Uiterlijk {date} laten we je weten wanneer de vervanging bij je is."),
    ),
    "retour en terugbetaling": (
        ("We zoeken uw terugbetaling vandaag uit en zorgen dat het bedrag uiterlijk {refund} op "
         "uw rekening staat.",
         "We zoeken je terugbetaling vandaag uit en zorgen dat het bedrag uiterlijk {refund} op "
         "je rekening staat."),
    ),
    "levering en bezorgtijd": (
        ("We zoeken direct uit waar uw bestelling is en laten u uiterlijk {date} weten wanneer u "
         "hem ontvangt.",
         "We zoeken direct uit waar je bestelling is en laten je uiterlijk {date} weten wanneer "
         "je hem ontvangt."),
        ("We gaan vandaag na waar de levering vastliep; uiterlijk {date} hoort u wanneer uw "
         "bestelling er is.",
         "We gaan vandaag na waar de levering vastliep; uiterlijk {date} hoor je wanneer je "
         "bestelling er is."),
    ),
    "productkwaliteit": (
        ("We bekijken wat er met het product aan de hand is en laten u uiterlijk {date} weten "
         "hoe we het oplossen.",
         "We bekijken wat er met het product aan de hand is en laten je uiterlijk {date} weten "
         "hoe we het oplossen."),
    ),
    "klantenservice en bereikbaarheid": (
        ("Uiterlijk {date} hoort u persoonlijk van ons hoe we het oplossen.",
         "Uiterlijk {date} hoor je persoonlijk van ons hoe we het oplossen."),
    ),
    "verpakking": (
        ("We bespreken de verpakking met ons team en laten u uiterlijk {date} weten wat we "
         "aanpassen.",
         "We bespreken de verpakking met ons team en laten je uiterlijk {date} weten wat we "
         "aanpassen."),
    ),
    "prijs": (
        ("We kijken naar uw bestelling en laten u uiterlijk {date} weten wat we voor u kunnen "
         "doen.",
         "We kijken naar je bestelling en laten je uiterlijk {date} weten wat we voor je kunnen "
         "doen."),
    ),
    "website en bestellen": (
        ("We zoeken uit wat er bij het bestellen misging en laten u uiterlijk {date} weten hoe "
         "we het oplossen.",
         "We zoeken uit wat er bij het bestellen misging en laten je uiterlijk {date} weten hoe "
         "we het oplossen."),
    ),
}  # fmt: skip
NEXT_STEP_GENERAL: Options = (
    ("We zoeken het uit en laten u uiterlijk {date} weten hoe we het oplossen.",
     "We zoeken het uit en laten je uiterlijk {date} weten hoe we het oplossen."),
    ("Uiterlijk {date} hoort u van ons hoe we dit voor u goedmaken.",
     "Uiterlijk {date} hoor je van ons hoe we dit voor je goedmaken."),
)  # fmt: skip

REMEDY: dict[str, Phrase] = {
    "replacement": (
        "We sturen u kosteloos een nieuw exemplaar, of betalen het bedrag terug als u dat liever "
        "heeft.",
        "We sturen je kosteloos een nieuw exemplaar, of betalen het bedrag terug als je dat "
        "liever hebt.",
    ),
    "free_return": (
        "Terugsturen is voor onze rekening: u krijgt van ons een gratis retourlabel.",
        "Terugsturen is voor onze rekening: je krijgt van ons een gratis retourlabel.",
    ),
    "refund": (
        "Het volledige bedrag staat uiterlijk {refund} op uw rekening.",
        "Het volledige bedrag staat uiterlijk {refund} op je rekening.",
    ),
}
SORRY_CODE: Options = (
    ("Als dank voor uw geduld krijgt u van ons de kortingscode {code}: {percent}% korting op uw "
     "volgende bestelling{expires}.",
     "Als dank voor je geduld krijg je van ons de kortingscode {code}: {percent}% korting op je "
     "volgende bestelling{expires}."),
    ("Om het goed te maken, krijgt u de code {code}, als dank voor uw geduld: {percent}% korting "
     "op uw volgende bestelling{expires}.",
     "Om het goed te maken, krijg je de code {code}, als dank voor je geduld: {percent}% korting "
     "op je volgende bestelling{expires}."),
)  # fmt: skip
PRIVATE: Options = (
    ("Wilt u ons uw bestelnummer mailen via {email}? Dan handelen we het verder persoonlijk met "
     "u af.",
     "Wil je ons je bestelnummer mailen via {email}? Dan handelen we het verder persoonlijk met "
     "je af."),
    ("Mail ons gerust uw bestelnummer via {email}, dan regelen we de rest persoonlijk.",
     "Mail ons gerust je bestelnummer via {email}, dan regelen we de rest persoonlijk."),
)  # fmt: skip

# ------------------------------------------------------------------ compliments

# What the customer praised, per aspect, finishing "Fijn dat ...".
PRAISE: dict[str, Phrase] = {
    "klantenservice en bereikbaarheid": (
        "onze klantenservice u goed geholpen heeft", "onze klantenservice je goed geholpen heeft"
    ),
    "productkwaliteit": (
        "u zo tevreden bent over de kwaliteit", "je zo tevreden bent over de kwaliteit"
    ),
    "verpakking": ("alles zo goed verpakt aankwam", "alles zo goed verpakt aankwam"),
    "prijs": ("u de prijs goed vindt", "je de prijs goed vindt"),
    "website en bestellen": (
        "het bestellen op onze website zo makkelijk ging",
        "het bestellen op onze website zo makkelijk ging",
    ),
    "levering en bezorgtijd": (
        "de levering zo vlot ging", "de levering zo vlot ging"
    ),
    "retour en terugbetaling": (
        "het retourneren zo soepel ging", "het retourneren zo soepel ging"
    ),
    "beschadigd of verkeerd geleverd": (
        "we de beschadigde of verkeerde levering goed konden oplossen",
        "we de beschadigde of verkeerde levering goed konden oplossen",
    ),
}  # fmt: skip
PRAISE_GENERAL: Phrase = ("u zo tevreden bent", "je zo tevreden bent")
THANKS_COMPLIMENT: Options = (
    ("Dank u wel, wat fijn om te lezen dat {praise}!",
     "Dank je wel, wat fijn om te lezen dat {praise}!"),
    ("Dank u wel! Het doet ons goed dat {praise}.", "Dank je wel! Het doet ons goed dat {praise}."),
    ("Hartelijk dank voor uw mooie woorden. Leuk dat {praise}.",
     "Hartelijk dank voor je mooie woorden. Leuk dat {praise}."),
    ("Bedankt voor uw review! Mooi om te horen dat {praise}.",
     "Bedankt voor je review! Mooi om te horen dat {praise}."),
)  # fmt: skip
QUOTE_COMPLIMENT: Options = (
    ('Vooral "{quote}" lezen we graag.', 'Vooral "{quote}" lezen we graag.'),
    ('Uw woorden "{quote}" delen we met het hele team.',
     'Je woorden "{quote}" delen we met het hele team.'),
    ('"{quote}": daar doen we het voor.', '"{quote}": daar doen we het voor.'),
)  # fmt: skip
LOYALTY_CODE: Options = (
    ("Omdat u al vaker bij ons kwam, krijgt u speciaal als trouwe klant de code {code}: "
     "{percent}% korting op uw volgende bestelling{expires}.",
     "Omdat je al vaker bij ons kwam, krijg je speciaal als trouwe klant de code {code}: "
     "{percent}% korting op je volgende bestelling{expires}."),
)  # fmt: skip
COMPLIMENT_CLOSE: Options = (
    ("Dank u dat u de moeite neemt om dit te delen.",
     "Dank je dat je de moeite neemt om dit te delen."),
    ("We hopen u snel weer te helpen.", "We hopen je snel weer te helpen."),
    ("Tot de volgende keer!", "Tot de volgende keer!"),
)  # fmt: skip

# ------------------------------------------------------------------ mixed reviews

# What the customer was less happy about, per aspect, finishing "Over ... bent u minder te spreken".
CRITICISED: dict[str, str] = {
    "levering en bezorgtijd": "de levering",
    "beschadigd of verkeerd geleverd": "wat er beschadigd of verkeerd aankwam",
    "productkwaliteit": "de kwaliteit",
    "retour en terugbetaling": "de terugbetaling",
    "klantenservice en bereikbaarheid": "onze klantenservice",
    "prijs": "de prijs",
    "verpakking": "de verpakking",
    "website en bestellen": "het bestellen op onze website",
}
MIXED_OPENING: Options = (
    ("Dank u voor uw review. Fijn dat {praise}!", "Dank je voor je review. Fijn dat {praise}!"),
    ("Bedankt voor uw eerlijke reactie. Goed om te lezen dat {praise}.",
     "Bedankt voor je eerlijke reactie. Goed om te lezen dat {praise}."),
)  # fmt: skip
PRAISE_MIXED_GENERAL: Phrase = ("u ook goede punten noemt", "je ook goede punten noemt")
MIXED_TURN_GENERAL: Options = (
    ("Het spijt ons dat niet alles naar wens was; onze excuses daarvoor.",
     "Het spijt ons dat niet alles naar wens was; onze excuses daarvoor."),
    ("Onze excuses dat het niet helemaal was wat u verwachtte.",
     "Onze excuses dat het niet helemaal was wat je verwachtte."),
)  # fmt: skip
MIXED_TURN: Options = (
    ("Over {criticised} bent u minder te spreken, en dat begrijpen we: onze excuses daarvoor.",
     "Over {criticised} ben je minder te spreken, en dat begrijpen we: onze excuses daarvoor."),
    ("Het spijt ons dat {criticised} u tegenviel.", "Het spijt ons dat {criticised} je tegenviel."),
)  # fmt: skip

# ------------------------------------------------------------------ questions and demands

DEMAND_THANKS: Options = (
    ("Dank u voor uw bericht. Het spijt ons dat uw aankoop u niet meer bevalt.",
     "Dank je voor je bericht. Het spijt ons dat je aankoop je niet meer bevalt."),
    ("Bedankt dat u contact opneemt, en sorry dat het product u tegenvalt.",
     "Bedankt dat je contact opneemt, en sorry dat het product je tegenvalt."),
)  # fmt: skip

QUESTION_THANKS: Options = (
    ("Dank u voor uw vraag.", "Dank je voor je vraag."),
    ("Bedankt, goed dat u het even vraagt.", "Bedankt, goed dat je het even vraagt."),
)  # fmt: skip
QUESTION_PROMISE: Options = (
    ("We zoeken het voor u uit en u hoort uiterlijk {date} van ons.",
     "We zoeken het voor je uit en je hoort uiterlijk {date} van ons."),
    ("We gaan het na en sturen u uiterlijk {date} een antwoord.",
     "We gaan het na en sturen je uiterlijk {date} een antwoord."),
)  # fmt: skip
ANSWER: dict[str, Phrase] = {
    "return": (
        "Retourneren kan tot {return_days} dagen na ontvangst; mail ons via {email}, dan sturen "
        "we u binnen 24 uur een retourlabel.",
        "Retourneren kan tot {return_days} dagen na ontvangst; mail ons via {email}, dan sturen "
        "we je binnen 24 uur een retourlabel.",
    ),
    "guarantee": (
        "Op onze producten zit minimaal {guarantee} jaar garantie: bij een gebrek repareren of "
        "vervangen we het kosteloos. Mail ons via {email}, dan regelen we het binnen 24 uur.",
        "Op onze producten zit minimaal {guarantee} jaar garantie: bij een gebrek repareren of "
        "vervangen we het kosteloos. Mail ons via {email}, dan regelen we het binnen 24 uur.",
    ),
}
DEMAND_NO: Phrase = (
    "Retourneren met geld terug kan tot {return_days} dagen na ontvangst. Die termijn is "
    "voorbij, dus het aankoopbedrag kunnen we u helaas niet terugbetalen.",
    "Retourneren met geld terug kan tot {return_days} dagen na ontvangst. Die termijn is "
    "voorbij, dus het aankoopbedrag kunnen we je helaas niet terugbetalen.",
)
DEMAND_POSSIBLE_GUARANTEE: Phrase = (
    "Wat wel kan: uw aankoop valt onder de garantie van {guarantee} jaar. Bij een gebrek "
    "repareren of vervangen we het kosteloos; uiterlijk {date} hoort u van ons hoe we dat regelen.",
    "Wat wel kan: je aankoop valt onder de garantie van {guarantee} jaar. Bij een gebrek "
    "repareren of vervangen we het kosteloos; uiterlijk {date} hoor je van ons hoe we dat regelen.",
)
DEMAND_POSSIBLE_REPAIR: Phrase = (
    "Wat wel kan: we kijken graag met u naar een reparatie. Uiterlijk {date} hoort u van ons wat "
    "de mogelijkheden zijn.",
    "Wat wel kan: we kijken graag met je naar een reparatie. Uiterlijk {date} hoor je van ons wat "
    "de mogelijkheden zijn.",
)

SIGN_OFF: Options = (
    ("Met vriendelijke groet,", "Met vriendelijke groet,"),
    ("Hartelijke groet,", "Hartelijke groet,"),
)  # fmt: skip
