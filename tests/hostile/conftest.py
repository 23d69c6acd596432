"""The API fixtures (local JWKS, checking client) for the hostile-input tests, which all run on SQLite and on
PostgreSQL (the `any_` fixtures): PostgreSQL refuses what SQLite lets through (a NUL, a value longer than its
column), so hostile input is a question for each database."""

from tests.api.conftest import any_api, any_api_app, jwks  # noqa: F401  (fixtures)
