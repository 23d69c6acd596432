"""The demo family with its plan (`any_plan_app`: also on PostgreSQL)."""

from tests.plans.conftest import any_plan_app, plan_app  # noqa: F401
