"""All configuration, read in one place: shipped defaults, then the user's TOML file, then the
environment; validated once into one ``Settings`` object that is passed down explicitly."""

from __future__ import annotations

import copy
import os
import tomllib
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import (
    TypeAdapter,
    ValidationError,
)

from monitor.config_messages import config_error
from monitor.config_schema import Settings, SourceConfig
from monitor.errors import ConfigError
from scrapers.registry import COLLECTORS

ENV_PREFIX = "REVIEWWACHT_"
ENV_ALIASES = {"REVIEWWACHT_DATABASE_URL": ("database", "url")}
CONFIG_FILE_NAME = "reviewwacht.toml"
PATH_FIELDS = ("path", "credentials_file")


# ---------------------------------------------------------------- loading


def find_config_file(explicit: str | Path | None, env: Mapping[str, str]) -> Path | None:
    """The config file to read: ``--config``, then $REVIEWWACHT_CONFIG, then ./reviewwacht.toml."""
    if explicit is not None:
        path = Path(explicit)
        if not path.is_file():
            raise ConfigError(f"Configuratiebestand {path} bestaat niet.")
        return path
    from_env = env.get("REVIEWWACHT_CONFIG")
    if from_env:
        path = Path(from_env)
        if not path.is_file():
            raise ConfigError(f"Configuratiebestand {path} (uit REVIEWWACHT_CONFIG) bestaat niet.")
        return path
    local = Path.cwd() / CONFIG_FILE_NAME
    return local if local.is_file() else None


def load_settings(
    config_file: str | Path | None = None,
    *,
    env: Mapping[str, str] | None = None,
    overrides: Mapping[str, Any] | None = None,
    discover: bool = True,
) -> Settings:
    """Defaults, then the config file, then ``overrides`` (from code), then the environment."""
    env = os.environ if env is None else env
    path = find_config_file(config_file, env) if discover or config_file else None
    data = _read_toml(resources.files("monitor").joinpath("defaults.toml").read_text(), "defaults")
    origin = "standaardwaarden"
    if path is not None:
        data = _merge(data, _read_toml(path.read_text(encoding="utf-8"), str(path)))
        origin = str(path)
    if overrides:
        data = _merge(data, copy.deepcopy(dict(overrides)))
    env_origins = _apply_env(data, env)
    base_dir = path.parent.resolve() if path is not None else Path.cwd()
    return _validate(
        data, base_dir=base_dir, config_file=path, origin=origin, env_origins=env_origins
    )


def _read_toml(text: str, where: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"Configuratiefout in {where}: geen geldige TOML ({exc}).") from None


def _merge(base: dict[str, Any], extra: Mapping[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in extra.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _apply_env(data: dict[str, Any], env: Mapping[str, str]) -> dict[tuple[str, ...], str]:
    """Write REVIEWWACHT_A__B__C=value into data["a"]["b"]["c"]; returns each key's origin."""
    origins: dict[tuple[str, ...], str] = {}
    for name in sorted(env):
        if name in ENV_ALIASES:
            path: tuple[str, ...] = ENV_ALIASES[name]
        elif name.startswith(ENV_PREFIX) and "__" in name:
            path = tuple(part.lower() for part in name[len(ENV_PREFIX) :].split("__"))
        else:
            continue
        node = data
        resolved: list[str] = []
        for part in path[:-1]:
            key = _matching_key(node, part)
            child = node.setdefault(key, {})
            if not isinstance(child, dict):
                raise ConfigError(f"Configuratiefout in {name}: {'.'.join(path)} is geen sectie.")
            node = child
            resolved.append(key)
        leaf = _matching_key(node, path[-1])
        node[leaf] = _env_value(env[name])
        origins[(*resolved, leaf)] = name
    return origins


def _matching_key(node: Mapping[str, Any], part: str) -> str:
    for key in node:
        if key.lower().replace("-", "_") == part:
            return key
    return part


def _env_value(raw: str) -> Any:
    """Lists and tables may be given in TOML syntax; everything else stays a string."""
    if raw.strip().startswith(("[", "{")):
        try:
            return tomllib.loads(f"value = {raw}")["value"]
        except tomllib.TOMLDecodeError:
            return raw
    return raw


def _validate(
    data: dict[str, Any],
    *,
    base_dir: Path,
    config_file: Path | None,
    origin: str,
    env_origins: dict[tuple[str, ...], str],
) -> Settings:
    raw_sources = data.pop("sources", {})
    try:
        if not isinstance(raw_sources, dict):
            raise _section_error(("sources",), "een tabel [sources.<naam>]", raw_sources)
        sources = tuple(_source(label, value, base_dir) for label, value in raw_sources.items())
        return Settings(**data, sources=sources, base_dir=base_dir, config_file=config_file)
    except ValidationError as exc:
        raise config_error(exc, origin, env_origins, prefix=()) from None
    except _SourceValidationError as exc:
        raise config_error(exc.error, origin, env_origins, prefix=exc.prefix) from None


class _SourceValidationError(Exception):
    def __init__(self, error: ValidationError, prefix: tuple[str, ...]) -> None:
        super().__init__(str(error))
        self.error = error
        self.prefix = prefix


def _section_error(path: tuple[str, ...], expected: str, got: Any) -> ConfigError:
    return ConfigError(f"Configuratiefout: {'.'.join(path)}: verwacht {expected}, kreeg {got!r}.")


def _source(label: str, value: Any, base_dir: Path) -> SourceConfig:
    if not isinstance(value, dict):
        raise _section_error(("sources", label), "een tabel met instellingen", value)
    options = dict(value)
    kind = options.pop("type", label)
    enabled = options.pop("enabled", True)
    poll_minutes = options.pop("poll_minutes", None)
    if kind not in COLLECTORS:
        known = ", ".join(sorted(COLLECTORS))
        raise ConfigError(
            f"Configuratiefout: sources.{label}.type: verwacht een van: {known}, kreeg {kind!r}."
        )
    try:
        enabled = TypeAdapter(bool).validate_python(enabled)  # "false" from the environment too
    except ValidationError:
        raise _section_error(("sources", label, "enabled"), "true of false", enabled) from None
    try:
        settings = COLLECTORS[kind].Settings(**options)
    except ValidationError as exc:
        raise _SourceValidationError(exc, ("sources", label)) from None
    # Files named in a source (an export, a Maildir, a credentials file) count from the
    # config file's folder, like the database, wherever the command is started.
    relative = {
        name: str(base_dir / Path(value).expanduser())
        for name in PATH_FIELDS
        if isinstance(value := getattr(settings, name, None), str)
    }
    if relative:
        settings = settings.model_copy(update=relative)
    if poll_minutes is not None:
        try:
            minutes = TypeAdapter(int).validate_python(poll_minutes)
        except ValidationError:
            minutes = 0
        if minutes < 1:
            key = ("sources", label, "poll_minutes")
            raise _section_error(key, "een geheel getal van minstens 1", poll_minutes)
        poll_minutes = minutes
    return SourceConfig(
        label=label, type=kind, enabled=enabled, settings=settings, poll_minutes=poll_minutes
    )
