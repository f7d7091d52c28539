"""HQ settings: a path means SQLite, PostgreSQL URLs get psycopg 3, workers read them back."""

from __future__ import annotations

from pathlib import Path

import pytest

from sync.hq import admin
from sync.hq.core.config import HQSettings


def test_database_url_forms(tmp_path: Path) -> None:
    assert HQSettings(database_url=str(tmp_path / "hq.db")).database_url == (
        f"sqlite:///{(tmp_path / 'hq.db').resolve()}"
    )
    assert HQSettings(database_url="postgres://hq@db/gate").database_url == (
        "postgresql+psycopg://hq@db/gate"
    )
    assert HQSettings().database_url.startswith("sqlite:///")


def test_settings_survive_the_trip_to_worker_processes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = HQSettings(
        database_url=str(tmp_path / "hq.db"), public_url="https://hq.example.cn", sql_echo=True
    )
    for name, value in settings.to_env().items():
        monkeypatch.setenv(name, value)
    assert HQSettings() == settings


def test_enroll_code_qr_holds_the_enroll_command(tmp_path: Path) -> None:
    settings = HQSettings(database_url=str(tmp_path / "hq.db"), public_url="https://hq.example.cn/")
    code = admin.make_enroll_code(settings, "PIT-9")
    assert code.qr_text == f"gateui enroll https://hq.example.cn {code.code}"
    assert len(code.code.replace("-", "")) == 12
    assert admin.list_devices(settings) == []
    assert admin.verify_all(settings) == []
