"""`reviewwacht sentiment`: evaluate a model on a CSV, train the embedded one, adapt it to the shop."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from monitor.cli import main
from monitor.config import load_settings
from monitor.scoring import scorer_for
from tests.sentiment.tiny_model import build_polar_model

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared" / "data" / "sentiment"
PRODUCTS = ["pan", "mes", "jas", "lamp", "tas", "stoel", "fles", "deken", "mok", "klok"]
EVAL = (
    "text,label\n"
    "Super snel geleverd en een prachtige pan!,pos\n"
    "Heel slecht: kapot geleverd en geen reactie.,neg\n"
    '"Vreselijke service, nooit meer.",negative\n'
    '"Top winkel, echt een aanrader.",positive\n'
    "Gaat wel.,mixed\n"
)


@pytest.fixture
def shop(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A configured shop (``init``) with an export of rated reviews: 'flubbig' is its customers'
    word for a dud and 'glimmig' for a delight, words the shipped model cannot know."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("REVIEWWACHT_CONFIG", raising=False)
    monkeypatch.delenv("REVIEWWACHT_DATABASE_URL", raising=False)
    assert main(["init"]) == 0
    config = tmp_path / "reviewwacht.toml"
    when = (datetime.now(UTC) - timedelta(days=2)).isoformat()
    rows = ["external_id,published_at,author,rating,text"]
    for n, product in enumerate(PRODUCTS):
        for m, frame in enumerate(
            ("De {} was {}", "Mijn {} is {}", "{} gekregen: {}", "Die {} is {}")
        ):
            rows.append(f"d{n}-{m},{when},Klant,1,{frame.format(product, 'flubbig')}")
            rows.append(f"g{n}-{m},{when},Klant,5,{frame.format(product, 'glimmig')}")
    (tmp_path / "export.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    config.write_text(
        config.read_text(encoding="utf-8")
        + '\n[sources.export]\ntype = "file"\npath = "export.csv"\n',
        encoding="utf-8",
    )
    return config


def test_evaluate_prints_the_figures_and_what_it_left_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "eval.csv").write_text(EVAL, encoding="utf-8")
    assert main(["sentiment", "evaluate", "eval.csv"]) == 0
    out = capsys.readouterr().out
    assert "4 teksten" in out
    assert "Overgeslagen (onbekend label): mixed ×1" in out
    assert "accuracy        1.000" in out
    assert "negatief" in out and "verwarring" in out


def test_evaluate_json_is_one_object_with_the_named_figures(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "eval.csv").write_text(
        EVAL + '"Prima pan, heel tevreden.",neg\n', encoding="utf-8"
    )  # one gold label the model will not agree with
    assert main(["sentiment", "evaluate", "eval.csv", "--json", "--model", "lexicon"]) == 0
    figures = json.loads(capsys.readouterr().out)
    assert set(figures) == {"accuracy", "macro_f1", "neg_recall", "neg_precision", "n"}
    assert figures["n"] == 5
    assert figures["accuracy"] == 0.8
    assert figures["neg_recall"] == pytest.approx(2 / 3, abs=1e-4)
    assert figures["neg_precision"] == 1.0


def test_evaluate_a_file_that_is_not_there(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["sentiment", "evaluate", "weg.csv"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("Fout: weg.csv kan niet gelezen worden")
    assert len(err.strip().splitlines()) == 1


def test_train_says_where_the_data_should_be(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        main(["sentiment", "train", "--data", str(tmp_path), "--out", str(tmp_path / "m.pt")]) == 1
    )
    err = capsys.readouterr().err
    assert str(tmp_path) in err and "bolcom_book_reviews.csv" in err
    assert not (tmp_path / "m.pt").exists()


@pytest.mark.skipif(
    not SHARED.is_dir(), reason="the labelled files live in ../shared/data/sentiment"
)
def test_train_writes_a_model_that_scores(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    small = tmp_path / "data"
    small.mkdir()
    for path in SHARED.glob("*.csv"):  # the first 150 rows of each file: the same code, quicker
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        (small / path.name).write_text("".join(lines[:151]), encoding="utf-8")
    out = tmp_path / "m.pt"
    assert main(["sentiment", "train", "--data", str(small), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "bolcom" in printed and "macro-F1" in printed and "Model opgeslagen" in printed
    from sentiment import EmbeddedScorer

    scorer = EmbeddedScorer(out, REPO / "data" / "model" / "lexicon-nl.tsv")
    assert scorer(["Heel slecht, kapot geleverd."])[0].label == "negative"


def test_adapt_replaces_the_model_only_when_better(
    shop: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["run"]) == 0
    adapted = shop.parent / "model" / "ngram-shop.pt"
    capsys.readouterr()
    assert main(["sentiment", "adapt", "--dry-run"]) == 0
    assert "--dry-run" in capsys.readouterr().out
    assert not adapted.exists()

    assert main(["sentiment", "adapt"]) == 0
    out = capsys.readouterr().out
    assert "Getraind op 64 reviews, gemeten op 16 andere." in out
    assert "Beter" in out and str(adapted) in out
    assert adapted.is_file()
    scorer = scorer_for(load_settings(shop, env={}))
    assert scorer(["De vaas was flubbig"])[0].label == "negative"
    assert scorer(["De vaas was flubbig"])[0].model == "ngram-nl-1+shop"

    # Once adapted, adapting again on the same reviews is no better: the model stays.
    before = adapted.stat().st_mtime_ns
    assert main(["sentiment", "adapt"]) == 0
    assert "Niet beter" in capsys.readouterr().out
    assert adapted.stat().st_mtime_ns == before


def test_adapt_with_too_few_reviews(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                    capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("REVIEWWACHT_CONFIG", raising=False)
    monkeypatch.delenv("REVIEWWACHT_DATABASE_URL", raising=False)
    assert main(["init"]) == 0
    assert main(["sentiment", "adapt"]) == 1
    assert "Te weinig om op te leren: 0 beoordeelde reviews" in capsys.readouterr().err
    shutil.rmtree(tmp_path / "model", ignore_errors=True)


def test_one_config_line_switches_to_a_transformers_model(
    shop: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    directory = build_polar_model(tmp_path / "tiny-sentiment")
    shop.write_text(
        shop.read_text(encoding="utf-8") + f'\n[sentiment]\nmodel = "{directory}"\n',
        encoding="utf-8",
    )
    settings = load_settings(shop, env={})
    assert settings.sentiment.model == str(directory)
    assert main(["run"]) == 0
    assert "✓ scoren" in capsys.readouterr().out
    result = scorer_for(settings)(["Prima winkel, snel geleverd", "Great shop, fast delivery"])
    assert result[0].model == "transformers:tiny-sentiment+int8"
    assert result[1].model == "unscored"  # English, and the model reads Dutch only


def test_a_model_that_cannot_be_loaded_is_told_in_the_run_log(
    shop: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "geen-model"
    shop.write_text(
        shop.read_text(encoding="utf-8") + f'\n[sentiment]\nmodel = "{missing}"\n',
        encoding="utf-8",
    )
    main(["run"])
    out = capsys.readouterr()
    text = out.out + out.err
    assert "Het sentimentmodel" in text and "kan niet geladen worden" in text
    assert str(missing) in text
    assert "✓ rapport" in text  # the other stages go on


def test_a_model_that_cannot_be_loaded_is_told_for_known_languages_too(
    shop: Path, tmp_path: Path
) -> None:
    from monitor.scoring import ModelUnavailable

    shop.write_text(
        shop.read_text(encoding="utf-8") + f'\n[sentiment]\nmodel = "{tmp_path / "weg"}"\n',
        encoding="utf-8",
    )
    scorer = scorer_for(load_settings(shop, env={}))
    with pytest.raises(ModelUnavailable, match="kan niet geladen worden"):
        scorer.in_language(["Mooie pan"], "nl")  # type: ignore[attr-defined]
