"""The plan pages: read, add, edit (with conflicts shown in place), history, agreement, kitchen-table speaker."""

import contextlib
import json
import secrets
import time
from collections.abc import Iterator
from functools import partial

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    g,
    render_template,
    request,
    session,
    stream_with_context,
    url_for,
)
from markupsafe import Markup

from app.core.errors import NotFound, ValidationFailed
from app.core.ids import looks_like_id
from app.extensions import db
from app.identity import services as identity
from app.identity.auth import login_required
from app.identity.models import Person
from app.identity.policy import can_create, can_view, leads_the_plan
from app.plans import agreement, fragments, live, nchan, queries, services, signals
from app.plans.context import PlanContext, plan_context
from app.plans.forms import AgreementForm, ItemForm, SpeakerForm, VisibilityForm, empty_progress_form, posted_over_saved
from app.plans.models import PROGRESS_KINDS, ItemKind, PlanStatus
from app.plans.services import StaleEdit
from app.web.limits import opening_streams
from app.web.offline import allow_offline_copy
from app.web.render import aimed_at, is_partial, render, respond, retarget, see_other, tell

bp = Blueprint("plans", __name__, url_prefix="/plan")


def _ctx(plan_id: str) -> PlanContext:
    return plan_context(db.session, person=g.person, plan_id=plan_id)


def _speaker(ctx: PlanContext) -> services.Speaker:
    return services.speaker_for(ctx, session.get(f"speaker:{ctx.plan.id}"))


def item_form(ctx: PlanContext, kind: str, *, formdata=None, obj=None, goals=None, csrf: bool = True) -> ItemForm:
    """An item form for one kind, with the family's people and goals as choices (`csrf=False`: an empty form only
    drawn, whose template writes the page's token itself)."""
    meta = None if csrf else {"csrf": False}
    form = ItemForm(formdata=formdata, obj=obj, meta=meta) if formdata is not None else ItemForm(obj=obj, meta=meta)
    members = [person for _, person in ctx.rows]
    if goals is None and kind == "action":  # only goals this person may see (the select shows their text)
        goals = [goal for goal in agreement.live_goals(db.session, ctx.plan.id)
                 if can_view(ctx.actor, ctx.policy_item(goal))]
    return form.for_kind(kind, youths=ctx.youths, members=members, goals=goals)


@bp.get("/<plan_id>")
@login_required
def show(plan_id: str) -> Response:
    """Show the whole plan, as far as the age rules let this person see it (`?live=0`: without live updates)."""
    drawn = queries.drawn_mark()  # before reading: the page shows at least everything logged until now
    ctx = _ctx(plan_id)
    plan_view = queries.build(db.session, ctx=ctx)
    goals = [goal.item for goal in plan_view.sections["goal"]]
    page = render("plans/show.html", pv=plan_view, speaker=_speaker(ctx), forms=_new_forms(ctx, plan_view),
                  speaker_form=_speaker_form(ctx), **signals.page_parts(ctx, session=db.session, goals=goals),
                  live=request.args.get("live") != "0",  # performance audits need a page that goes quiet
                  last_event=queries.last_event_id(db.session, plan_id=ctx.plan.id, item_ids=plan_view.item_ids),
                  drawn=drawn, said_by=session.pop(f"speaker_said:{plan_id}", None))
    db.session.commit()  # after rendering: the header's unread count shares the transaction (one checkout)
    return allow_offline_copy(page)


def _new_forms(ctx: PlanContext, plan_view) -> dict[str, Markup]:
    """The empty add form of each section this person may add to, drawn (each from the cache when it can be)."""
    goals = [view.item for view in plan_view.sections["goal"]]
    kit = queries.plan_kit(ctx.plan.id)
    return {kind: fragments.cached_add_form(kind, ctx, goals, kit, partial(item_form, ctx, kind, goals=goals,
                                                                             csrf=False))
            for kind in plan_view.creatable}


def _speaker_form(ctx: PlanContext) -> SpeakerForm | None:
    if ctx.actor.role.value != "professional":
        return None
    form = SpeakerForm(speaker_id=session.get(f"speaker:{ctx.plan.id}") or ctx.actor.person_id)
    form.speaker_id.choices = [(p.id, p.name) for m, p in ctx.rows]  # network members take part too (oma Fenna)
    return form


