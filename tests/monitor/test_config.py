"""Configuration: defaults, the user file, the environment, and one-line errors naming the key."""

from __future__ import annotations

import re
import tomllib
from importlib import resources
from pathlib import Path

import pytest

from monitor.config import load_settings
from monitor.errors import ConfigError


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_alone_validate(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    settings = load_settings(env={})
    assert settings.config_file is None
    assert settings.drafts.address == "u"
    assert settings.report.promise_hours == 24
    assert settings.sources == ()
    # A relative SQLite path counts from the working directory when there is no config file.
    assert settings.database_url == f"sqlite:///{tmp_path / 'reviewwacht.sqlite'}"


def test_user_file_overrides_defaults_and_env_overrides_file(tmp_path: Path) -> None:
    config = write(
        tmp_path / "shop.toml",
        '[shop]\nname = "De Pollepel"\n[http]\ntimeout_seconds = 5\n'
        '[database]\nurl = "sqlite:///data/rw.sqlite"\n',
    )
    env = {
        "REVIEWWACHT_HTTP__TIMEOUT_SECONDS": "7.5",
        "REVIEWWACHT_DRAFTS__SIGNATURE": "Sanne",
        "UNRELATED": "x",
    }
    settings = load_settings(config, env=env)
    assert settings.shop.name == "De Pollepel"
    assert settings.http.timeout_seconds == 7.5
    assert settings.drafts.signature == "Sanne"
    assert settings.http.retries == 3  # untouched default
    # Relative SQLite paths count from the config file's folder, wherever the command runs.
    assert settings.database_url == f"sqlite:///{tmp_path / 'data' / 'rw.sqlite'}"


def test_database_url_from_environment(tmp_path: Path) -> None:
    config = write(tmp_path / "c.toml", '[database]\nurl = "sqlite:///a.sqlite"\n')
    env = {"REVIEWWACHT_DATABASE_URL": "postgresql+psycopg://rw:geheim@db.example/rw"}
    settings = load_settings(config, env=env)
    assert settings.database_url == "postgresql+psycopg://rw:geheim@db.example/rw"
    assert "geheim" in settings.secrets()
    assert "geheim" not in repr(settings)


def test_config_file_found_through_environment_and_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    named = write(tmp_path / "elders.toml", '[shop]\nname = "Via env"\n')
    assert load_settings(env={"REVIEWWACHT_CONFIG": str(named)}).shop.name == "Via env"
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "reviewwacht.toml", '[shop]\nname = "Lokaal"\n')
    assert load_settings(env={}).shop.name == "Lokaal"


def test_sources_are_validated_by_their_collector(tmp_path: Path) -> None:
    config = write(
        tmp_path / "c.toml",
        '[sources.export]\ntype = "file"\npath = "kiyoh.csv"\nrating_max = 10\n'
        '[sources.productpaginas]\ntype = "schemaorg"\nurls = ["https://shop.example/p"]\n'
        '[sources.schemaorg]\nenabled = false\nurls = ["https://shop.example/q"]\n',
    )
    settings = load_settings(config, env={})
    labels = {source.label: source for source in settings.sources}
    assert labels["export"].type == "file"
    assert labels["export"].settings.path == str(tmp_path / "kiyoh.csv")  # from the file's folder
    assert labels["export"].settings.rating_max == 10
    assert labels["schemaorg"].type == "schemaorg"  # the type defaults to the label
    assert [s.label for s in settings.enabled_sources()] == ["export", "productpaginas"]


@pytest.mark.parametrize(
    ("toml", "env", "key", "expected"),
    [
        ('[http]\ntimeout_seconds = "snel"\n', {}, "http.timeout_seconds", "een getal"),
        ("[http]\ntimeout_seconds = 0\n", {}, "http.timeout_seconds", "groter dan 0"),
        ('[drafts]\nregister = "jij"\n', {}, "drafts.register", "een van: 'u' of 'je'"),
        ('[shop]\ntimezone = "Europa/Utrecht"\n', {}, "shop.timezone", "Europe/Amsterdam"),
        ("[report]\npromise_hour = 24\n", {}, "report.promise_hour", "onbekende instelling"),
        ('[database]\nurl = "mysql://x"\n', {}, "database.url", "sqlite"),
        (
            '[sources.export]\ntype = "file"\nurl = "ftp://x/e.csv"\n',
            {},
            "sources.export.url",
            "http",
        ),
        (
            '[sources.x]\ntype = "myspace"\n',
            {},
            "sources.x.type",
            "een van: feed, feedbackcompany, file, google",
        ),
        ('[sources.x]\ntype = "file"\n', {}, "sources.x", "precies één van 'path' of 'url'"),
        ("", {"REVIEWWACHT_PIPELINE__BATCH_SIZE": "veel"}, "pipeline.batch_size", "geheel getal"),
        ('[sentiment]\nquantize = "int4"\n', {}, "sentiment.quantize", "int8"),
        ('[sentiment]\nlabels = {LABEL_0 = "boos"}\n', {}, "sentiment.labels.LABEL_0", "negative"),
        ('[sentiment]\nlanguages = ["dutch"]\n', {}, "sentiment.languages", "twee letters"),
    ],
)
def test_a_bad_value_gives_one_line_naming_the_key(
    tmp_path: Path, toml: str, env: dict[str, str], key: str, expected: str
) -> None:
    config = write(tmp_path / "c.toml", toml)
    with pytest.raises(ConfigError) as caught:
        load_settings(config, env=env)
    message = str(caught.value)
    assert "\n" not in message
    assert f"{key}:" in message
    assert expected in message


