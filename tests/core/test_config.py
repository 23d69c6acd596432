"""Configuration from the environment, and refusing unsafe settings."""

import pytest

from app import create_app
from app.config import ConfigError


def test_production_refuses_to_start_without_secret(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("DEMO", raising=False)
    monkeypatch.setenv("APP_ENV", "production")
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        create_app()


def test_production_refuses_demo(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.setenv("DEMO", "1")
    monkeypatch.setenv("APP_ENV", "production")
    with pytest.raises(ConfigError, match="DEMO"):
        create_app()


def test_default_environment_is_production(monkeypatch):
    monkeypatch.delenv("APP_ENV", raising=False)
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.delenv("DEMO", raising=False)
    app = create_app()
    assert app.config["ENV_NAME"] == "production"
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["DEMO"] is False


def test_settings_come_from_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("APP_ENV", "development")
    monkeypatch.setenv("SECRET_KEY", "y" * 40)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/x.db")
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:1/0")
    app = create_app()
    assert app.config["DATABASE_URL"].endswith("/x.db")
    assert app.config["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:1/0"
    assert app.config["SECRET_KEY"] == "y" * 40


def test_development_without_secret_needs_demo(monkeypatch):
    monkeypatch.setenv("APP_ENV", "development")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("DEMO", raising=False)
    with pytest.raises(ConfigError):
        create_app()


def test_default_database_is_sqlite_under_instance(monkeypatch):
    monkeypatch.setenv("APP_ENV", "development")
    monkeypatch.setenv("SECRET_KEY", "z" * 40)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    app = create_app()
    assert app.config["DATABASE_URL"].startswith("sqlite:///")
    assert app.config["DATABASE_URL"].endswith("instance/onsplan.db")


def test_behind_a_proxy_the_forwarded_scheme_and_host_are_used(monkeypatch):
    monkeypatch.setenv("APP_ENV", "development")
    monkeypatch.setenv("SECRET_KEY", "p" * 40)
    monkeypatch.setenv("PROXY_HOPS", "1")
    app = create_app()

    @app.get("/test-external")
    def external():
        from flask import url_for

        return url_for("web.index", _external=True)

    response = app.test_client().get("/test-external", headers={"X-Forwarded-Proto": "https",
                                                                 "X-Forwarded-Host": "onsplan.example.nl"})
    assert response.get_data(as_text=True) == "https://onsplan.example.nl/"
