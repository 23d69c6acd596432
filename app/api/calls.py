"""What every API call shares: the access-log entry with the client as actor, and answers kept per request id."""

import hashlib
import json
import uuid
from dataclasses import dataclass, field

from sqlmodel import Session, select

from app.api.auth import ApiClient
from app.api.models import ApiRequest
from app.api.problems import ApiProblem
from app.audit.services import AuditActor, record

API_ROLE = "api_client"


@dataclass
class Answer:
    """A service's answer: the status and body, and what the access log should say it touched."""

    status: int
    body: dict
    family_id: str | None = None
    object_type: str = ""
    object_id: str = ""
    replayed: bool = False
    notes: list[str] = field(default_factory=list)


def api_actor(client_id: str | None) -> AuditActor:
    """The access log's actor for a client (the log keeps 20 characters; the detail keeps the whole id)."""
    return AuditActor(client_id[:20] if client_id else None, API_ROLE)


def log_call(session: Session, *, client_id: str | None, event: str, action: str, status: int, call: str,
             family_id: str | None = None, object_type: str = "", object_id: str = "", outcome: str = "success",
             reason: str = "") -> None:
    """Write the access-log entry of one API call (in the family's chain when it touched a family's data)."""
    detail = f"client={client_id or '-'} {call} -> {status}" + (f": {reason}" if reason else "")
    record(session, event=event, action=action, actor=api_actor(client_id), family_id=family_id,
           object_type=object_type, object_id=object_id, outcome=outcome, detail=detail)


def body_hash(body: dict) -> str:
    """The SHA-256 of the body as canonical JSON: the same request gives the same hash."""
    return hashlib.sha256(json.dumps(body, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def earlier_answer(session: Session, *, client: ApiClient, request_id: object, endpoint: str,
                   body: dict) -> Answer | None:
    """The answer given before to this request id, or None; a different request with the same id is refused.

    Only a UUID can have been answered before; anything else (a list, a number, a NUL) is left to the schema check.
    """
    if not _is_uuid(request_id):
        return None
    row = session.exec(select(ApiRequest).where(ApiRequest.client_id == client.client_id,
                                                ApiRequest.request_id == request_id)).first()
    if row is None:
        return None
    if row.endpoint != endpoint or row.body_hash != body_hash(body):
        raise ApiProblem("request-id-reused", "This request_id was already used for another request; send a new "
                         "UUID for each new request.", [("request_id", "already used for a different request")])
    return Answer(row.status, row.response, replayed=True)


def _is_uuid(value: object) -> bool:
    try:
        return isinstance(value, str) and bool(uuid.UUID(value))
    except ValueError:
        return False


def remember(session: Session, *, client: ApiClient, request_id: str | None, endpoint: str, body: dict,
             answer: Answer) -> Answer:
    """Keep a successful answer under its request id (in the transaction of the change it answers)."""
    if request_id:
        session.add(ApiRequest(client_id=client.client_id, request_id=request_id, endpoint=endpoint,
                               body_hash=body_hash(body), status=answer.status, response=answer.body))
        session.flush()
    return answer
