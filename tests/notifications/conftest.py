"""The plan fixtures, shared with the notifications tests, and the empty app for the tests that make their family."""

from tests.identity.conftest import any_bare_app, bare_app  # noqa: F401
from tests.plans.conftest import any_plan_app, plan_app  # noqa: F401
