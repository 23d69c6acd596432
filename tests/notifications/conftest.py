"""The plan fixtures, shared with the notifications tests."""

from tests.plans.conftest import any_plan_app, plan_app  # noqa: F401
