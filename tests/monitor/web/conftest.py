"""A seeded shop served by the web app under FastAPI's test client, with a fake Trustpilot."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from monitor.config import Settings
from monitor.web.app import create_app
from tests.fake_platform import FakePlatform
from tests.monitor.shopdata import PASSWORD, draft_for, seed, shop_settings

CSRF = re.compile(r'name="csrf" value="([^"]+)"')


@dataclass
class Site:
    settings: Settings
    engine: Engine
    platform: FakePlatform

    def client(self, **kwargs: object) -> TestClient:
        return TestClient(create_app(self.settings, self.engine), **kwargs)  # type: ignore[arg-type]

    def login(self, username: str = "sanne", **kwargs: object) -> TestClient:
        client = self.client(**kwargs)
        page = client.get("/login")
        response = client.post(
            "/login",
            data={"csrf": csrf_of(page.text), "username": username, "password": PASSWORD},
            follow_redirects=False,
        )
        assert response.status_code == 303, response.text
        return client

    def draft_id(self, external_id: str) -> int:
        return draft_for(self.engine, external_id).id  # type: ignore[return-value]


def csrf_of(html: str) -> str:
    match = CSRF.search(html)
    assert match, "no CSRF token on the page"
    return match.group(1)


def act(client: TestClient, draft_id: int, action: str, **form: str) -> object:
    """Post a form of the draft's page, with the page's CSRF token."""
    token = csrf_of(client.get(f"/drafts/{draft_id}").text)
    return client.post(f"/drafts/{draft_id}/{action}", data={"csrf": token, **form})


@pytest.fixture
def platform() -> Iterator[FakePlatform]:
    with FakePlatform() as fake:
        yield fake


@pytest.fixture
def site(
    make_settings: Callable[..., Settings], database_url: str, platform: FakePlatform
) -> Iterator[Site]:
    settings = shop_settings(make_settings, database_url, platform)
    engine = seed(settings)
    yield Site(settings, engine, platform)
    engine.dispose()
