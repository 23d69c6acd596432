"""Web fixtures: the empty app of the identity tests, for pages checked with people the test makes."""

from tests.identity.conftest import bare_app  # noqa: F401