def _spoken(ctx: PlanContext) -> str | None:
    """After a save on someone's behalf the professional speaks again: a speaker is for one thing said, so the next
    words are never put in their mouth. Return who spoke (None: the signed-in person spoke for themselves)."""
    speaker_id = session.pop(f"speaker:{ctx.plan.id}", None)
    if not speaker_id or speaker_id == ctx.actor.person_id:
        return None
    if not is_partial():
        session[f"speaker_said:{ctx.plan.id}"] = speaker_id  # the next page says whose words were saved
    return speaker_id


def _item_answer(ctx: PlanContext, iv, said_by: str | None, goal_added: bool = False, focus: bool = False
                 ) -> Response:
    """The saved item for htmx, with what else on the page changed with it (out of band): the speaker back to the
    professional, and a new goal as a choice in the task form (`focus`: on the item's Edit link)."""
    goal_choice = goal_added and can_create(ctx.actor, ItemKind.ACTION)  # the task form is on their page
    return render("plans/_item_saved.html", iv=iv, names=queries.names_for(db.session, ctx, iv), ctx=ctx,
                  said_by=said_by,
                  speaker=_speaker(ctx), speaker_form=_speaker_form(ctx) if said_by else None,
                  goal_choice=goal_choice, focus=focus)


@bp.post("/<plan_id>/spreker")
@login_required
def set_speaker(plan_id: str) -> Response:
    """At the kitchen table: say who is speaking, so what is typed is theirs."""
    ctx = _ctx(plan_id)
    speaker_id = request.form.get("speaker_id") or ctx.actor.person_id
    if not leads_the_plan(ctx.actor) or ctx.role_of(speaker_id) is None:
        abort(403)
    session[f"speaker:{plan_id}"] = speaker_id
    return see_other(url_for("plans.show", plan_id=plan_id) + "#speaker")


@bp.post("/<plan_id>/onderdelen/<kind>")
@login_required
def create(plan_id: str, kind: str) -> Response:
    """Add an item to a section of the plan."""
    ctx = _ctx(plan_id)
    if kind not in set(ItemKind):
        abort(404)
    form = item_form(ctx, kind, formdata=request.form)
    if form.validate():
        try:
            item = services.create_item(db.session, ctx=ctx, speaker=_speaker(ctx), kind=kind, fields=form.values(),
                                        client_id=request.form.get("client_id"))
            db.session.commit()
            said_by = _spoken(ctx)
            return _agreement_told(ctx, respond(url_for("plans.show", plan_id=plan_id) + f"#item-{item.id}",
                                                lambda: _item_answer(ctx, queries.view_of(ctx, item), said_by,
                                                                     goal_added=kind == ItemKind.GOAL)))
        except ValidationFailed as failed:
            db.session.rollback()
            form.apply_errors(failed.reasons)
    if kind in PROGRESS_KINDS:  # one form per goal or note: it comes back in place, with what was typed
        anchor = request.form.get("goal_id" if kind == ItemKind.NOTE else "reply_to_id") or ""
        if not looks_like_id(anchor):
            abort(404)
        response = render("plans/progress_new.html", block="progress_form", ctx=ctx, kind=kind, anchor=anchor,
                          form=form, status=422)
        return retarget(response, f"#add-{kind}-{anchor}", "outerHTML")
    response = render("plans/item_new.html", block="add_form", ctx=ctx, kind=kind, form=form, status=422)
    return retarget(response, f"#add-{kind}", "outerHTML")


@bp.get("/<plan_id>/onderdelen/<item_id>")
@login_required
def item(plan_id: str, item_id: str) -> Response:
    """One item as this person sees it (live updates fetch it after a change, an editor's Cancel puts it back);
    404 when gone or not theirs."""
    ctx = _ctx(plan_id)
    iv = queries.item_view(db.session, ctx=ctx, item_id=item_id)
    db.session.commit()
    if iv is None:
        abort(404)
    return render("plans/_item.html", iv=iv, names=queries.names_for(db.session, ctx, iv), ctx=ctx,
                  focus=aimed_at(f"item-{item_id}"))


