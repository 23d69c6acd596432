"""Complaint pages: the ways to complain (public), filing, the complainant's view, and the handler's queue."""

from flask import Blueprint, Response, flash, g, request, send_file, url_for
from flask_babel import gettext as _
from wtforms.fields.choices import SelectChoice

from app.complaints import files, handling, services
from app.complaints.forms import (
    AssignForm,
    AttachmentForm,
    CloseForm,
    ComplaintForm,
    ExtendForm,
    ForwardForm,
    JudgeForm,
    MessageForm,
    ReactionForm,
    SatisfactionForm,
    StatusForm,
)
from app.complaints.vocab import (
    AUDIT_EVENTS,
    CHILD_REGIMES,
    EVENT_KINDS,
    OUTCOMES,
    REGIMES,
    STATUSES,
    SUBJECTS,
    label,
)
from app.core.errors import NotAllowed, ValidationFailed
from app.extensions import db
from app.identity.auth import load_current_person, login_required
from app.web.errors import error_response
from app.web.limits import per_person
from app.web.render import render, see_other

bp = Blueprint("complaints", __name__, url_prefix="/klachten")
WORDS = {"subject_label": SUBJECTS, "status_label": STATUSES, "event_kind_label": EVENT_KINDS,
         "outcome_label": OUTCOMES, "regime_name": REGIMES, "child_regime_name": CHILD_REGIMES,
         "complaint_event_label": AUDIT_EVENTS}
for _name, _words in WORDS.items():
    bp.add_app_template_global(lambda code, words=_words: label(words, code), _name)


@bp.get("")
def index() -> Response:
    """The ways to complain (talk first, the AKJ, a formal complaint, objecting) and your own complaints."""
    person = g.get("person")
    mine = services.my_complaints(db.session, person=person) if person else []
    handles = bool(person and handling.handler_organisations(db.session, person))
    can_file = bool(person and services.filing_choices(db.session, person=person))
    return render("complaints/index.html", mine=mine, handles=handles, can_file=can_file, level=_level(person))


@bp.route("/nieuw", methods=["GET", "POST"])
@login_required
@per_person("COMPLAINT")
def new() -> Response:
    """File a complaint; it is stored before the number is shown, and sending it twice files it once."""
    choices = services.filing_choices(db.session, person=g.person)
    if choices is None:
        raise NotAllowed("file")
    form = ComplaintForm()
    form.about_person.choices = [SelectChoice("", _("No, about the organisation"))] + [
        SelectChoice(person.id, f"{person.name} ({organisation})") for person, organisation in choices.people]
    if request.method == "POST" and form.validate():
        try:
            complaint = services.file_complaint(
                db.session, person=g.person, about=form.about.data or [], text=form.text.data, wish=form.wish.data,
                about_person_id=form.about_person.data or "", shares_identity=form.shares_identity.data,
                client_id=form.client_id.data or "")
            db.session.commit()
            flash(_("Your complaint is stored. Your number is %(number)s.", number=complaint.number), "success")
            objection = {"bezwaar": 1} if "decision" in (form.about.data or []) else {}
            return see_other(url_for("complaints.show", complaint_id=complaint.id, opgeslagen=1, **objection))
        except ValidationFailed as failed:
            db.session.rollback()
            form.apply_errors(failed.reasons)
    db.session.commit()
    return render("complaints/new.html", form=form.fresh(), choices=choices, level=_level(g.person),
                  status=422 if request.method == "POST" else 200)


@bp.get("/<complaint_id>")
@login_required
def show(complaint_id: str) -> Response:
    """Your complaint: number, deadlines, timeline, messages, files, and after closure whether you are satisfied."""
    return _complaint_page(complaint_id)


def _complaint_page(complaint_id: str, status: int = 200, **forms) -> Response:
    complaint = services.own_complaint(db.session, person=g.person, complaint_id=complaint_id)
    view = services.complaint_view(db.session, complaint)
    db.session.commit()
    forms = {"message_form": MessageForm(formdata=None), "attachment_form": AttachmentForm(formdata=None),
             "satisfaction_form": SatisfactionForm(formdata=None), **forms}
    return render("complaints/show.html", view=view, level=_level(g.person), stored=request.args.get("opgeslagen"),
                  show_objection=request.args.get("bezwaar"), status=status, **forms)


