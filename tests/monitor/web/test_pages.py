"""The inbox by urgency with its filters, a draft beside its review, and every action on it:
edit (the tone check explains what it blocks), approve and post, reject, answered elsewhere,
reopen, paste by hand; untrusted text always escaped; the audit trail and its export."""

from __future__ import annotations

import csv
import io
import re

from bs4 import BeautifulSoup
from sqlalchemy import select

from monitor.db import session_scope
from monitor.models_web import AuditEvent, ReplyPost
from tests.monitor.shopdata import draft_for
from tests.monitor.web.conftest import Site, act


def rows(html: str) -> list[str]:
    soup = BeautifulSoup(html, "html.parser")
    return [row.get_text(" ", strip=True) for row in soup.select("table.inbox tbody tr")]


def test_the_most_urgent_complaint_is_on_top_then_the_others(site: Site) -> None:
    listed = rows(site.login().get("/inbox").text)
    assert len(listed) == 5
    assert "Pakket kwam beschadigd" in listed[0]  # 20 hours old: 4 hours left
    assert listed[0].startswith("4 uur")
    kinds = [row.split()[2] for row in listed]
    assert kinds.index("compliment") > max(i for i, kind in enumerate(kinds) if kind == "klacht")


def test_the_inbox_filters_by_source_kind_aspect_and_rating(site: Site) -> None:
    client = site.login()
    assert all("trustpilot" in row for row in rows(client.get("/inbox?source=trustpilot").text))
    assert len(rows(client.get("/inbox?source=trustpilot").text)) == 3
    assert [r for r in rows(client.get("/inbox?kind=compliment").text)] and all(
        "compliment" in row for row in rows(client.get("/inbox?kind=compliment").text)
    )
    late = rows(client.get("/inbox?aspect=levering en bezorgtijd").text)
    assert late and all("Pakket kwam" not in row or "levering" in row for row in late)
    assert any("Levering duurde" in row for row in late)
    five = rows(client.get("/inbox?stars=5").text)
    assert len(five) == 1 and "Super snel" in five[0]
    assert "Niets te doen" in client.get("/inbox?stars=3").text
    assert client.get("/inbox?stars=abc&view=<script>").status_code == 200


def test_a_draft_page_shows_the_review_its_score_and_aspects_beside_the_draft(site: Site) -> None:
    page = site.login().get(f"/drafts/{site.draft_id('tp-late')}").text
    soup = BeautifulSoup(page, "html.parser")
    assert "Pakket kwam beschadigd aan" in soup.select_one("blockquote.review-text").get_text()
    assert "beschadigd of verkeerd geleverd" in soup.select_one("ul.aspects").get_text()
    assert "Sentiment: negatief" in page
    assert soup.select_one("textarea#reply-text").get_text().startswith("Beste Marieke")
    assert soup.select_one('a[href="https://nl.trustpilot.com/reviews/tp-late"]') is not None


def test_untrusted_text_is_escaped_and_a_javascript_link_never_shown(site: Site) -> None:
    client = site.login()
    for html in (client.get("/inbox").text, client.get(f"/drafts/{site.draft_id('own-1')}").text):
        soup = BeautifulSoup(html, "html.parser")
        assert all(not script.string for script in soup.find_all("script"))  # only app.js
        assert [s["src"] for s in soup.find_all("script")] == ["/static/app.js"]
        assert soup.find("img") is None and soup.select('a[href^="javascript"]') == []
        assert not any(attr.startswith("on") for tag in soup.find_all(True) for attr in tag.attrs)
        assert "&lt;script&gt;alert(&#34;naam&#34;)&lt;/script&gt;" in html


def test_an_edit_that_blames_the_customer_is_refused_with_the_reasons_and_kept(site: Site) -> None:
    client = site.login()
    draft_id = site.draft_id("tp-late")
    edit = "Had u maar beter opgelet bij het uitpakken. Bel ons op 06-12345678."
    response = act(client, draft_id, "edit", text=edit)
    assert response.status_code == 422
    soup = BeautifulSoup(response.text, "html.parser")
    reasons = [item.get_text() for item in soup.select("ul.reasons li")]
    assert any("schuld" in reason for reason in reasons)
    assert any("telefoonnummer" in reason.lower() for reason in reasons)
    assert soup.select_one("textarea#reply-text").get_text() == edit  # the person's text kept
    draft = draft_for(site.engine, "tp-late")
    assert draft.status == "pending" and draft.edited_text is None


def test_an_acceptable_edit_is_saved_but_not_approved(site: Site) -> None:
    client = site.login()
    draft_id = site.draft_id("tp-late")
    text = draft_for(site.engine, "tp-late").text + "\n\nWe bellen u morgen voor 12:00 uur."
    response = act(client, draft_id, "edit", text=text)
    assert response.status_code == 200 and "nog niet goedgekeurd" in response.text
    draft = draft_for(site.engine, "tp-late")
    assert draft.status == "pending" and draft.edited_text == text
    assert site.platform.replies == []


def test_approving_an_edit_posts_exactly_that_text_and_logs_who_did_what(site: Site) -> None:
    client = site.login()
    draft_id = site.draft_id("tp-late")
    text = draft_for(site.engine, "tp-late").text + "\n\nWe bellen u morgen voor 12:00 uur."
    response = act(client, draft_id, "approve", text=text)
    assert "Plaatsen: geplaatst" in response.text
    assert site.platform.replies == [("trustpilot", "tp-late", text)]
    draft = draft_for(site.engine, "tp-late")
    assert draft.status == "posted" and draft.approved_text == text and draft.decided_by == "sanne"
    with session_scope(site.engine) as session:
        trail = session.exec(
            select(AuditEvent.actor, AuditEvent.action)
            .where(AuditEvent.draft_id == draft_id)
            .order_by(AuditEvent.id)
        ).all()
    assert [tuple(row) for row in trail] == [
        ("reviewwacht (sjablonen)", "drafted"),
        ("sanne", "edited"),
        ("sanne", "approved"),
        ("reviewwacht", "posted"),
    ]