@bp.route("/<plan_id>/onderdelen/<item_id>/bewerken", methods=["GET", "POST"])
@login_required
def edit(plan_id: str, item_id: str) -> Response:
    """Change an item; when someone else saved in between, show both texts and let the person choose."""
    ctx = _ctx(plan_id)
    iv = queries.item_view(db.session, ctx=ctx, item_id=item_id)
    if iv is None:
        abort(404)
    if not iv.can_edit:
        abort(403)
    if request.method == "GET":
        db.session.commit()
        form = item_form(ctx, iv.item.kind, obj=iv.item)
        form.version.data = iv.item.version
        return render("plans/item_edit.html", block="item_form", ctx=ctx, iv=iv, form=form)
    return _save(ctx, iv)


def _save(ctx: PlanContext, iv) -> Response:
    form = item_form(ctx, iv.item.kind, formdata=posted_over_saved(iv.item.snapshot(), request.form))
    conflict = None
    if form.validate():
        try:
            version = int(form.version.data or 0)
            if request.form.get("delete"):
                services.delete_item(db.session, ctx=ctx, speaker=_speaker(ctx), item_id=iv.item.id,
                                     expected_version=version)
            else:
                services.update_item(db.session, ctx=ctx, speaker=_speaker(ctx), item_id=iv.item.id,
                                     expected_version=version, fields=form.values())
            db.session.commit()
            return _saved(ctx, iv.item.id, _spoken(ctx), focus=aimed_at(f"item-{iv.item.id}"))
        except StaleEdit as stale:
            db.session.rollback()
            conflict = {"item": stale.current, "saved_by": stale.saved_by_id}
            form.version.data = stale.current.version  # saving again now means: keep my text
        except ValidationFailed as failed:
            db.session.rollback()
            form.apply_errors(failed.reasons)
    return render("plans/item_edit.html", block="item_form", ctx=ctx, iv=iv, form=form, conflict=conflict,
                  names=ctx.names, status=422)


def _saved(ctx: PlanContext, item_id: str, said_by: str | None = None, *, reopens: bool = True,
           focus: bool = False) -> Response:
    """The answer to a change of one item (`focus`: the person's own Save in its editor, see `aimed_at`)."""
    response = respond(url_for("plans.show", plan_id=ctx.plan.id) + f"#item-{item_id}",
                       lambda: _saved_item(ctx, item_id, said_by, focus))
    return _agreement_told(ctx, response) if reopens else response  # ticking a task off is progress, not content


def _agreement_told(ctx: PlanContext, response: Response) -> Response:
    """A change of the plan's content can ask for agreement again: the page's agreement parts fetch themselves."""
    return response if ctx.plan.status == PlanStatus.DRAFT else tell(response, "agreement-changed")


def _saved_item(ctx: PlanContext, item_id: str, said_by: str | None, focus: bool) -> Response:
    iv = queries.item_view(db.session, ctx=ctx, item_id=item_id)
    removed = iv is None and focus and queries.section_of(db.session, ctx=ctx, item_id=item_id)
    db.session.commit()
    if iv is None:  # deleted: the element is swapped for nothing (and focus goes to its section's heading)
        return render("plans/_section_heading.html", removed=removed)
    return _item_answer(ctx, iv, said_by, focus=focus)


@bp.post("/<plan_id>/onderdelen/<item_id>/klaar")
@login_required
def toggle_done(plan_id: str, item_id: str) -> Response:
    """Tick an action off, or on again."""
    ctx = _ctx(plan_id)
    services.set_done(db.session, ctx=ctx, speaker=_speaker(ctx), item_id=item_id, done=request.form.get("done") == "1")
    db.session.commit()
    return _saved(ctx, item_id, _spoken(ctx), reopens=False)


