"""The plan to take along: a FHIR R4 Bundle and a PDF, each with only what this reader may see.

FHIR mapping (DOMAIN.md §7.1): one CarePlan (status draft|agreeing → "draft", fixed → "active"; intent "plan";
subject Group/<family>), one Goal per visible goal ("accepted" once everyone required agreed, else "proposed"),
one CareTeam of the family's members. Youths are Patient, professionals Practitioner, parents and network
RelatedPerson. Inside the bundle entries point at each other by urn:uuid fullUrls (a collection has no server
base to resolve "Goal/<id>" against); people and the family are plain relative references, not in the bundle.
No BSN and no birth dates: the reader's view has names and texts only.
"""

import uuid

from flask import render_template
from flask_babel import force_locale, format_date, get_locale
from flask_babel import gettext as _
from sqlmodel import Session

from app.audit.services import AuditActor, record
from app.core.clock import today, utcnow
from app.plans.context import PlanContext
from app.plans.labels import domain_label, section_label
from app.plans.models import ItemKind, PlanItem, PlanStatus
from app.plans.queries import ItemView, PlanView, build
from app.web.labels import role_label

ACHIEVEMENT = "http://terminology.hl7.org/CodeSystem/goal-achievement"
# Parts the parents may not see (a 16-year-old's private item, or withheld by the professional) are labelled
# restricted, so a receiving system keeps them from the parents too; the CarePlan takes the highest label.
RESTRICTED = {"security": [{"system": "http://terminology.hl7.org/CodeSystem/v3-Confidentiality", "code": "R",
                            "display": "restricted"}]}
CAREPLAN_STATUS = {PlanStatus.DRAFT: "draft", PlanStatus.AGREEING: "draft", PlanStatus.FIXED: "active"}
PERSON_RESOURCE = {"youth": "Patient", "professional": "Practitioner"}  # parents and network: RelatedPerson
NOTE_KINDS = (ItemKind.STRENGTH, ItemKind.WORRY, ItemKind.SAFETY, ItemKind.EVALUATION, ItemKind.OWN_WORDS)
STATED_KINDS = (*NOTE_KINDS, ItemKind.ACTION)  # the plan's own parts whose statements are CarePlan notes (goals: Goal)
_URN_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://onsplan.invalid/fhir")


def printable(session: Session, *, ctx: PlanContext, channel: str) -> PlanView:
    """Build the plan as this reader may see it for printing or export, and log the export."""
    plan_view = build(session, ctx=ctx, record_visit=False)
    record(session, event="plan.export", action="read", actor=AuditActor(ctx.actor.person_id, ctx.actor.role),
           family_id=ctx.plan.family_id, object_type="plan", object_id=ctx.plan.id, detail=channel)
    return plan_view


def pdf(session: Session, *, ctx: PlanContext, language: str) -> bytes:
    """Render the plan as a PDF in the reader's language."""
    from weasyprint import HTML  # loads Pango: only when someone asks for a PDF
    from weasyprint.urls import URLFetcher

    plan_view = printable(session, ctx=ctx, channel="pdf")
    with force_locale(language):
        html = render_template("export/print.html", pv=plan_view, language=language, printed_on=today())
    # Nothing outside the document is fetched: no files, no network (the template needs neither).
    return HTML(string=html, url_fetcher=URLFetcher(allowed_protocols=())).write_pdf()


def fhir_bundle(session: Session, *, ctx: PlanContext) -> dict:
    """Return the plan as a FHIR R4 Bundle of type collection: CarePlan, Goals and CareTeam."""
    plan_view = printable(session, ctx=ctx, channel="fhir")
    goals = [_goal(plan_view, view, restricted=view.hidden_from_parents) for view in plan_view.sections[ItemKind.GOAL]]
    team = _care_team(plan_view)
    notes = [view for views in plan_view.notes_by_goal.values() for note in views for view in (note, *note.replies)]
    restricted = any(view.hidden_from_parents for views in [*plan_view.sections.values(), notes] for view in views)
    resources = [_care_plan(plan_view, goals, team, restricted=restricted), *goals, team]
    return {"resourceType": "Bundle", "type": "collection", "timestamp": utcnow().isoformat(timespec="seconds"),
            "entry": [{"fullUrl": _urn(resource["resourceType"], resource["id"]), "resource": resource}
                      for resource in resources]}


