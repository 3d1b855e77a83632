"""The owner's signals page: the evidence, escaped; dismissing with a reason; marketing kept out."""

from __future__ import annotations

from sqlalchemy import select

from monitor.db import session_scope
from monitor.models import Flag
from monitor.queries import add_flag
from sentiment.flags import Finding
from tests.monitor.web.conftest import Site, csrf_of


def a_flag(site: Site) -> int:
    finding = Finding(
        kind="burst", key="kiyoh:low:2026-11-20", severity="warning",
        title="Golf van zeer negatieve reviews <script>alert(1)</script>",
        explanation="In de laatste 48 uur kwamen er 9 zeer negatieve reviews binnen.",
        action="Meld de reviews bij het platform; beschuldig niemand in een openbare reactie.",
        evidence={"review_ids": [1, 2, 3], "side": "low", "source": "kiyoh"},
    )  # fmt: skip
    with session_scope(site.engine) as session:
        assert add_flag(session=session, shop_id=1, finding=finding)
        session.commit()
        return session.exec(select(Flag.id).where(Flag.key == "kiyoh:low:2026-11-20")).one()[0]


def test_the_owner_sees_the_signal_escaped_with_its_evidence(site: Site) -> None:
    a_flag(site)
    page = site.login().get("/flags")
    assert page.status_code == 200
    assert "Golf van zeer negatieve reviews &lt;script&gt;" in page.text
    assert "<script>alert(1)" not in page.text
    assert "Reviews: 1, 2, 3" in page.text
    assert 'href="/flags"' in site.login().get("/inbox").text  # in the menu


def test_marketing_may_not_see_or_dismiss_signals(site: Site) -> None:
    flag_id = a_flag(site)
    marketing = site.login("mo")
    assert marketing.get("/flags").status_code == 403
    token = csrf_of(marketing.get("/inbox").text)
    response = marketing.post(f"/flags/{flag_id}/dismiss", data={"csrf": token, "reason": "x"})
    assert response.status_code == 403
    with session_scope(site.engine) as session:
        assert session.get(Flag, flag_id).status == "open"


def test_dismissing_needs_the_token_and_a_reason_and_keeps_the_flag(site: Site) -> None:
    flag_id = a_flag(site)
    owner = site.login()
    assert owner.post(f"/flags/{flag_id}/dismiss", data={"reason": "x"}).status_code == 403
    token = csrf_of(owner.get("/flags").text)
    refused = owner.post(f"/flags/{flag_id}/dismiss", data={"csrf": token, "reason": "  "})
    assert refused.status_code == 422 and "reden" in refused.text
    done = owner.post(
        f"/flags/{flag_id}/dismiss", data={"csrf": token, "reason": "Actie met gratis verzending"},
        follow_redirects=False,
    )  # fmt: skip
    assert done.status_code == 303 and done.headers["location"] == "/flags?msg=dismissed"
    assert "Golf van zeer negatieve" not in owner.get("/flags").text
    everything = owner.get("/flags?all=1").text
    assert "Weggezet door sanne" in everything and "Actie met gratis verzending" in everything
    with session_scope(site.engine) as session:
        flag = session.get(Flag, flag_id)
        assert (flag.status, flag.dismissed_by) == ("dismissed", "sanne")
