"""The Dutch words the web pages use for kinds, statuses and the outcome of an action."""

from __future__ import annotations

KIND_WORDS = {"complaint": "klacht", "compliment": "compliment", "question": "vraag"}
POST_WORDS = {
    "queued": "wordt geplaatst",
    "sending": "wordt geplaatst",
    "posted": "geplaatst",
    "ready": "klaar om te plakken",
    "failed": "plaatsen mislukt",
    "cancelled": "niet geplaatst",
}
VIEW_WORDS = {"todo": "Te beoordelen", "outgoing": "Goedgekeurd", "done": "Afgehandeld"}
# The outcome of an action, shown after the redirect (?msg=...): only these fixed texts.
MESSAGES = {
    "saved": "Uw aanpassing is opgeslagen. Het antwoord is nog niet goedgekeurd.",
    "approved": "Goedgekeurd. Het antwoord wordt nu geplaatst of staat klaar om te plakken.",
    "rejected": "Afgewezen. Er wordt niets verstuurd.",
    "answered": "Gemarkeerd als elders beantwoord. Er wordt niets verstuurd.",
    "reopened": "De goedkeuring is ingetrokken; het concept staat weer open.",
    "confirmed": "Vastgelegd dat het antwoord geplaatst is.",
    "retrying": "Het plaatsen wordt opnieuw geprobeerd.",
    "ready": "Het antwoord staat klaar om met de hand te plakken.",
}
