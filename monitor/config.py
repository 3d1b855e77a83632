"""All configuration, read in one place: shipped defaults, then the user's TOML file, then the
environment; validated once into one ``Settings`` object that is passed down explicitly."""

from __future__ import annotations

import copy
import os
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    TypeAdapter,
    ValidationError,
    field_validator,
)

from monitor import __version__
from monitor.config_messages import config_error
from monitor.db import url_secrets
from monitor.errors import ConfigError
from scrapers.base import SourceSettings
from scrapers.http import HttpSettings
from scrapers.registry import COLLECTORS

ENV_PREFIX = "REVIEWWACHT_"
ENV_ALIASES = {"REVIEWWACHT_DATABASE_URL": ("database", "url")}
CONFIG_FILE_NAME = "reviewwacht.toml"
PATH_FIELDS = ("path", "credentials_file")
DATA_DIR = Path(__file__).resolve().parent.parent / "data"


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ShopSettings(_Section):
    name: str = Field(min_length=1)
    domain: str = ""
    timezone: str = "Europe/Amsterdam"
    contact_email: str = ""

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError("een tijdzone zoals Europe/Amsterdam") from None
        return value

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


class DatabaseSettings(_Section):
    url: SecretStr

    @field_validator("url")
    @classmethod
    def _supported(cls, value: SecretStr) -> SecretStr:
        scheme = value.get_secret_value().split(":", 1)[0]
        if not scheme.startswith(("sqlite", "postgresql")):
            raise ValueError("een sqlite:///- of postgresql+psycopg://-adres")
        return value


class HttpSection(_Section):
    contact: str = ""
    timeout_seconds: float = Field(gt=0)
    max_response_mb: float = Field(gt=0)
    min_delay_seconds: float = Field(ge=0)
    api_min_delay_seconds: float = Field(ge=0)
    max_requests_per_host: int = Field(ge=1)
    max_retry_wait_seconds: float = Field(ge=0)
    retries: int = Field(ge=0, le=10)

    def client_settings(self) -> HttpSettings:
        contact = f"; +{self.contact}" if self.contact else ""
        return HttpSettings(
            user_agent=f"reviewwacht/{__version__} (review monitor{contact})",
            timeout_seconds=self.timeout_seconds,
            max_response_bytes=int(self.max_response_mb * 1_000_000),
            min_delay_seconds=self.min_delay_seconds,
            api_min_delay_seconds=self.api_min_delay_seconds,
            max_requests_per_host=self.max_requests_per_host,
            max_retry_wait_seconds=self.max_retry_wait_seconds,
            retries=self.retries,
        )


class PipelineSettings(_Section):
    batch_size: int = Field(ge=1, le=100_000)


class SentimentSettings(_Section):
    model: Literal["builtin"] = "builtin"


class FlagSettings(_Section):
    shift_days: int = Field(ge=1)
    window_days: int = Field(ge=1)
    baseline_days: int = Field(ge=1)
    min_reviews: int = Field(ge=2)
    extreme_share: float = Field(gt=0, le=1)
    min_side_share: float = Field(gt=0, le=0.5)
    min_increase: float = Field(ge=0, le=1)
    mismatch_gap: float = Field(gt=0, le=2)


class DraftSettings(_Section):
    # "register" in the file; a field of that name would shadow BaseModel.register.
    address: Literal["u", "je"] = Field(alias="register")
    signature: str = Field(min_length=1)
    followup_working_days: int = Field(ge=1, le=20)
    refund_working_days: int = Field(ge=1, le=30)
    max_age_days: int = Field(ge=1)


class ReportSettings(_Section):
    out_dir: str = Field(min_length=1)
    promise_hours: int = Field(ge=1, le=24 * 14)


@dataclass(frozen=True)
class SourceConfig:
    """One configured source: its label (unique), the collector type and that type's settings."""

    label: str
    type: str
    enabled: bool
    settings: SourceSettings


class Settings(_Section):
    """The validated configuration of one reviewwacht installation."""

    shop: ShopSettings
    database: DatabaseSettings
    http: HttpSection
    pipeline: PipelineSettings
    sentiment: SentimentSettings
    flags: FlagSettings
    drafts: DraftSettings
    report: ReportSettings
    sources: tuple[SourceConfig, ...] = ()
    base_dir: Path = Path()
    config_file: Path | None = None

    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)

    @property
    def database_url(self) -> str:
        """The database URL, with a relative SQLite path made absolute from ``base_dir``."""
        url = self.database.url.get_secret_value()
        prefix = "sqlite:///"
        if url.startswith(prefix) and url != f"{prefix}:memory:":
            path = Path(url[len(prefix) :])
            if not path.is_absolute():
                return prefix + str((self.base_dir / path).resolve())
        return url

    @property
    def out_dir(self) -> Path:
        return (self.base_dir / self.report.out_dir).resolve()

    @property
    def data_dir(self) -> Path:
        return DATA_DIR

    def enabled_sources(self) -> list[SourceConfig]:
        return [source for source in self.sources if source.enabled]

    def secrets(self) -> list[str]:
        """Every secret value in the configuration, for redaction from logs and the run log."""
        found = [self.database.url.get_secret_value(), *url_secrets(self.database_url)]
        for source in self.sources:
            found.extend(_secret_values(source.settings))
        return [value for value in found if len(value) >= 4]


def _secret_values(model: BaseModel) -> Iterator[str]:
    for name in type(model).model_fields:
        value = getattr(model, name)
        if isinstance(value, SecretStr):
            yield value.get_secret_value()
        elif isinstance(value, BaseModel):
            yield from _secret_values(value)


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
    return SourceConfig(label=label, type=kind, enabled=enabled, settings=settings)