def _care_plan(pv: PlanView, goals: list[dict], team: dict, *, restricted: bool) -> dict:
    plan, family = pv.ctx.plan, pv.ctx.access.family
    visible = [view.item for views in pv.sections.values() for view in views]
    authors = list(dict.fromkeys(item.author_id for item in visible))
    professional = next((p.id for m, p in pv.ctx.rows if m.role == "professional"), None)
    return _clean({
        "resourceType": "CarePlan", "id": plan.id, "meta": RESTRICTED if restricted else None,
        "language": _language(),
        "status": CAREPLAN_STATUS[pv.standing.status], "intent": "plan",
        "title": _("Family plan %(name)s", name=family.name),
        "subject": {"reference": f"Group/{family.id}", "display": family.name},
        "created": plan.created_at.isoformat(timespec="seconds"),
        "author": _person(pv, professional) if professional else None,
        "contributor": [_person(pv, person_id) for person_id in authors],
        "careTeam": [{"reference": _urn("CareTeam", team["id"])}],
        "goal": [{"reference": _urn("Goal", goal["id"])} for goal in goals],
        "activity": [_activity(pv, view.item) for view in pv.sections[ItemKind.ACTION]]
                    + [_help(pv, goal_id, notes) for goal_id, notes in pv.notes_by_goal.items()],
        "note": [_note(pv, view.item) for kind in NOTE_KINDS for view in pv.sections[kind]]
                + [_statement(pv, view, statement) for kind in STATED_KINDS for view in pv.sections[kind]
                   for statement in view.statements]
                + [_note(pv, view.item) for view in pv.dossier_statements],
    })


def _activity(pv: PlanView, action: PlanItem) -> dict:
    """One task (wie doet wat): done or not yet, by whom, by when, for which goal."""
    goal_visible = action.goal_id is not None and action.goal_id in pv.agreement
    return {"detail": _clean({
        "kind": "Task", "status": "completed" if action.is_done else "not-started", "description": action.text,
        "scheduledPeriod": {"end": action.due_date.isoformat()} if action.due_date else None,
        "performer": [_person(pv, action.owner_id)] if action.owner_id else [],
        "goal": [{"reference": _urn("Goal", action.goal_id)}] if goal_visible else [],
    })}


def _help(pv: PlanView, goal_id: str, notes: list) -> dict:
    """The help assigned to a goal, with its progress notes and the family's reactions as `progress`, in order."""
    assignment = next((row for row in reversed(pv.ctx.assignments)
                       if row.goal_id == goal_id and row.status == "assigned"), None)
    started, stopped = (assignment.care_started_on, assignment.care_stopped_on) if assignment else (None, None)
    status = "completed" if stopped else "in-progress" if started else "not-started"
    progress = [said.item for note in notes for view in (note, *note.replies) for said in (view, *view.statements)]
    return {"progress": [_annotation(pv, item) for item in progress], "detail": _clean({
        "kind": "ServiceRequest", "status": status,
        "description": f"{assignment.offer.name} ({assignment.offer.provider.name})" if assignment else None,
        "goal": [{"reference": _urn("Goal", goal_id)}],
    })}


def _annotation(pv: PlanView, item: PlanItem) -> dict:
    """A progress note (dated) or a reaction as a FHIR Annotation."""
    when = f"{format_date(item.due_date, 'long')}: " if item.kind == ItemKind.NOTE and item.due_date else ""
    return {"authorString": pv.names.get(item.author_id, ""), "time": item.created_at.isoformat(timespec="seconds"),
            "text": f"{section_label(item.kind)} — {when}{item.text}"}


