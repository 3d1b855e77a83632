"""The [web] part of the configuration: where the web app listens, how long a login lasts, when
cookies are Secure, how many failed logins are allowed, and which proxy may say "https"."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class WebSettings(BaseModel):
    """The web app (``reviewwacht serve``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    host: str = "127.0.0.1"
    port: int = Field(default=8080, ge=1, le=65535)
    session_hours: int = Field(default=12, ge=1, le=24 * 30)
    # "auto": Secure when the request came over https (directly or via a trusted proxy).
    secure_cookies: Literal["auto", "always", "never"] = "auto"
    login_attempts: int = Field(default=5, ge=1)
    login_window_minutes: int = Field(default=15, ge=1)
    # Proxies whose X-Forwarded-Proto and X-Forwarded-For are believed (a reverse proxy with TLS).
    trusted_proxies: str = "127.0.0.1"