def test_an_error_from_the_environment_names_the_variable(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="REVIEWWACHT_HTTP__RETRIES"):
        load_settings(write(tmp_path / "c.toml", ""), env={"REVIEWWACHT_HTTP__RETRIES": "-1"})


def test_a_secret_is_not_repeated_in_an_error(tmp_path: Path) -> None:
    config = write(tmp_path / "c.toml", "")
    with pytest.raises(ConfigError) as caught:
        load_settings(config, env={"REVIEWWACHT_DATABASE_URL": "oracle://u:topgeheim@h/d"})
    assert "topgeheim" not in str(caught.value)
    assert "database.url" in str(caught.value)


def test_invalid_toml_and_missing_file_are_one_line(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="geen geldige TOML") as caught:
        load_settings(write(tmp_path / "c.toml", "[shop\nname="), env={})
    assert "\n" not in str(caught.value)
    with pytest.raises(ConfigError, match="bestaat niet"):
        load_settings(tmp_path / "nergens.toml", env={})


def test_environment_lists_use_toml_syntax(tmp_path: Path) -> None:
    config = write(
        tmp_path / "c.toml", '[sources.pagina]\ntype = "schemaorg"\nurls = ["https://a.example/"]\n'
    )
    env = {"REVIEWWACHT_SOURCES__PAGINA__URLS": '["https://b.example/1", "https://b.example/2"]'}
    (source,) = load_settings(config, env=env).sources
    assert source.settings.urls == ["https://b.example/1", "https://b.example/2"]


def test_the_init_template_is_valid_and_only_uses_known_keys() -> None:
    template = resources.files("monitor").joinpath("config_template.toml").read_text("utf-8")
    defaults = tomllib.loads(
        resources.files("monitor").joinpath("defaults.toml").read_text("utf-8")
    )
    # Every commented-out example, switched on, must still be a valid configuration.
    example = re.compile(r"^# (\[[^\]]+\](\s+#.*)?|[a-z_]+ = .+)$")
    uncommented = "\n".join(
        line[2:] if example.match(line) else line for line in template.splitlines()
    )
    data = tomllib.loads(uncommented)
    for section, values in data.items():
        if section == "sources":
            continue
        assert section in defaults
        assert set(values) <= set(defaults[section]), section
    settings = load_settings(discover=False, env={}, overrides=data)
    from scrapers.registry import COLLECTORS

    # Every source type has an example, and every example is valid as written.
    types = {source.type for source in settings.sources}
    assert types | {"klantenvertellen"} == set(COLLECTORS)


def test_a_check_on_a_whole_source_never_prints_its_secrets(tmp_path: Path) -> None:
    config = write(
        tmp_path / "c.toml",
        '[sources.x]\ntype = "file"\npath = "a.csv"\nurl = "https://x.example/e.csv?code=geheim123"\n',
    )
    with pytest.raises(ConfigError) as caught:
        load_settings(config, env={})
    message = str(caught.value)
    assert "sources.x: verwacht precies één van 'path' of 'url', kreeg een tabel" in message
    assert "geheim123" not in message


def test_a_source_can_be_switched_off_from_the_environment(tmp_path: Path) -> None:
    config = write(tmp_path / "c.toml", '[sources.export]\ntype = "file"\npath = "a.csv"\n')
    settings = load_settings(config, env={"REVIEWWACHT_SOURCES__EXPORT__ENABLED": "false"})
    assert settings.enabled_sources() == []


def test_a_home_folder_path_is_expanded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    config = write(
        tmp_path / "c.toml", '[sources.export]\ntype = "file"\npath = "~/exports/a.csv"\n'
    )
    (source,) = load_settings(config, env={}).sources
    assert source.settings.path == str(tmp_path / "home" / "exports" / "a.csv")


def test_a_broken_address_gets_a_dutch_message(tmp_path: Path) -> None:
    config = write(
        tmp_path / "c.toml", '[sources.p]\ntype = "schemaorg"\nurls = ["http://[::1/"]\n'
    )
    with pytest.raises(ConfigError) as caught:
        load_settings(config, env={})
    assert "sources.p.urls: verwacht een geldig http://- of https://-adres" in str(caught.value)
    assert "Invalid" not in str(caught.value)


def test_secrets_in_the_database_query_string_are_masked_and_known() -> None:
    from monitor.db import safe_url

    url = "postgresql+psycopg://app:pw-1234@db.example/shop?password=Geheim123&sslmode=require"
    shown = safe_url(url)
    assert "Geheim123" not in shown
    assert "pw-1234" not in shown
    assert shown == "postgresql+psycopg://app:***@db.example/shop?password=***&sslmode=require"
    settings = load_settings(discover=False, env={"REVIEWWACHT_DATABASE_URL": url})
    assert {"pw-1234", "Geheim123"} <= set(settings.secrets())


def test_a_webhook_urls_path_and_query_are_secrets_too() -> None:
    url = "https://hooks.slack.example/services/T000/B000/geheim-token-123?key=abcdefgh12"
    settings = load_settings(discover=False, env={"REVIEWWACHT_ALERTS__WEBHOOK_URL": url})
    secrets = set(settings.secrets())
    assert {url, "/services/T000/B000/geheim-token-123", "key=abcdefgh12"} <= secrets
    short = load_settings(
        discover=False, env={"REVIEWWACHT_ALERTS__WEBHOOK_URL": "https://h.example/"}
    )
    assert "/" not in short.secrets() and "" not in short.secrets()