def _statement(pv: PlanView, about: ItemView, statement: ItemView) -> dict:
    """A betrokkene's own statement (7.3.8 lid 2) as an annotation by them, naming the part it is about."""
    return {"authorReference": _person(pv, statement.item.author_id),
            "time": statement.item.created_at.isoformat(timespec="seconds"),
            "text": f"{section_label(ItemKind.STATEMENT)} ({section_label(about.item.kind)}: "
                    f"{about.item.text[:80]}): {statement.item.text}"}


def _goal(pv: PlanView, view: ItemView, *, restricted: bool) -> dict:
    goal = view.item
    state = pv.agreement.get(goal.id)
    subject = _person(pv, goal.youth_id) if goal.youth_id in pv.ctx.people else _family(pv)
    notes = [{"authorReference": _person(pv, goal.author_id), "text": goal.result} if goal.result else None,
             {"text": f"{_('Who helps')}: {goal.helpers}"} if goal.helpers else None] \
        + [_statement(pv, view, statement) for statement in view.statements]
    return _clean({
        "resourceType": "Goal", "id": goal.id, "meta": RESTRICTED if restricted else None,
        "language": _language(),
        "lifecycleStatus": "accepted" if state is not None and state.complete else "proposed",
        "achievementStatus": {"coding": [{"system": ACHIEVEMENT, "code": "in-progress", "display": "In Progress"}]},
        "category": [{"text": domain_label(goal.domain)}],
        "description": {"text": goal.text},
        "subject": subject,
        "startDate": goal.created_at.date().isoformat(),
        "target": [{"dueDate": goal.due_date.isoformat()}] if goal.due_date else [],
        "expressedBy": _person(pv, goal.author_id),
        "note": notes,
    })


def _care_team(pv: PlanView) -> dict:
    family = pv.ctx.access.family
    participants = []
    for membership, person in pv.ctx.rows:
        role = role_label(membership.role)
        if membership.role == "parent" and membership.has_custody:
            role = f"{role} ({_('with parental authority')})"
        participants.append({"role": [{"text": role}], "member": _person(pv, person.id)})
    return _clean({"resourceType": "CareTeam", "id": family.id, "language": _language(), "status": "active",
                   "name": _("Family plan %(name)s", name=family.name), "subject": _family(pv),
                   "participant": participants})


def _note(pv: PlanView, item: PlanItem) -> dict:
    """A part of the plan without its own FHIR element, as an annotation: "<section>: <text>"."""
    when = f" ({format_date(item.due_date, 'long')})" if item.due_date else ""
    return {"authorReference": _person(pv, item.author_id), "time": item.updated_at.isoformat(timespec="seconds"),
            "text": f"{section_label(item.kind)}{when}: {item.text}"}


def _person(pv: PlanView, person_id: str) -> dict:
    resource = PERSON_RESOURCE.get(pv.ctx.role_of(person_id) or "", "RelatedPerson")
    return _clean({"reference": f"{resource}/{person_id}", "display": pv.names.get(person_id)})


def _family(pv: PlanView) -> dict:
    family = pv.ctx.access.family
    return {"reference": f"Group/{family.id}", "display": family.name}


def _urn(resource_type: str, resource_id: str) -> str:
    """A stable urn:uuid for a resource in the bundle (the same plan exports to the same fullUrls)."""
    return f"urn:uuid:{uuid.uuid5(_URN_NAMESPACE, f'{resource_type}/{resource_id}')}"


def _language() -> str | None:
    locale = get_locale()
    return str(locale).replace("_", "-") if locale else None


def _clean(value):
    """Drop empty values: FHIR allows no empty strings, lists or objects."""
    if isinstance(value, dict):
        cleaned = {key: _clean(item) for key, item in value.items()}
        return {key: item for key, item in cleaned.items() if item not in (None, "", [], {})}
    if isinstance(value, list):
        return [item for item in (_clean(item) for item in value) if item not in (None, "", [], {})]
    return value