def test_a_reply_without_a_platform_api_is_ready_to_paste_then_confirmed(site: Site) -> None:
    client = site.login()
    draft_id = site.draft_id("own-1")
    page = act(client, draft_id, "approve").text
    assert "klaar om te plakken" in page and 'class="copy"' in page
    assert "Open de review" not in page  # its link is javascript: and is not shown
    assert site.platform.replies == []
    page = act(client, draft_id, "confirm").text
    assert "Plaatsen: geplaatst" in page
    draft = draft_for(site.engine, "own-1")
    assert draft.status == "posted"
    with session_scope(site.engine) as session:
        post = session.exec(select(ReplyPost).where(ReplyPost.draft_id == draft_id)).scalars().one()
    assert post.posted_by == "sanne" and post.route == "manual"


def test_reject_needs_a_reason_and_answered_elsewhere_sends_nothing(site: Site) -> None:
    client = site.login()
    rejected, elsewhere = site.draft_id("tp-new"), site.draft_id("tp-praise")
    assert act(client, rejected, "reject", reason="  ").status_code == 409
    assert "Afgewezen" in act(client, rejected, "reject", reason="Al gebeld").text
    assert "elders beantwoord" in act(client, elsewhere, "elsewhere", note="telefonisch").text
    assert draft_for(site.engine, "tp-new").status == "rejected"
    assert draft_for(site.engine, "tp-praise").status == "answered"
    assert site.platform.replies == []
    todo = rows(client.get("/inbox").text)
    assert not any("Levering duurde" in row or "Super snel" in row for row in todo)
    done = rows(client.get("/inbox?view=done").text)
    assert any("Levering duurde" in row for row in done)


def test_an_approval_can_be_taken_back_until_it_is_posted(site: Site) -> None:
    client = site.login()
    draft_id = site.draft_id("own-1")
    act(client, draft_id, "approve")  # ready to paste
    assert "weer open" in act(client, draft_id, "reopen").text
    assert draft_for(site.engine, "own-1").status == "pending"
    assert act(client, draft_id, "confirm").status_code == 409  # nothing ready any more
    with session_scope(site.engine) as session:
        post = session.exec(select(ReplyPost).where(ReplyPost.draft_id == draft_id)).scalars().one()
    assert post.status == "cancelled"
    assert "Plaatsen: klaar om te plakken" in act(client, draft_id, "approve").text  # renewed


def test_a_failed_post_is_shown_and_tried_again_on_request(site: Site) -> None:
    site.platform.fail_next(503, kind="reply")
    client = site.login()
    draft_id = site.draft_id("tp-new")
    page = act(client, draft_id, "approve").text
    assert "Plaatsen: wordt geplaatst" in page and "poging 1" in page and "storing" in page
    assert site.platform.replies == []
    page = act(client, draft_id, "retry").text
    assert "Plaatsen: geplaatst" in page
    assert [(p, r) for p, r, _ in site.platform.replies] == [("trustpilot", "tp-new")]


def test_a_refused_login_at_the_platform_waits_for_a_person_who_may_paste_it(site: Site) -> None:
    site.platform.fail_next(401, kind="token")
    client = site.login()
    draft_id = site.draft_id("tp-new")
    page = act(client, draft_id, "approve").text
    assert "plaatsen mislukt" in page and "Zelf plakken" in page
    assert "klaar om te plakken" in act(client, draft_id, "paste").text
    assert site.platform.replies == []


def test_the_audit_export_quotes_every_cell_and_defuses_formulas(site: Site) -> None:
    client = site.login()
    act(client, site.draft_id("tp-new"), "reject", reason='=HYPERLINK("http://evil.example","x")')
    act(client, site.draft_id("tp-praise"), "elsewhere", note="@SUM(1+1)")
    page = client.get("/audit").text
    assert "afgewezen" in page and "HYPERLINK" in page
    response = client.get("/audit.csv")
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    body = response.text.lstrip("\ufeff")
    assert all(line.startswith('"') for line in body.splitlines() if line)
    cells = [cell for row in csv.reader(io.StringIO(body)) for cell in row]
    assert '\'=HYPERLINK("http://evil.example","x")' in cells and "'@SUM(1+1)" in cells
    assert not any(re.match(r"[=+\-@\t\r]", cell) for cell in cells)


def test_a_browsers_crlf_line_breaks_are_not_an_edit_and_never_sent(site: Site) -> None:
    client = site.login()
    draft = draft_for(site.engine, "tp-new")
    as_sent = draft.text.replace("\n", "\r\n")  # how a browser submits a textarea
    act(client, draft.id, "approve", text=as_sent)  # type: ignore[arg-type]
    approved = draft_for(site.engine, "tp-new")
    assert approved.edited_text is None and approved.approved_text == draft.text
    assert site.platform.replies == [("trustpilot", "tp-new", draft.text)]
    with session_scope(site.engine) as session:
        actions = (
            session.exec(select(AuditEvent.action).where(AuditEvent.draft_id == draft.id))
            .scalars()
            .all()
        )
    assert "edited" not in actions