@bp.post("/<complaint_id>/berichten")
@login_required
@per_person("COMPLAINT_MESSAGE")
def message(complaint_id: str) -> Response:
    """Send a message to the handler of one part."""
    form = MessageForm()
    complaint = services.own_complaint(db.session, person=g.person, complaint_id=complaint_id, log_read=False)
    part = services.part_of(db.session, complaint, form.part_id.data or "")
    return _complainant_change(complaint, "message_form", form, lambda: services.add_message(
        db.session, part=part, person=g.person, text=form.text.data, from_handler=False, complaint=complaint),
        _("Your message is sent."))


@bp.post("/<complaint_id>/bijlagen")
@login_required
@per_person("COMPLAINT_ATTACHMENT")
def attach(complaint_id: str) -> Response:
    """Add a photo or PDF to your complaint."""
    form = AttachmentForm()
    complaint = services.own_complaint(db.session, person=g.person, complaint_id=complaint_id, log_read=False)
    return _complainant_change(complaint, "attachment_form", form, lambda: files.add_attachment(
        db.session, person=g.person, complaint=complaint, upload=form.file.data), _("Your file is added."))


@bp.errorhandler(413)
def too_large(_error) -> Response:
    """A file far over the limit never reaches the form: say so on the complaint page, in the person's language."""
    if g.get("person") is None:
        load_current_person()  # the size check ran before the person was loaded
    complaint_id = (request.view_args or {}).get("complaint_id")
    if request.endpoint != "complaints.attach" or g.get("person") is None or not complaint_id:
        return error_response(413)
    form = AttachmentForm(formdata=None)
    form.file.errors = [_("This file is larger than 10 MB. Make the photo smaller or send fewer pages.")]
    return _complaint_page(complaint_id, status=413, attachment_form=form)


@bp.post("/<complaint_id>/tevreden")
@login_required
def satisfaction(complaint_id: str) -> Response:
    """Say whether you are satisfied; not satisfied reopens the complaint or shows where to go next."""
    form = SatisfactionForm()
    complaint = services.own_complaint(db.session, person=g.person, complaint_id=complaint_id, log_read=False)
    done = {"yes": _("Thank you for your answer."), "reopen": _("Your complaint is open again."),
            "next": _("Below you see where you can go next.")}.get(form.answer.data or "", "")
    return _complainant_change(complaint, "satisfaction_form", form, lambda: services.answer_satisfaction(
        db.session, person=g.person, complaint=complaint, part_id=form.part_id.data or "",
        answer=form.answer.data or ""), done)


def _complainant_change(complaint, form_name: str, form, change, done: str) -> Response:
    """Run one change of the complainant's; on a problem the page comes back with the form and what was typed."""
    return _save(form, change, done, url_for("complaints.show", complaint_id=complaint.id),
                 lambda: _complaint_page(complaint.id, status=422, **{form_name: form}))


def _save(form, change, done: str, success_url: str, failed_page) -> Response:
    """One request, one change, one commit: on success a 303 with a message, else the form with its errors."""
    if form.validate():
        try:
            change()
            db.session.commit()
            flash(done, "success")
            return see_other(success_url)
        except ValidationFailed as failed:
            db.session.rollback()
            form.apply_errors(failed.reasons)
    return failed_page()


@bp.get("/<complaint_id>/bijlagen/<attachment_id>")
@login_required
def attachment(complaint_id: str, attachment_id: str) -> Response:
    """Download a file of your own complaint."""
    complaint = services.own_complaint(db.session, person=g.person, complaint_id=complaint_id, log_read=False)
    return _send(complaint, attachment_id, "complainant")