@bp.post("/<plan_id>/onderdelen/<item_id>/zichtbaarheid")
@login_required
def visibility(plan_id: str, item_id: str) -> Response:
    """Withhold from parents, share with parents, or release to a parent without custody."""
    ctx = _ctx(plan_id)
    form = VisibilityForm()
    try:
        services.set_visibility(db.session, ctx=ctx, item_id=item_id, change=form.change.data or "",
                                reason=form.reason.data or "", consulted=form.consulted.data or "",
                                opinion=form.opinion.data or "")
        db.session.commit()
    except ValidationFailed as failed:
        db.session.rollback()
        form.apply_errors(failed.reasons)
        return render("plans/visibility.html", ctx=ctx, iv=queries.item_view(db.session, ctx=ctx, item_id=item_id),
                      form=form, status=422)
    return _saved(ctx, item_id)


@bp.get("/<plan_id>/onderdelen/<item_id>/zichtbaarheid")
@login_required
def visibility_form(plan_id: str, item_id: str) -> Response:
    """Ask the professional for the reason to withhold an item from the parents."""
    ctx = _ctx(plan_id)
    iv = queries.item_view(db.session, ctx=ctx, item_id=item_id)
    db.session.commit()
    if iv is None or not iv.can_withhold:
        abort(404)
    return render("plans/visibility.html", ctx=ctx, iv=iv, form=VisibilityForm(change="withhold"))


@bp.get("/<plan_id>/onderdelen/<item_id>/verklaring")
@login_required
def statement_form(plan_id: str, item_id: str) -> Response:
    """The form for one's own statement on an item (Jeugdwet 7.3.8 lid 2): for the betrokkene only, by the age
    rules; for htmx in place of its link."""
    ctx = _ctx(plan_id)
    iv = queries.item_view(db.session, ctx=ctx, item_id=item_id)
    db.session.commit()
    if iv is None or not iv.can_state:
        abort(404)
    return render("plans/progress_new.html", block="progress_form", ctx=ctx, kind=ItemKind.STATEMENT, anchor=item_id,
                  form=empty_progress_form(ItemKind.STATEMENT), opened=True, about=iv.item.text)


@bp.get("/<plan_id>/onderdelen/<item_id>/geschiedenis")
@login_required
def history(plan_id: str, item_id: str) -> Response:
    """Every version of an item: who, when, what changed; old versions can be brought back."""
    ctx = _ctx(plan_id)
    found = queries.history(db.session, ctx=ctx, item_id=item_id)
    db.session.commit()
    if found is None:
        abort(404)
    item_, versions = found
    return render("plans/history.html", ctx=ctx, item=item_, versions=versions, names=ctx.names,
                  can_edit=queries.view_of(ctx, item_).can_edit)


@bp.post("/<plan_id>/onderdelen/<item_id>/terugzetten/<int:version>")
@login_required
def restore(plan_id: str, item_id: str, version: int) -> Response:
    """Bring back an old version (a new version of its own)."""
    ctx = _ctx(plan_id)
    services.restore_version(db.session, ctx=ctx, speaker=_speaker(ctx), item_id=item_id, version=version)
    db.session.commit()
    _spoken(ctx)
    return see_other(url_for("plans.show", plan_id=plan_id) + f"#item-{item_id}")


@bp.post("/<plan_id>/akkoord-vragen")
@login_required
def ask_agreement(plan_id: str) -> Response:
    """The professional asks the family to agree."""
    ctx = _ctx(plan_id)
    agreement.ask_for_agreement(db.session, ctx=ctx)
    db.session.commit()
    return see_other(url_for("plans.show", plan_id=plan_id) + "#agreement")


@bp.post("/<plan_id>/akkoord")
@login_required
def decide(plan_id: str) -> Response:
    """Record akkoord or niet akkoord (for yourself, or for the speaker at the kitchen table)."""
    ctx = _ctx(plan_id)
    form = AgreementForm()
    person_id = _speaker(ctx).author.person_id
    anchor = f"#agreement-{form.goal_id.data}" if form.goal_id.data else "#agreement"
    try:
        agreement.decide(db.session, ctx=ctx, person_id=person_id, goal_id=form.goal_id.data or None,
                         decision=form.decision.data or "", reason=form.reason.data or "")
        db.session.commit()
        _spoken(ctx)  # an answer for someone else is theirs alone: the next one is asked again
    except ValidationFailed as failed:
        db.session.rollback()
        form.apply_errors(failed.reasons)
        plan_view = queries.build(db.session, ctx=ctx, record_visit=False)
        return render("plans/show.html", pv=plan_view, speaker=_speaker(ctx), forms=_new_forms(ctx, plan_view),
                      speaker_form=_speaker_form(ctx), agreement_form=form, status=422)
    return see_other(url_for("plans.show", plan_id=plan_id) + anchor)


