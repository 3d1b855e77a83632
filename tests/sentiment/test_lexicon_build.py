"""Building the shipped lexicon from Pattern's senses, Glender's list and our own additions."""

from __future__ import annotations

from pathlib import Path

import pytest

from sentiment.lexicon import load_lexicon
from sentiment.lexicon_build import build, main

REPO = Path(__file__).resolve().parents[2]
SHARED_SOURCES = REPO.parent / "shared" / "data" / "sentiment"

PATTERN_HEADER = "form\tpos\tsense\tpolarity\tsubjectivity\tintensity\tconfidence\tcornetto_id\n"


def write_sources(directory: Path, *, pattern: list[str], glender: list[str]) -> None:
    rows = [f"{form}\tJJ\tzin\t{polarity}\t0.5\t1.0\t0.7\tr_a-1" for form, polarity in pattern]
    (directory / "lexicon_pattern_nl.tsv").write_text(
        PATTERN_HEADER + "\n".join(rows) + "\n", encoding="utf-8"
    )
    (directory / "lexicon_glender.csv").write_text(
        "word,score\n" + "\n".join(glender) + "\n", encoding="utf-8"
    )


@pytest.fixture
def sources(tmp_path: Path) -> tuple[Path, Path]:
    write_sources(
        tmp_path,
        pattern=[
            ("goed", "0.7"),
            ("goed", "0.5"),  # a second sense of the same form
            ("goed", "0.9"),
            ("Mooi", "0.8"),  # forms are lowercased
            ("gewoon", "0.0"),
            ("matig", "-0.2"),
            ("laat", "-0.3"),
            ("bijna", "0.04"),  # too weak to keep
        ],
        glender=[
            "goed,-2.0",  # Pattern knows "goed": Glender does not override it
            "ramp,-2.0",
            "Prachtig,2.0",
            "oké,1.0",
            "leeg,0.0",
        ],
    )
    extra = tmp_path / "lexicon-extra.tsv"
    extra.write_text(
        "# word or phrase<TAB>polarity\n"
        "matig\t-0.4\n"  # overrides Pattern
        "ramp\t-0.9\n"  # overrides Glender
        "laat\t0\n"  # zeroed: dropped from the result
        "te laat\t-0.6\n"
        "Dikke Aanrader\t0.9\n"
        "\n",
        encoding="utf-8",
    )
    return tmp_path, extra


def test_pattern_senses_are_averaged_per_form(sources: tuple[Path, Path]) -> None:
    words = build(*sources)
    assert words["goed"] == pytest.approx((0.7 + 0.5 + 0.9) / 3, abs=1e-3)
    assert words["mooi"] == pytest.approx(0.8)
    assert "Mooi" not in words


def test_glender_fills_in_only_what_pattern_lacks_at_half_scale(
    sources: tuple[Path, Path],
) -> None:
    words = build(*sources)
    assert words["goed"] > 0  # Pattern's value, not Glender's -2
    assert words["prachtig"] == pytest.approx(1.0)  # 2.0 on Glender's -2..2 scale
    assert words["oké"] == pytest.approx(0.5)
    assert all(-1 <= value <= 1 for value in words.values())


def test_extra_overrides_both_lists_and_adds_phrases(sources: tuple[Path, Path]) -> None:
    words = build(*sources)
    assert words["matig"] == pytest.approx(-0.4)
    assert words["ramp"] == pytest.approx(-0.9)
    assert words["te laat"] == pytest.approx(-0.6)
    assert words["dikke aanrader"] == pytest.approx(0.9)
    assert not any(word.startswith("#") for word in words)


def test_zero_and_negligible_entries_are_dropped(sources: tuple[Path, Path]) -> None:
    words = build(*sources)
    for dropped in ("laat", "gewoon", "leeg", "bijna"):
        assert dropped not in words
    assert 0 not in words.values()


def test_entries_come_out_sorted(sources: tuple[Path, Path]) -> None:
    words = build(*sources)
    assert list(words) == sorted(words)


def test_main_writes_a_lexicon_the_scorer_reads(
    sources: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source_dir, extra = sources
    out_dir = tmp_path / "model"
    out_dir.mkdir()
    (out_dir / "lexicon-extra.tsv").write_text(extra.read_text(encoding="utf-8"), "utf-8")
    main([str(source_dir), str(out_dir)])
    written = load_lexicon(out_dir / "lexicon-nl.tsv")
    assert written == build(source_dir, extra)
    assert f"{len(written)} entries" in capsys.readouterr().out


@pytest.mark.skipif(not SHARED_SOURCES.is_dir(), reason="the public word lists are not here")
def test_shipped_lexicon_is_up_to_date_with_its_sources() -> None:
    model = REPO / "data" / "model"
    assert load_lexicon(model / "lexicon-nl.tsv") == build(
        SHARED_SOURCES, model / "lexicon-extra.tsv"
    )
