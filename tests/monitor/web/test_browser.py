"""The owner's way through the web app in a real browser (Debian's Chromium, headless, driven by
Playwright): log in, open the most urgent complaint, edit and approve it, see it posted to a fake
Trustpilot; and no script from a review ever runs. SQLite only: this is about the pages."""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import uvicorn
from playwright.sync_api import Browser, Dialog, Page, sync_playwright
from sqlalchemy import Engine, select

from drafts import check_tone
from monitor.config import Settings
from monitor.db import session_scope
from monitor.models import DiscountCode, Review
from monitor.web.app import create_app
from tests.fake_platform import FakePlatform
from tests.monitor.shopdata import PASSWORD, draft_for, seed, shop_settings

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
OUR_SENTENCE = "We bellen u morgen voor 12:00 uur."
POSTED_WITHIN = 10.0  # seconds: the background task posts right after the approval's answer


@dataclass
class Shop:
    settings: Settings
    engine: Engine
    platform: FakePlatform
    url: str  # where the app is served


@contextmanager
def serving(settings: Settings, engine: Engine) -> Iterator[str]:
    """The app under a real uvicorn on 127.0.0.1, in a thread; its address. The socket is bound
    first (port 0), so no other process can take the port in between."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    config = uvicorn.Config(
        create_app(settings, engine), log_level="warning", lifespan="off", access_log=False
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        listener.close()
        assert not thread.is_alive(), "uvicorn did not stop"


@pytest.fixture
def chromium() -> str:
    path = shutil.which("chromium")
    if path is None:
        pytest.skip(
            "Chromium is not installed (Debian: apt-get install chromium; .ci/run does this), "
            "so the browser test cannot run"
        )
    return path


@pytest.fixture
def shop(
    make_settings: Callable[..., Settings], tmp_path: Path, platform: FakePlatform
) -> Iterator[Shop]:
    settings = shop_settings(make_settings, f"sqlite:///{tmp_path / 'browser.sqlite'}", platform)
    engine = seed(settings)
    try:
        with serving(settings, engine) as url:
            yield Shop(settings, engine, platform, url)
    finally:
        engine.dispose()


@pytest.fixture
def browser(chromium: str) -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


def _with_our_sentence(drafted: str) -> str:
    """The drafted reply with one sentence of the owner's own, before the sign-off."""
    paragraphs = drafted.strip().split("\n\n")
    return "\n\n".join([*paragraphs[:-1], OUR_SENTENCE, paragraphs[-1]])


def _wait_until_posted(page: Page) -> None:
    """Reload the draft's page until it says the reply is posted ("wordt geplaatst" while it
    is on its way, so the whole phrase is looked for)."""
    deadline = time.monotonic() + POSTED_WITHIN
    while "Plaatsen: geplaatst" not in page.locator("section.reply").inner_text():
        assert time.monotonic() < deadline, page.locator("section.reply").inner_text()
        page.wait_for_timeout(200)
        page.reload()


def test_owner_edits_and_approves_the_most_urgent_complaint(shop: Shop, browser: Browser) -> None:
    page = browser.new_page()
    dialogs: list[str] = []

    def record(dialog: Dialog) -> None:
        dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", record)

    # Not logged in: the inbox sends the browser to the login page, which comes back to it.
    page.goto(f"{shop.url}/inbox")
    address = urlsplit(page.url)
    assert address.path == "/login" and parse_qs(address.query)["next"] == ["/inbox"]
    page.fill("input[name=username]", "sanne")
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(f"{shop.url}/inbox")

    # The most urgent draft comes first: the oldest complaint.
    late = draft_for(shop.engine, "tp-late").id
    first = page.locator("table.inbox tbody tr").first
    assert first.get_attribute("class") == "complaint"
    link = first.locator(f'a[href="/drafts/{late}"]')
    assert "Pakket kwam beschadigd aan" in link.inner_text()
    link.click()
    page.wait_for_url(f"{shop.url}/drafts/{late}")

    # The owner adds a sentence of her own to the drafted reply and approves it.
    textarea = page.locator("textarea#reply-text")
    edited = _with_our_sentence(textarea.input_value())
    # As the app checks it: the shop's own words and the review's discount code are allowed (a
    # generated code such as SORRY-BKHTFUDY would otherwise read as shouting).
    with session_scope(shop.engine) as session:
        codes = (
            session.exec(
                select(DiscountCode.code)
                .join(Review, Review.id == DiscountCode.review_id)
                .where(Review.external_id == "tp-late")
            )
            .scalars()
            .all()
        )
    tone = check_tone(edited, allowed=[*shop.settings.reply_policy().own_words, *codes])
    assert tone.ok, tone.problems
    textarea.fill(edited)
    page.get_by_role("button", name="Goedkeuren").click()
    page.wait_for_url(f"{shop.url}/drafts/{late}?msg=approved")
    _wait_until_posted(page)

    # Exactly the edited wording went out, once (a form sends a textarea's lines as CRLF).
    assert [(platform, review) for platform, review, _ in shop.platform.replies] == [
        ("trustpilot", "tp-late")
    ]
    posted = shop.platform.replies[0][2].replace("\r\n", "\n")
    assert posted == edited
    assert page.locator("pre#reply-text").inner_text().replace("\r\n", "\n") == edited

    # A review with script tags, an onerror image and javascript: links shows them as text.
    own = draft_for(shop.engine, "own-1").id
    page.goto(f"{shop.url}/drafts/{own}")
    assert '<script>alert("naam")</script>' in page.locator("h1").inner_text()
    assert page.locator('a[href^="javascript:"]').count() == 0
    assert page.locator("main script, main img").count() == 0
    assert dialogs == []