@bp.get("/<plan_id>/akkoord")
@login_required
def agreement_parts(plan_id: str) -> Response:
    """What agreement shows on the plan page, each part out of band: the plan's status, each agreement block and what
    still waits (the page fetches it when its live stream or one of its saves says agreement changed)."""
    ctx = _ctx(plan_id)
    plan_view = queries.agreement_view(db.session, ctx=ctx)
    db.session.commit()
    return render("plans/_agreement_parts.html", pv=plan_view, speaker=_speaker(ctx))


def render_item(ctx: PlanContext, iv) -> str:
    """The HTML of one item (used by live updates)."""
    return render_template("plans/_item.html", iv=iv, names=queries.names_for(db.session, ctx, iv), ctx=ctx)


@bp.get("/<plan_id>/live")
@login_required
@opening_streams()
def stream(plan_id: str) -> Response:
    """Server-sent events: ids of changed items this person may see (never content), presence, and a ping every 15
    seconds; the stream ends when the session it was opened with does (signed out everywhere, a role ended).

    A page catches up from its last event id (or, before its first event, from the page's own `after`), never on
    what was logged before the page was drawn (`drawn`: the page shows that already). Without
    Redis the stream says "paused" and ends; the page shows a reload hint and asks again until it is "ready".
    """
    ctx = _ctx(plan_id)
    redis_url, person_id = current_app.config.get("REDIS_URL"), ctx.actor.person_id
    stream_id = secrets.token_hex(6)  # presence per open page: closing one tab leaves the person in the others
    counted = f"{session.get('sid') or 'none'}:{stream_id}"  # the streams a person has open, by browser
    heartbeat = float(current_app.config.get("LIVE_HEARTBEAT_SECONDS", 15))
    held_by_nginx, evicted = bool(nchan.url() and redis_url), []
    try:
        if not live.claim_stream(person_id, counted, redis_url=redis_url, new=True, evicted=evicted,
                                 ttl=nchan.HOLD if held_by_nginx else heartbeat * 3):
            return _too_many_streams()
        if held_by_nginx:
            nchan.close_streams(evicted, redis_url=redis_url)  # the same browser's oldest page gives up its place
            return _handed_to_nginx(ctx, counted)
    except live.LiveUnavailable:
        pass  # Redis away: the stream below says "paused" and ends
    after = request.headers.get("Last-Event-ID") or request.args.get("after")
    missed = queries.missed_events(db.session, ctx=ctx, after=after, drawn=queries.drawn_at(request.args.get("drawn")))
    reader = queries.reader(db.session, ctx=ctx)
    db.session.commit()
    db.session.close()  # no database connection is held while the stream stays open
    signed_in_as = (session.get("version"), session.get("sid") or "")
    recheck = float(current_app.config.get("LIVE_ACCESS_RECHECK_SECONDS", 40))

    def events():
        try:
            messages = live.listen(plan_id, redis_url=redis_url, heartbeat=heartbeat)  # subscribed from here on
        except live.LiveUnavailable:
            live.release_stream(person_id, counted, redis_url=redis_url)
            yield from _paused()
            return
        yield "retry: 3000\n\n"
        yield from (live.sse(message) for message in missed)
        checked = time.monotonic()
        try:
            live.join(plan_id, person_id, redis_url=redis_url, stream=stream_id)
            yield live.sse({"type": "ready"})
            for body in messages:
                if body is None:
                    if not _still_signed_in(person_id, *signed_in_as):
                        return  # signed out everywhere, or their role ended: nothing more reaches this page
                    if time.monotonic() - checked >= recheck:
                        if not _may_still_open(plan_id, person_id):
                            return  # taken out of the family (or the help ended): within a minute, nothing more
                        checked = time.monotonic()
                    if live.touch_presence(plan_id, person_id, redis_url=redis_url, stream=stream_id):
                        live.publish(plan_id, {"type": "presence"}, redis_url=redis_url)  # back after a reload
                    if not live.claim_stream(person_id, counted, redis_url=redis_url, ttl=heartbeat * 3):
                        return  # the same browser opened the plan again in its place
                    yield ": ping\n\n"
                elif (message := queries.for_reader(reader, json.loads(body))) is not None:
                    yield live.sse(message)
            yield f"retry: {live.DRAINED_RETRY_MS}\n\n"  # this instance stops: reconnect at once, to one that stays
        except live.LiveUnavailable:
            yield from _paused()
        finally:
            messages.close()
            live.leave(plan_id, person_id, redis_url=redis_url, stream=stream_id)
            live.release_stream(person_id, counted, redis_url=redis_url)

    return Response(stream_with_context(events()), mimetype="text/event-stream",
                    headers={"Cache-Control": "no-cache, no-store", "X-Accel-Buffering": "no"})


