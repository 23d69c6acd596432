"""Import every table model so SQLModel.metadata is complete (Alembic, tests)."""

from app.identity.models import (  # noqa: F401
    Family,
    Membership,
    Municipality,
    Organisation,
    Person,
    StaffMembership,
)
from app.plans.models import Plan  # noqa: F401
