"""Import every table model so SQLModel.metadata is complete (Alembic, tests)."""

from app.api.models import ApiRequest  # noqa: F401
from app.audit.models import AccessLogEntry  # noqa: F401
from app.catalog.models import Location, Offer, OfferTheme, Provider, ProviderContract, ProviderLanguage  # noqa: F401
from app.children.models import CheckIn  # noqa: F401
from app.complaints.models import (  # noqa: F401
    Complaint,
    ComplaintAttachment,
    ComplaintEvent,
    ComplaintMessage,
    ComplaintPart,
)
from app.dossier.models import DestructionRequest, JobReport, RetainedFigure  # noqa: F401
from app.identity.models import (  # noqa: F401
    ConsentRecord,
    Family,
    Invitation,
    LoginIdentity,
    Membership,
    Municipality,
    Organisation,
    Person,
    RevokedSession,
    StaffMembership,
)
from app.notifications.models import GoalFollow, Notification, NotificationPreference  # noqa: F401
from app.outbox.models import OutboxEvent, SyncWorkerLock  # noqa: F401
from app.plans.models import Agreement, ItemVersion, Plan, PlanItem, PlanVisit  # noqa: F401
from app.ratings.models import (  # noqa: F401
    OfferRatingFigure,
    Rating,
    RatingInvitation,
    RatingReply,
    RatingReport,
    RatingVersion,
)
from app.results.models import ConversationNote, FamilyVerdict, OutcomeAnswer, ResultVerdict  # noqa: F401
from app.zgw.models import ZgwRegistration, ZgwZaak  # noqa: F401