def _send(complaint, attachment_id: str, role: str) -> Response:
    found, path = files.attachment_file(db.session, complaint=complaint, attachment_id=attachment_id,
                                        person=g.person, role=role)
    db.session.commit()
    response = send_file(path, mimetype=found.content_type, as_attachment=True, download_name=found.filename,
                         max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


# The handler's side


@bp.get("/behandelen")
@login_required
def queue() -> Response:
    """The complaints your organisation handles, with their deadlines."""
    lines = handling.queue(db.session, person=g.person)
    db.session.commit()
    return render("complaints/queue.html", lines=lines)


@bp.get("/behandelen/<part_id>")
@login_required
def handle(part_id: str) -> Response:
    """One complaint to handle: the text, deadlines, timeline, messages and the handler's actions."""
    return _handle_page(part_id)


def _handle_page(part_id: str, status: int = 200, **forms) -> Response:
    handled = handling.handled_part(db.session, person=g.person, part_id=part_id)
    view = services.complaint_view(db.session, handled.complaint, for_handler_part=part_id)
    db.session.commit()
    empty = {"assign_form": AssignForm, "status_form": StatusForm, "message_form": MessageForm,
             "extend_form": ExtendForm, "judge_form": JudgeForm, "close_form": CloseForm, "forward_form": ForwardForm,
             "reaction_form": ReactionForm}
    forms = {name: forms.get(name) or form(formdata=None) for name, form in empty.items()}
    forms["assign_form"].handler_id.choices = [SelectChoice(c.id, c.name) for c in handled.colleagues]
    return render("complaints/handle.html", handled=handled, view=view, status=status, **forms)


HANDLER_ACTIONS = {
    "assign": (AssignForm, "assign_form", lambda h, f: handling.assign(
        db.session, person=g.person, handled=h, handler_id=f.handler_id.data or "")),
    "status": (StatusForm, "status_form", lambda h, f: handling.set_status(
        db.session, person=g.person, handled=h, status=f.status.data or "", note=f.note.data or "")),
    "message": (MessageForm, "message_form", lambda h, f: services.add_message(
        db.session, part=h.part, person=g.person, text=f.text.data, from_handler=True, complaint=h.complaint)),
    "extend": (ExtendForm, "extend_form", lambda h, f: handling.extend(
        db.session, person=g.person, handled=h, kind=f.kind.data or "", days=f.days.data, reason=f.reason.data)),
    "judge": (JudgeForm, "judge_form", lambda h, f: handling.judge(
        db.session, person=g.person, handled=h, outcome=f.outcome.data or "", judgement=f.judgement.data)),
    "close": (CloseForm, "close_form", lambda h, f: handling.close(db.session, person=g.person, handled=h)),
    "forward": (ForwardForm, "forward_form", lambda h, f: handling.forward(
        db.session, person=g.person, handled=h, reason=f.reason.data)),
    "react": (ReactionForm, "reaction_form", lambda h, f: handling.react(
        db.session, person=g.person, handled=h, reaction=f.reaction.data)),
}
PATHS = {"assign": "toewijzen", "status": "status", "message": "berichten", "extend": "termijn", "judge": "oordeel",
         "close": "afhandelen", "forward": "doorsturen", "react": "reactie"}


def _handler_action(part_id: str, action: str) -> Response:
    """Run one handler action; on a problem the page comes back with that form, what was typed and why."""
    form_class, form_name, change = HANDLER_ACTIONS[action]
    handled = handling.handled_part(db.session, person=g.person, part_id=part_id, log_read=False)
    form = form_class()
    if form_name == "assign_form":
        form.handler_id.choices = [SelectChoice(c.id, c.name) for c in handled.colleagues]
    return _save(form, lambda: change(handled, form), _("Saved."), url_for("complaints.handle", part_id=part_id),
                 lambda: _handle_page(part_id, status=422, **{form_name: form}))


def _handler_view(action: str):
    def view(part_id: str) -> Response:
        return _handler_action(part_id, action)

    view.__name__ = view.__qualname__ = f"handle_{action}"  # the rate limiter tells views apart by this name
    return per_person("COMPLAINT_MESSAGE")(view) if action == "message" else view


for _action, _path in PATHS.items():
    bp.add_url_rule(f"/behandelen/<part_id>/{_path}", f"handle_{_action}", methods=["POST"],
                    view_func=login_required(_handler_view(_action)))


@bp.get("/behandelen/<part_id>/bijlagen/<attachment_id>")
@login_required
def handler_attachment(part_id: str, attachment_id: str) -> Response:
    """Download a file of a complaint you handle."""
    handled = handling.handled_part(db.session, person=g.person, part_id=part_id, log_read=False)
    return _send(handled.complaint, attachment_id, handled.role)


def _level(person) -> str:
    """How simply to say things: 'child' under 12, 'youth' from 12 to 15, else 'adult'."""
    age = person.age if person is not None else None
    if age is None or age >= 16:
        return "adult"
    return "child" if age < 12 else "youth"
