"""Fixtures for the production tests: one migrated and seeded PostgreSQL database to copy for each test."""

import uuid

import pytest

from tests.production.support import app_env, copy_database
from tests.support.servers import AppServer


@pytest.fixture(scope="session")
def seeded_template(postgres) -> str:
    """A database made the way an operator makes one (`flask db upgrade`, `flask demo seed`); tests copy it."""
    name = f"seeded_{uuid.uuid4().hex[:8]}"
    url = postgres.create_database(name)
    seeder = AppServer(app_env(url))
    seeder.flask("db", "upgrade")
    seeder.flask("demo", "seed")
    return name


@pytest.fixture
def fresh_copy(postgres, seeded_template):
    """Return a function that makes a new copy of the seeded database and returns its URL."""
    return lambda prefix="p": copy_database(postgres, seeded_template, prefix)
