"""The glance `gateui` paints its first screen from (`gateui.config_glance`) never says
anything the full validation (`gateui.config`, `gateui.cli.env.Env`) would not: it accepts
only what pydantic accepts unchanged, and resolves the data directory, language and
checkpoint as `Env` does."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pydantic
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gateui.cli.env import Env, Options
from gateui.config import SiteConfig
from gateui.config_glance import StartGlance, glance_site, glance_start
from gateui.errors import ConfigError

# Values for the glanced keys: plainly valid ones, and ones pydantic coerces or refuses.
_ANY = st.one_of(
    st.none(), st.booleans(), st.integers(-5, 400), st.floats(allow_nan=False), st.text(max_size=5)
)
_CHECKPOINT = st.fixed_dictionaries(
    {"code": st.sampled_from(["N1", "S1", "E1", 7]), "name": st.sampled_from(["北门", "", 3])}
)
_FIELDS: dict[str, st.SearchStrategy[Any]] = {
    "name": st.one_of(st.sampled_from(["三号矿", "", "Mine 3"]), _ANY),
    "timezone": st.one_of(st.sampled_from(["Asia/Shanghai", "UTC", "Mars/Base", "../x"]), _ANY),
    "language": st.one_of(st.sampled_from(["zh", "en", "EN", "fr"]), _ANY),
    "high_contrast": st.one_of(st.booleans(), st.sampled_from(["true", 1, 0, "no"])),
    "idle_lock_seconds": st.one_of(st.integers(0, 1000), st.sampled_from(["60", 60.0, True])),
    "checkpoints": st.one_of(st.lists(_CHECKPOINT, max_size=3), _ANY),
}
_TABLES = st.fixed_dictionaries({}, optional=_FIELDS)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_TABLES)
def test_a_glance_agrees_with_the_validated_site_or_says_nothing(table: dict[str, Any]) -> None:
    face = glance_site(table)
    if face is None:
        return
    site = SiteConfig.model_validate(table)  # a glanced table always validates
    assert (face.name, face.timezone, face.language) == (site.name, site.timezone, site.language)
    assert (face.high_contrast, face.idle_lock_seconds) == (
        site.high_contrast,
        site.idle_lock_seconds,
    )
    assert [(c.code, c.name) for c in face.checkpoints] == [
        (c.code, c.name) for c in site.checkpoints
    ]
    assert face.zone == site.zone


def test_plainly_valid_files_are_glanced_and_doubtful_ones_are_not() -> None:
    plain = {
        "name": "三号矿",
        "timezone": "UTC",
        "language": "en",
        "high_contrast": True,
        "idle_lock_seconds": 60,
        "checkpoints": [{"code": "E1", "name": "东门"}],
    }
    face = glance_site(plain)
    assert face is not None and face.checkpoint(None).code == "E1"
    assert glance_site({}) is not None  # the defaults, as SiteConfig() has them
    for key, doubtful in [
        ("high_contrast", "true"),  # pydantic would coerce it
        ("idle_lock_seconds", 5),  # pydantic would refuse it
        ("timezone", "Mars/Base"),
        ("checkpoints", [{"code": "A", "name": "a"}, {"code": "A", "name": "b"}]),
        ("checkpoints", []),
        ("language", "EN"),
    ]:
        assert glance_site(plain | {key: doubtful}) is None, key


def test_the_glance_of_an_empty_table_is_the_defaults() -> None:
    face, site = glance_site({}), SiteConfig()
    assert face is not None
    assert (face.name, face.timezone, face.language, face.idle_lock_seconds) == (
        site.name,
        site.timezone,
        site.language,
        site.idle_lock_seconds,
    )
    assert [(c.code, c.name) for c in face.checkpoints] == [
        (c.code, c.name) for c in site.checkpoints
    ]


def _env_view(opts: Options) -> tuple[Path, Path, str, str] | None:
    """What `Env` makes of the options, the environment and the file; None if it refuses."""
    try:
        env = Env(opts)
        code = env.site.checkpoint(env.checkpoint).code
        return env.settings.home, env.config_path, env.lang, code
    except (ConfigError, pydantic.ValidationError):
        return None


def _glance_view(glance: StartGlance | None) -> tuple[Path, Path, str, str] | None:
    if glance is None:
        return None
    return glance.home, glance.config_path, glance.lang, glance.checkpoint_code


SITE_EN = """[site]
name = "Mine"
language = "en"
checkpoints = [{code = "E1", name = "East"}, {code = "W1", name = "West"}]
"""


@pytest.mark.parametrize(
    ("environ", "opts", "site_text"),
    [
        ({}, {}, None),
        ({"GATEUI_LANG": "en"}, {}, None),
        ({"GATEUI_LANG": "en"}, {"lang": "zh"}, None),
        ({"gateui_lang": "en"}, {}, None),  # pydantic-settings ignores the case
        ({}, {}, SITE_EN),
        ({"GATEUI_CHECKPOINT": "W1"}, {}, SITE_EN),
        ({"GATEUI_CHECKPOINT": ""}, {}, SITE_EN),
        ({}, {"checkpoint": "E1", "lang": "zh"}, SITE_EN),
        ({}, {"config": "other.toml"}, None),  # a missing file given by name: refused
    ],
)
def test_the_glance_resolves_options_environment_and_file_as_env_does(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    environ: dict[str, str],
    opts: dict[str, str],
    site_text: str | None,
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    for name in ("GATEUI_HOME", "GATEUI_LANG", "GATEUI_CHECKPOINT"):
        monkeypatch.delenv(name, raising=False)
    environ = {"GATEUI_HOME": str(home)} | environ
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    if site_text is not None:
        (home / "site.toml").write_text(site_text, encoding="utf-8")
    options = Options(
        config=home / opts["config"] if "config" in opts else None,
        lang=opts.get("lang"),
        checkpoint=opts.get("checkpoint"),
    )
    glance = glance_start(options.data_dir, options.config, options.lang, options.checkpoint)
    assert _glance_view(glance) == _env_view(options)


@pytest.mark.parametrize(
    "environ",
    [
        {"GATEUI_LANG": "fr"},  # Env refuses it, with its message
        {"GATEUI_LANG": "en", "gateui_lang": "zh"},  # two spellings disagree
        {"GATEUI_HOME": ""},
        {"GATEUI_CHECKPOINT": "X9"},  # unknown here: Env says so
    ],
)
def test_a_doubtful_environment_is_left_to_the_full_validation(
    tmp_path: Path, environ: dict[str, str]
) -> None:
    assert glance_start(tmp_path, None, None, None, environ={"GATEUI_HOME": "x"} | environ) is None