def _handed_to_nginx(ctx: PlanContext, counted: str) -> Response:
    """The page's stream is held by nginx (nchan) on a channel of its own; this request ends here, no thread waits."""
    after = queries.cursor_from(db.session, ctx.plan.id,
                                request.headers.get("Last-Event-ID") or request.args.get("after"))
    missed = queries.missed_events(db.session, ctx=ctx, after=after, drawn=queries.drawn_at(request.args.get("drawn")))
    reader = queries.reader(db.session, ctx=ctx)
    db.session.commit()
    channel = nchan.open_page(ctx.plan.id, reader, redis_url=current_app.config["REDIS_URL"], stream=counted,
                              missed=missed)  # worked out for this reader already
    nchan.keep_sweeping(current_app._get_current_object())
    return Response("", headers={"X-Accel-Redirect": nchan.subscribe_location(channel), "X-Accel-Buffering": "no",
                                 "Cache-Control": "no-cache, no-store"})


@bp.get("/live/gesloten/<channel>")
def page_closed(channel: str) -> Response:
    """nginx says a page's stream closed (its `nchan_unsubscribe_request`). The channel's name is random and never
    leaves the server, so only nginx knows one; any other name changes nothing."""
    redis_url = current_app.config.get("REDIS_URL")
    if redis_url and len(channel) <= 40:
        with contextlib.suppress(live.LiveUnavailable):  # Redis away: the page's entries expire by themselves
            nchan.page_closed(channel, redis_url=redis_url)
    return Response(status=204)


def _too_many_streams() -> Response:
    """Streams from more browsers than one person has: refused with a wait, which the page shows as live updates
    paused."""
    current_app.logger.warning("live stream refused: too many open for one person")
    return Response(f"retry: {live.PAUSED_RETRY_MS * 6}\n\n", status=429, mimetype="text/event-stream",
                    headers={"Retry-After": "30", "Cache-Control": "no-store"})


def _may_still_open(plan_id: str, person_id: str) -> bool:
    """Whether the person may still open this plan (a membership, or help their organisation gives), in a short
    session of its own."""
    with db.new_session() as check:
        person = check.get(Person, person_id)
        try:
            plan_context(check, person=person, plan_id=plan_id)
        except NotFound:
            return False
        return True


def _paused() -> Iterator[str]:
    current_app.logger.warning("live updates paused: redis unavailable")
    yield f"retry: {live.PAUSED_RETRY_MS}\n\n"
    yield live.sse({"type": "paused"})


@bp.get("/<plan_id>/aanwezig")
@login_required
def presence(plan_id: str) -> Response:
    """Who else has the plan open right now."""
    ctx = _ctx(plan_id)
    here = live.present(plan_id, redis_url=current_app.config.get("REDIS_URL")) - {ctx.actor.person_id}
    names = [p.given_name for pid, p in ctx.people.items() if pid in here]
    return render("plans/_presence.html", names=sorted(names))


def _still_signed_in(person_id: str, version: int | None, sid: str) -> bool:
    """Whether the session a stream was opened with still holds (checked at each heartbeat, in a short session of
    its own: an open stream holds no database connection)."""
    with db.new_session() as check:
        return identity.signed_in_person(check, person_id, sid, version) is not None
