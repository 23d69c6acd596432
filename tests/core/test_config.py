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

        return url_for("home.index", _external=True)

    response = app.test_client().get("/test-external", headers={"X-Forwarded-Proto": "https",
                                                                 "X-Forwarded-Host": "onsplan.example.nl"})
    assert response.get_data(as_text=True) == "https://onsplan.example.nl/"


def test_production_with_mail_refuses_to_start_without_site_url(monkeypatch):
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "m" * 40)
    monkeypatch.delenv("DEMO", raising=False)
    monkeypatch.setenv("MAIL_SERVER", "smtp.example.nl")
    monkeypatch.delenv("SITE_URL", raising=False)
    with pytest.raises(ConfigError, match="SITE_URL"):
        create_app()
    monkeypatch.setenv("SITE_URL", "http://127.0.0.1:5000")
    with pytest.raises(ConfigError, match="SITE_URL"):
        create_app()
    monkeypatch.setenv("SITE_URL", "https://onsplan.gemeente.example")
    assert create_app().config["SITE_URL"] == "https://onsplan.gemeente.example"


def test_demo_derives_the_api_issuer_and_keys_from_where_the_simulator_runs(monkeypatch):
    monkeypatch.setenv("APP_ENV", "development")
    monkeypatch.setenv("DEMO", "1")
    monkeypatch.setenv("SECRET_KEY", "d" * 40)
    for name in ("SIMULATOR_URL", "API_ISSUER", "API_JWKS_URL", "SYNC_TOKEN_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SYNC_ENDPOINT", "http://127.0.0.1:5002/events")  # the simulator moved to 5002
    config = create_app().config
    assert config["API_ISSUER"] == "http://127.0.0.1:5002"
    assert config["API_JWKS_URL"] == "http://127.0.0.1:5002/.well-known/jwks.json"
    assert config["SYNC"]["token_url"] == "http://127.0.0.1:5002/token"
    monkeypatch.delenv("SYNC_ENDPOINT")
    monkeypatch.setenv("SIMULATOR_URL", "http://127.0.0.1:5003/")
    config = create_app().config
    assert (config["API_ISSUER"], config["SYNC"]["endpoint"]) == ("http://127.0.0.1:5003",
                                                                  "http://127.0.0.1:5003/events")
    monkeypatch.delenv("DEMO")  # outside the demo nothing is guessed
    config = create_app().config
    assert (config["API_ISSUER"], config["API_JWKS_URL"], config["SYNC"]["endpoint"]) == ("", "", "")
