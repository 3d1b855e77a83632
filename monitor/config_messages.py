"""Turning a configuration validation error into one Dutch line that names the key."""

from __future__ import annotations

from pydantic import ValidationError

from monitor.errors import ConfigError

_EXPECTED = {
    "int_parsing": "een geheel getal",
    "int_type": "een geheel getal",
    "int_from_float": "een geheel getal",
    "float_parsing": "een getal",
    "float_type": "een getal",
    "bool_parsing": "true of false",
    "bool_type": "true of false",
    "string_type": "tekst tussen aanhalingstekens",
    "list_type": 'een lijst, zoals ["..."]',
    "dict_type": "een tabel",
    "model_type": "een tabel",
}
_SECRET_HINTS = (
    "token", "secret", "password", "wachtwoord", "key", "url", "code", "user", "login", "mail",
)  # fmt: skip


def _shown(key: str, value: object) -> str:
    """The offending value as it may be shown: never a secret, never a whole table (a check on
    a whole source section would otherwise print its password)."""
    if any(hint in key.lower() for hint in _SECRET_HINTS):
        return "***"
    if isinstance(value, dict):
        return "een tabel"
    if isinstance(value, list | tuple):
        return "een lijst"
    return repr(value)


def config_error(
    error: ValidationError,
    origin: str,
    env_origins: dict[tuple[str, ...], str],
    *,
    prefix: tuple[str, ...],
) -> ConfigError:
    """The first validation problem as one Dutch line that names the key and what was expected."""
    problems = error.errors(include_url=False)
    first = problems[0]
    path = prefix + tuple(str(part) for part in first["loc"])
    key = ".".join(path)
    where = env_origins.get(path, origin)
    kind = first["type"]
    context = first.get("ctx") or {}
    if kind == "extra_forbidden":
        text = f"{key}: onbekende instelling (typfout?)"
    elif kind == "missing":
        text = f"{key}: ontbreekt, maar is verplicht"
    else:
        if kind in _EXPECTED:
            expected = _EXPECTED[kind]
        elif kind in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
            words = {"greater_than": "groter dan", "greater_than_equal": "minstens"}
            words |= {"less_than": "kleiner dan", "less_than_equal": "hoogstens"}
            bound = next(iter(context.values()))
            expected = f"een getal {words[kind]} {bound}"
        elif kind == "literal_error":
            expected = f"een van: {context.get('expected', '')}".replace(" or ", " of ")
        elif kind in ("too_short", "string_too_short"):
            expected = "een waarde die niet leeg is"
        elif kind == "value_error":
            expected = str(context.get("error", first["msg"]))
        else:
            expected = first["msg"]
        text = f"{key}: verwacht {expected}, kreeg {_shown(key, first.get('input'))}"
    more = f" (en nog {len(problems) - 1} andere)" if len(problems) > 1 else ""
    return ConfigError(f"Configuratiefout in {where}: {text}{more}.")
