"""The migrations build the schema the models describe, on SQLite and on PostgreSQL."""

import uuid

import pytest
import sqlalchemy as sa
from alembic import command

from app import create_app
from app.core.migrate import alembic_config


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database_url(request, tmp_path):
    if request.param == "postgresql":
        return request.getfixturevalue("postgres").create_database(f"m_{uuid.uuid4().hex[:12]}")
    return f"sqlite:///{tmp_path / 'migrations.db'}"


def test_upgrade_then_check_finds_no_difference(empty_database_url):
    app = create_app({"ENV_NAME": "test", "DATABASE_URL": empty_database_url})
    with app.app_context():
        config = alembic_config(empty_database_url)
        command.upgrade(config, "head")
        command.check(config)  # raises when models and migrations disagree
        tables = set(sa.inspect(sa.create_engine(empty_database_url)).get_table_names())
    assert {"person", "family", "membership", "municipality", "organisation", "staff_membership",
            "plan", "alembic_version"} <= tables


def test_downgrade_to_base_and_up_again(empty_database_url):
    app = create_app({"ENV_NAME": "test", "DATABASE_URL": empty_database_url})
    with app.app_context():
        config = alembic_config(empty_database_url)
        command.upgrade(config, "head")
        command.downgrade(config, "base")
        assert set(sa.inspect(sa.create_engine(empty_database_url)).get_table_names()) == {"alembic_version"}
        command.upgrade(config, "head")


def test_flask_db_upgrade_command(tmp_path):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    app = create_app({"ENV_NAME": "test", "DATABASE_URL": url})
    result = app.test_cli_runner().invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    result = app.test_cli_runner().invoke(args=["db", "check"])
    assert result.exit_code == 0, result.output
    assert "agree" in result.output
