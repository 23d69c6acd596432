"""The API fixtures (app on SQLite and PostgreSQL, local JWKS, checking client) for the hostile-input tests."""

from tests.api.conftest import api, api_app, jwks  # noqa: F401  (fixtures)
