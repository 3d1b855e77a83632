"""The shape of the configuration: one validated section per topic (what ``monitor.config``
reads into them, and the checks each value must pass)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import time
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationInfo, field_validator

from drafts import Policy
from monitor import __version__
from monitor.config_drafts import DraftSettings
from monitor.config_flags import FlagSettings
from monitor.config_sentiment import SentimentSettings
from monitor.config_web import WebSettings
from monitor.db import url_secrets
from scrapers.base import SourceSettings
from scrapers.http import HttpSettings

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
QUIET_HOURS = re.compile(r"\d{1,2}:\d{2}\s*-\s*\d{1,2}:\d{2}")


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


class ReportSettings(_Section):
    out_dir: str = Field(min_length=1)
    promise_hours: int = Field(ge=1, le=24 * 14)
    daily_time: str = "07:30"
    web_url: str = ""
    charts: bool = True
    chart_weeks: int = Field(default=12, ge=2, le=104)

    @field_validator("daily_time")
    @classmethod
    def _clock(cls, value: str) -> str:
        try:
            time.fromisoformat(value.strip())
        except ValueError:
            raise ValueError('een tijd zoals "07:30"') from None
        return value.strip()

    @property
    def daily(self) -> time:
        return time.fromisoformat(self.daily_time)


class MailSettings(_Section):
    """The shop's SMTP server, for the report, alerts and acknowledgements."""

    host: str = ""
    port: int = Field(default=0, ge=0, le=65535)
    security: Literal["tls", "starttls", "none"] = "starttls"
    username: str = ""
    password: SecretStr = SecretStr("")
    from_address: str = ""
    from_name: str = ""
    report_to: list[str] = Field(default_factory=list)
    alert_to: list[str] = Field(default_factory=list)
    timeout_seconds: float = Field(default=30, gt=0)

    @field_validator("security")
    @classmethod
    def _local_plain(cls, value: str, info: ValidationInfo) -> str:
        host = info.data.get("host", "")
        if value == "none" and host not in ("", "127.0.0.1", "localhost", "::1"):
            raise ValueError("'tls' of 'starttls' ('none' alleen voor een server op deze machine)")
        return value

    @property
    def configured(self) -> bool:
        return bool(self.host and self.from_address)

    @property
    def smtp_port(self) -> int:
        return self.port or {"tls": 465, "starttls": 587, "none": 25}[self.security]


class AlertSettings(_Section):
    """When a new negative review or complaint mail is worth an alert, and where it goes."""

    enabled: bool = True
    email: bool = True
    webhook_url: SecretStr = SecretStr("")
    quiet_hours: str = ""
    max_age_hours: int = Field(default=48, ge=1)
    negative_score: float = Field(default=-0.4, ge=-1, le=0)

    @field_validator("quiet_hours")
    @classmethod
    def _period(cls, value: str) -> str:
        if value and not QUIET_HOURS.fullmatch(value.strip()):
            raise ValueError('een periode zoals "22:00-07:00", of leeg')
        return value.strip()

    def quiet_period(self) -> tuple[time, time] | None:
        """(start, end) in the shop's time zone, or None without quiet hours."""
        if not self.quiet_hours:
            return None
        start, end = self.quiet_hours.split("-")
        return time.fromisoformat(start.strip()), time.fromisoformat(end.strip())


class AcknowledgeSettings(_Section):
    """The automatic "we reply within 24 hours" to customer mails (off unless switched on)."""

    enabled: bool = False
    max_age_hours: int = Field(default=24, ge=1)
    own_addresses: list[str] = Field(default_factory=list)


class DaemonSettings(_Section):
    """How the daemon runs: the default polling interval per source, the heartbeat."""

    poll_minutes: int = Field(default=60, ge=1)
    heartbeat_seconds: int = Field(default=30, ge=1)


@dataclass(frozen=True)
class SourceConfig:
    """One configured source: its label (unique), the collector type and that type's settings."""

    label: str
    type: str
    enabled: bool
    settings: SourceSettings
    poll_minutes: int | None = None  # the daemon's interval for this source (else the default)


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
    mail: MailSettings = MailSettings()
    alerts: AlertSettings = AlertSettings()
    acknowledge: AcknowledgeSettings = AcknowledgeSettings()
    daemon: DaemonSettings = DaemonSettings()
    web: WebSettings = WebSettings()
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

    def reply_policy(self) -> Policy:
        """The drafts' policy: the [drafts] settings with the shop's name and contact address."""
        return self.drafts.policy(shop_name=self.shop.name, contact_email=self.shop.contact_email)

    @property
    def out_dir(self) -> Path:
        return (self.base_dir / self.report.out_dir).resolve()

    @property
    def data_dir(self) -> Path:
        return DATA_DIR

    def source(self, label: str) -> SourceConfig | None:
        """The configured source with this label, if there is one."""
        return next((source for source in self.sources if source.label == label), None)

    def enabled_sources(self) -> list[SourceConfig]:
        return [source for source in self.sources if source.enabled]

    def secrets(self) -> list[str]:
        """Every secret value in the configuration, for redaction from logs and the run log."""
        found = [self.database.url.get_secret_value(), *url_secrets(self.database_url)]
        found += [self.mail.password.get_secret_value(), *_webhook_secrets(self.alerts.webhook_url)]
        found.append(self.drafts.llm.api_key.get_secret_value())
        for source in self.sources:
            found.extend(_secret_values(source.settings))
        return [value for value in found if len(value) >= 4]


def _webhook_secrets(url: SecretStr) -> list[str]:
    """A webhook URL is a password as a whole, and so are its path and query (a Slack hook's
    token is its path): an HTTP library's debug log names only those."""
    value = url.get_secret_value()
    parts = urlsplit(value)
    path = parts.path.rstrip("/")
    return [value, *(part for part in (path, parts.query) if len(part.strip("/")) >= 8)]


def _secret_values(model: BaseModel) -> Iterator[str]:
    for name in type(model).model_fields:
        value = getattr(model, name)
        if isinstance(value, SecretStr):
            yield value.get_secret_value()
        elif isinstance(value, BaseModel):
            yield from _secret_values(value)
