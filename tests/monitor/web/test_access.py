"""Who may see and do what: every page but the login needs a session, marketing sees only
compliments and questions, forms need the session's CSRF token, logins are rate-limited, and
cookies are HttpOnly, SameSite and (over https) Secure."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from monitor.db import session_scope
from monitor.models_web import LoginFailure
from tests.monitor.shopdata import PASSWORD, draft_for
from tests.monitor.web.conftest import Site, act, csrf_of

PAGES = ["/inbox", "/inbox?view=done", "/drafts/1", "/audit", "/audit.csv"]
ACTIONS = ["edit", "approve", "reject", "elsewhere", "reopen", "confirm", "retry", "paste"]


@pytest.mark.parametrize("path", PAGES)
def test_a_page_without_a_session_sends_you_to_the_login(site: Site, path: str) -> None:
    response = site.client().get(path, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login?next=")


@pytest.mark.parametrize("action", ACTIONS)
def test_an_action_without_a_session_is_refused_and_changes_nothing(
    site: Site, action: str
) -> None:
    draft_id = site.draft_id("tp-late")
    response = site.client().post(f"/drafts/{draft_id}/{action}", data={"text": "x"})
    assert response.status_code == 401
    assert draft_for(site.engine, "tp-late").status == "pending"


def test_logging_in_gives_an_httponly_samesite_cookie_and_goes_where_you_were_going(
    site: Site,
) -> None:
    client = site.client()
    page = client.get("/login?next=/audit")
    response = client.post(
        "/login",
        data={
            "csrf": csrf_of(page.text),
            "username": "Sanne",
            "password": PASSWORD,
            "next": "/audit",
        },
        follow_redirects=False,
    )
    assert response.status_code == 303 and response.headers["location"] == "/audit"
    cookie = response.headers["set-cookie"]
    assert "reviewwacht_session=" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie
    assert "Secure" not in cookie  # plain http on this machine
    assert client.get("/audit").status_code == 200


def test_over_https_the_cookie_is_secure(site: Site) -> None:
    client = site.client(base_url="https://testserver")
    page = client.get("/login")
    response = client.post(
        "/login",
        data={"csrf": csrf_of(page.text), "username": "sanne", "password": PASSWORD},
        follow_redirects=False,
    )
    assert "Secure" in response.headers["set-cookie"]


def test_login_refuses_an_address_elsewhere_as_next(site: Site) -> None:
    client = site.client()
    page = client.get("/login")
    response = client.post(
        "/login",
        data={
            "csrf": csrf_of(page.text),
            "username": "sanne",
            "password": PASSWORD,
            "next": "//evil.example/x",
        },
        follow_redirects=False,
    )
    assert response.headers["location"] == "/inbox"


def test_a_login_form_without_its_token_is_refused(site: Site) -> None:
    client = site.client()
    client.get("/login")
    response = client.post("/login", data={"username": "sanne", "password": PASSWORD})
    assert response.status_code == 403
    assert "reviewwacht_session" not in response.headers.get("set-cookie", "")


def test_wrong_passwords_are_counted_and_then_even_the_right_one_waits(site: Site) -> None:
    client = site.client()
    for _ in range(5):
        page = client.get("/login")
        response = client.post(
            "/login",
            data={"csrf": csrf_of(page.text), "username": "sanne", "password": "fout-fout-fout"},
        )
        assert response.status_code == 401
        assert "Onbekende naam of verkeerd wachtwoord" in response.text
    page = client.get("/login")
    response = client.post(
        "/login", data={"csrf": csrf_of(page.text), "username": "sanne", "password": PASSWORD}
    )
    assert response.status_code == 429
    assert "Te veel mislukte pogingen" in response.text
    with session_scope(site.engine) as session:
        assert len(session.exec(select(LoginFailure)).all()) == 5


def test_an_unknown_name_gets_the_same_answer_as_a_wrong_password(site: Site) -> None:
    client = site.client()
    page = client.get("/login")
    response = client.post(
        "/login", data={"csrf": csrf_of(page.text), "username": "niemand", "password": PASSWORD}
    )
    assert response.status_code == 401 and "Onbekende naam of verkeerd wachtwoord" in response.text


def test_a_form_without_the_sessions_csrf_token_changes_nothing(site: Site) -> None:
    owner = site.login()
    draft_id = site.draft_id("tp-late")
    response = owner.post(f"/drafts/{draft_id}/approve", data={})
    assert response.status_code == 403
    other = site.login("mo")
    foreign = csrf_of(other.get("/inbox").text)  # a real token, of another session
    response = owner.post(f"/drafts/{draft_id}/approve", data={"csrf": foreign})
    assert response.status_code == 403
    assert draft_for(site.engine, "tp-late").status == "pending"
    assert site.platform.replies == []


def test_marketing_sees_compliments_and_questions_only(site: Site) -> None:
    marketing = site.login("mo")
    inbox = marketing.get("/inbox").text
    assert "Super snel geleverd" in inbox
    assert "Pakket kwam beschadigd" not in inbox and "klacht" not in inbox.split("<table")[1]
    assert "Logboek" not in inbox
    complaint = site.draft_id("tp-late")
    assert marketing.get(f"/drafts/{complaint}").status_code == 403
    assert marketing.get("/audit").status_code == 403
    assert marketing.get("/audit.csv").status_code == 403
    response = act(site.login(), complaint, "approve")  # the owner's token, marketing's request
    assert response.status_code in (303, 200)  # the owner may
    token = csrf_of(marketing.get("/inbox").text)
    other = site.draft_id("tp-new")
    assert marketing.post(f"/drafts/{other}/approve", data={"csrf": token}).status_code == 403
    assert draft_for(site.engine, "tp-new").status == "pending"


def test_marketing_can_answer_a_compliment(site: Site) -> None:
    marketing = site.login("mo")
    praise = site.draft_id("tp-praise")
    response = act(marketing, praise, "approve")
    assert response.status_code == 200  # followed to the draft page
    assert draft_for(site.engine, "tp-praise").status == "posted"
    assert [(p, r) for p, r, _ in site.platform.replies] == [("trustpilot", "tp-praise")]


def test_logging_out_ends_the_session_for_that_cookie_too(site: Site) -> None:
    client = site.login()
    cookie = client.cookies.get("reviewwacht_session")
    token = csrf_of(client.get("/inbox").text)
    assert client.post("/logout", data={"csrf": token}, follow_redirects=False).status_code == 303
    again = site.client()
    again.cookies.set("reviewwacht_session", cookie)
    assert again.get("/inbox", follow_redirects=False).status_code == 303


def test_every_answer_carries_the_security_headers(site: Site) -> None:
    for response in (site.client().get("/login"), site.login().get("/inbox")):
        policy = response.headers["content-security-policy"]
        assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
        assert response.headers["x-frame-options"] == "DENY"
        assert response.headers["cache-control"] == "no-store"


@pytest.mark.parametrize("action", ACTIONS)
def test_marketing_can_do_nothing_to_a_complaint(site: Site, action: str) -> None:
    marketing = site.login("mo")
    token = csrf_of(marketing.get("/inbox").text)
    draft_id = site.draft_id("tp-late")
    response = marketing.post(
        f"/drafts/{draft_id}/{action}", data={"csrf": token, "text": "x", "reason": "x"}
    )
    assert response.status_code == 403
    assert draft_for(site.engine, "tp-late").status == "pending"
    assert site.platform.replies == []
