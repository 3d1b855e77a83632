"""The report: hostile review text stays text, the most urgent complaint comes first."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bs4 import BeautifulSoup

from monitor.config import Settings
from monitor.pipeline import run_pipeline
from monitor.report import safe_href

NOW = datetime.now(UTC).replace(microsecond=0)
HOSTILE = '<script>alert("xss")</script><img src=x onerror="alert(1)"> Pakket kapot, heel slecht!'


def export(rows: list[dict[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def review(external_id: str, hours_ago: float, text: str, **extra: str) -> dict[str, str]:
    when = (NOW - timedelta(hours=hours_ago)).isoformat()
    row = {"external_id": external_id, "published_at": when, "rating": "1", "text": text}
    row.update({"author": "Klant", "title": "", "url": ""} | extra)
    return row


def build(
    tmp_path: Path,
    make_settings: Callable[..., Settings],
    rows: list[dict[str, str]],
    **report: object,
) -> str:
    path = tmp_path / "export.csv"
    path.write_text(export(rows), encoding="utf-8")
    settings = make_settings(sources={"export": {"type": "file", "path": str(path)}}, report=report)
    result = run_pipeline(settings, now=NOW)
    assert result.report is not None
    return result.report.read_text(encoding="utf-8")


def test_hostile_review_text_is_shown_as_text(
    tmp_path: Path, make_settings: Callable[..., Settings]
) -> None:
    rows = [
        review(
            "evil", 2, HOSTILE,
            author='<b onmouseover="steal()">Boze Klant</b>',
            title="<iframe src=//evil.example>",
            url="javascript:alert(document.cookie)",
        ),
        review("ok", 3, "Nog steeds niet geleverd, heel slecht.", url="https://shop.example/r/1"),
    ]  # fmt: skip
    html = build(tmp_path, make_settings, rows)
    soup = BeautifulSoup(html, "html.parser")
    assert soup.find("script") is None
    assert soup.find("iframe") is None
    assert not soup.select("[onerror], [onmouseover]")
    assert "&lt;script&gt;alert(&#34;xss&#34;)&lt;/script&gt;" in html
    assert "<script>alert" not in html
    links = [a["href"] for a in soup.find_all("a")]
    assert links == ["https://shop.example/r/1"]
    # The text is all still there for the owner to read.
    assert '<img src=x onerror="alert(1)">' in soup.get_text()


def test_the_complaint_closest_to_breaking_the_promise_comes_first(
    tmp_path: Path, make_settings: Callable[..., Settings]
) -> None:
    rows = [
        review("fresh", 1, "Pakket beschadigd aangekomen, heel slecht."),
        review("late", 30, "Nog steeds niet geleverd, geen reactie. Slecht."),
        review("soon", 20, "Klantenservice onbereikbaar, heel slecht."),
    ]
    html = build(tmp_path, make_settings, rows)
    soup = BeautifulSoup(html, "html.parser")
    table = soup.find("h2", string=lambda s: s and s.startswith("Wacht op antwoord")).find_next(
        "table"
    )
    cells = [row.find("td") for row in table.find_all("tr")[1:]]
    order = [cell.get_text(" ", strip=True) for cell in cells]
    assert order[0].startswith("6 uur te laat")
    assert order[1].startswith("nog 4 uur")
    assert order[2].startswith("nog 23 uur")
    assert "late" in cells[0]["class"] and "soon" in cells[1]["class"]


def test_safe_href_allows_only_web_links() -> None:
    assert safe_href("https://shop.example/r") == "https://shop.example/r"
    assert safe_href("HTTP://shop.example/r") == "HTTP://shop.example/r"
    for bad in (
        "javascript:alert(1)",
        " JavaScript:alert(1)",
        "data:text/html,x",
        "vbscript:x",
        "",
        None,
    ):
        assert safe_href(bad) is None


def test_the_report_file_is_readable_by_others_and_names_stages_in_dutch(
    tmp_path: Path, make_settings: Callable[..., Settings]
) -> None:
    html = build(tmp_path, make_settings, [review("a", 2, "Nog niet geleverd, heel slecht.")])
    report = tmp_path / "out" / "report.html"
    assert report.stat().st_mode & 0o044 == 0o044  # a web server serving out/ can read it
    assert not list((tmp_path / "out").glob(".report-*"))
    health = BeautifulSoup(html, "html.parser").find(
        "h2", string=lambda s: s and s.startswith("Gezondheid")
    )
    stages = [row.find("td").get_text() for row in health.find_next("table").find_all("tr")[1:]]
    assert stages == [
        "verzamelen",
        "scoren",
        "signaleren",
        "concepten",
        "beloftes",
        "meldingen",
        "plaatsen",
    ]


def test_the_report_has_three_charts_a_text_twin_and_counts_per_period(
    tmp_path: Path, make_settings: Callable[..., Settings]
) -> None:
    rows = [
        review("d1", 3, "Pakket beschadigd aangekomen, de doos was kapot. Heel slecht."),
        review("d2", 50, "Levering duurde twee weken, veel te laat. Slecht.", rating="2"),
        review("w1", 24 * 5, "Klantenservice onbereikbaar, niemand neemt op. Slecht."),
        review("m1", 24 * 20, "Super snel geleverd, dikke aanrader!", rating="5"),
    ]
    html = build(tmp_path, make_settings, rows, charts=True, web_url="https://rw.example/")
    soup = BeautifulSoup(html, "html.parser")
    images = soup.find_all("img", class_="chart")
    assert len(images) == 3
    assert all(image["src"].startswith("data:image/png;base64,") for image in images)
    cards = [card.get_text(" ", strip=True) for card in soup.select("td.card")]
    assert cards[0].startswith("Afgelopen 24 uur 1 review ")
    assert cards[1].startswith("Afgelopen 7 dagen 3 reviews")
    assert cards[2].startswith("Afgelopen 30 dagen 4 reviews")
    topics = soup.find("h2", string="Klachten per onderwerp").find_next("table")
    counts = {
        row.find("td").get_text(): [cell.get_text() for cell in row.find_all("td")[1:]]
        for row in topics.find_all("tr")[1:]
    }
    assert counts["beschadigd of verkeerd geleverd"] == ["1", "1", "1"]
    assert counts["klantenservice en bereikbaarheid"] == ["0", "1", "1"]
    assert counts["levering en bezorgtijd"] == ["1", "2", "2"]  # "pakket" in d1 too
    # Links to the web app where one is configured.
    assert soup.find("a", href="https://rw.example/drafts") is not None
    text = (tmp_path / "out" / "report.txt").read_text(encoding="utf-8")
    assert text.startswith("Reviewrapport Testwinkel")
    assert "WACHT OP ANTWOORD: KLACHTEN (" in text
    assert "https://rw.example/drafts/" in text


def test_the_plain_text_report_keeps_hostile_text_as_plain_text(
    tmp_path: Path, make_settings: Callable[..., Settings]
) -> None:
    build(tmp_path, make_settings, [review("evil", 2, HOSTILE)])
    text = (tmp_path / "out" / "report.txt").read_text(encoding="utf-8")
    assert (
        '<script>alert("xss")</script>' in text
    )  # text is text: nothing to render, nothing escaped
    assert "&lt;" not in text


def test_promises_due_today_show_however_many_are_overdue(
    tmp_path: Path, make_settings: Callable[..., Settings]
) -> None:
    from sqlalchemy import select

    from monitor.db import open_store, session_scope
    from monitor.models import Draft, Reminder
    from monitor.report.data import LIST_LIMIT, build_report
    from monitor.report.render import render_text

    rows = [review(key, 2, "Pakket kapot aangekomen, heel slecht.") for key in ("k1", "k2")]
    build(tmp_path, make_settings, rows)
    settings = make_settings()
    today = NOW.astimezone(settings.shop.zone).date()
    with session_scope(open_store(settings.database_url)) as session:
        draft, other = session.exec(select(Draft).order_by(Draft.id)).scalars().all()
        for days in range(1, LIST_LIMIT + 6):  # 30 overdue, then two due today
            session.add(Reminder(draft_id=draft.id, review_id=draft.review_id,
                                 due_date=today - timedelta(days=days), what=f"verlopen {days}"))  # fmt: skip
        for one, what in ((draft, "vandaag A"), (other, "vandaag B")):
            session.add(Reminder(draft_id=one.id, review_id=one.review_id, due_date=today,
                                 what=what))  # fmt: skip
        session.commit()
        data = build_report(session=session, settings=settings, now=NOW)
    assert [p.reminder.what for p in data.due_today] == ["vandaag A", "vandaag B"]
    assert (len(data.overdue), data.overdue_total, data.due_today_total) == (LIST_LIMIT, 30, 2)
    assert data.overdue[0].reminder.what == "verlopen 30"  # the oldest first
    text = render_text(data)
    assert "- VANDAAG: vandaag B" in text
    assert "En nog 5 andere (reviewwacht reminders list)." in text
