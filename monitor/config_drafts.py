"""The [drafts] part of the configuration: register, signature, terms, compensation per severity
and aspect, discount codes, and the optional LLM writer."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator

from drafts import LlmSettings, Policy
from drafts.codes import valid_format
from sentiment.aspects import ASPECTS

Remedy = Literal["replacement", "refund", "free_return"]


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CompensationSettings(_Section):
    """A discount code (percent on the next order, 0: none) per severity; remedies per aspect."""

    light: int = Field(default=0, ge=0, le=100)
    serious: int = Field(default=10, ge=0, le=100)
    severe: int = Field(default=15, ge=0, le=100)
    aspects: dict[str, tuple[Remedy, ...]] = Field(default_factory=dict)

    @field_validator("aspects")
    @classmethod
    def _known_aspects(cls, value: dict[str, tuple[Remedy, ...]]) -> dict[str, tuple[Remedy, ...]]:
        unknown = sorted(set(value) - set(ASPECTS))
        if unknown:
            raise ValueError("aspecten uit deze lijst: " + ", ".join(ASPECTS))
        return value


class CodeSettings(_Section):
    """Where discount codes come from: generated in a format, or a pool imported from the shop."""

    source: Literal["generated", "pool"] = "generated"
    format: str = "SORRY-{code}"
    loyalty_format: str = "DANK-{code}"
    expiry_days: int = Field(default=90, ge=1, le=3650)

    @field_validator("format", "loyalty_format")
    @classmethod
    def _format(cls, value: str) -> str:
        if not valid_format(value):
            raise ValueError('een opmaak met {code} erin, zoals "SORRY-{code}"')
        return value


class LlmSection(_Section):
    """An OpenAI-compatible server that may write the drafts (empty url: the templates write)."""

    url: str = ""
    model: str = ""
    api_key: SecretStr = SecretStr("")
    timeout_seconds: float = Field(default=20, gt=0, le=300)

    @field_validator("url")
    @classmethod
    def _http(cls, value: str) -> str:
        if value and not value.startswith(("http://", "https://")):
            raise ValueError("een http(s)-adres zoals http://127.0.0.1:8080/v1, of leeg")
        return value.strip()

    def settings(self) -> LlmSettings | None:
        if not self.url:
            return None
        return LlmSettings(
            url=self.url,
            model=self.model or "default",
            api_key=self.api_key.get_secret_value(),
            timeout=self.timeout_seconds,
        )


class DraftSettings(_Section):
    # "register" in the file; a field of that name would shadow BaseModel.register.
    address: Literal["u", "je"] = Field(alias="register")
    signature: str | tuple[str, ...]
    followup_working_days: int = Field(ge=1, le=20)
    refund_working_days: int = Field(ge=1, le=30)
    max_age_days: int = Field(ge=1)
    return_days: int = Field(default=14, ge=14, le=365)
    guarantee_years: int = Field(default=2, ge=0, le=30)
    loyalty_percent: int = Field(default=10, ge=0, le=100)
    loyalty_after: int = Field(default=3, ge=2, le=100)
    compensation: CompensationSettings = CompensationSettings()
    codes: CodeSettings = CodeSettings()
    llm: LlmSection = LlmSection()

    @field_validator("signature")
    @classmethod
    def _names(cls, value: str | tuple[str, ...]) -> str | tuple[str, ...]:
        names = (value,) if isinstance(value, str) else value
        if not names or not all(name.strip() for name in names):
            raise ValueError('een naam, of een lijst namen zoals ["Sanne", "Joris"]')
        return value

    def policy(self, *, shop_name: str, contact_email: str) -> Policy:
        defaults = Policy(shop_name=shop_name, signature=self.signature)
        return Policy(
            shop_name=shop_name,
            signature=self.signature,
            register=self.address,
            contact_email=contact_email,
            followup_working_days=self.followup_working_days,
            refund_working_days=self.refund_working_days,
            return_days=self.return_days,
            guarantee_years=self.guarantee_years,
            discount_percent={
                "light": self.compensation.light,
                "serious": self.compensation.serious,
                "severe": self.compensation.severe,
            },
            remedies={**defaults.remedies, **self.compensation.aspects},
            loyalty_percent=self.loyalty_percent,
            loyalty_after=self.loyalty_after,
        )
