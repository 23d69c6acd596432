"""The complaint rules without HTTP: routing, idempotency, handling, reopening, report; what the database decides
(unique client id, append-only timeline, stored text, audit chain, the monthly outbox event) also on PostgreSQL."""

import pytest
import sqlalchemy as sa
from sqlmodel import select

from app.audit.models import AccessLogEntry
from app.catalog.models import Provider
from app.complaints import deadlines, handling, report, services
from app.complaints.models import Complaint, ComplaintEvent, ComplaintPart
from app.core.clock import today
from app.core.errors import NotFound, ValidationFailed
from app.extensions import db
from app.identity.models import Organisation, Person, StaffMembership
from app.outbox.models import OutboxEvent
from app.outbox.schemas import validator

HOSTILE = "<script>alert('x')</script>'; DROP TABLE complaint;-- Ik bin net tefreden oer ôfspraken â û ê 🙁"


def file(world, key="tom", about=None, **extra):
    values = {"text": "De ôfspraken waarden trije kear ôfsein.", "client_id": "client-" + key + "-0001", **extra}
    return services.file_complaint(db.session, person=world.person(key),
                                   about=about or [f"provider:{world.kompas.id}"], **values)


def test_complaint_about_the_provider_goes_to_its_organisation_under_its_regime(world):
    complaint = file(world)
    (part,) = complaint.parts
    assert part.organisation_id == world.kompas.organisation_id
    assert part.regime == "jeugdwet"
    assert part.status == "received"
    assert part.term_weeks == world.kompas.complaint_term_weeks == 8  # Kompas's regulation, from the catalog
    assert part.decide_by == deadlines.decide_by(today(), "jeugdwet", provider_weeks=8)
    assert part.acknowledge_by == deadlines.acknowledge_by(today())
    assert len(complaint.number) == 11
    assert complaint.number.startswith(f"{today().year}-")


def test_professional_and_app_go_to_the_municipality_under_the_awb_each_as_its_own_part(world):
    complaint = file(world, about=[f"provider:{world.kompas.id}", "professional", "app"])
    parts = {p.subject: p for p in complaint.parts}
    assert set(parts) == {"provider", "professional", "app"}
    municipal = db.session.get(Organisation, parts["professional"].organisation_id)
    assert municipal.kind == "municipality"
    assert parts["app"].organisation_id == municipal.id
    assert parts["professional"].regime == "awb"
    assert parts["professional"].complained_about_id == world.person("mark").id


def test_a_decision_is_an_objection_not_a_complaint(world):
    with pytest.raises(ValidationFailed) as failed:
        file(world, about=["decision"])
    assert failed.value.reasons[0][0] == "about"
    assert "bezwaar" in failed.value.reasons[0][1]


def test_a_decision_next_to_other_subjects_does_not_block_them(world):
    complaint = file(world, about=["decision", f"provider:{world.kompas.id}", "app"])
    assert sorted(p.subject for p in complaint.parts) == ["app", "provider"]


def test_a_provider_without_a_term_or_under_the_wkkgz_gets_six_weeks(world):
    world.kompas.complaint_term_weeks = None
    db.session.add(world.kompas)
    assert file(world).parts[0].decide_by == deadlines.decide_by(today(), "jeugdwet")
    world.kompas.complaint_regime, world.kompas.complaint_term_weeks = "wkkgz", 12
    part = file(world, client_id="client-tom-0002").parts[0]
    assert (part.regime, part.term_weeks) == ("wkkgz", None)
    assert part.decide_by == deadlines.decide_by(today(), "wkkgz")


def test_a_provider_the_family_never_had_is_refused(world):
    stranger = db.session.exec(select(Provider).where(Provider.external_id == "demo-p007")).one()
    with pytest.raises(ValidationFailed) as failed:
        file(world, about=[f"provider:{stranger.id}"])
    assert [field for field, _ in failed.value.reasons] == ["about"]
    assert db.session.exec(select(Complaint)).all() == []


def test_empty_complaint_names_both_problems(world):
    with pytest.raises(ValidationFailed) as failed:
        services.file_complaint(db.session, person=world.person("tom"), about=[], text="  ", client_id="x" * 12)
    assert {field for field, _ in failed.value.reasons} == {"about", "text"}


def test_the_same_client_id_files_one_complaint(any_world):
    first = file(any_world)
    second = file(any_world, text="Second send of the same form")
    assert second.id == first.id
    assert len(db.session.exec(select(Complaint)).all()) == 1


def test_the_database_refuses_a_second_complaint_with_the_same_client_id(any_world):
    first = file(any_world)
    again = Complaint(number="2026-XXXXXX", family_id=first.family_id, complainant_id=first.complainant_id,
                      client_id=first.client_id, text="again")
    with db.session.begin_nested():
        db.session.add(again)
        with pytest.raises(sa.exc.IntegrityError):
            db.session.flush()


def test_hostile_text_frisian_and_emoji_are_stored_as_typed(any_world):
    complaint = file(any_world, text=HOSTILE)
    db.session.commit()
    assert db.session.get(Complaint, complaint.id).text == HOSTILE
    assert db.session.exec(select(sa.func.count()).select_from(Complaint)).one() == 1


def test_access_is_logged_in_the_complaints_own_chain_not_the_familys(any_world):
    complaint = file(any_world)
    services.own_complaint(db.session, person=any_world.person("tom"), complaint_id=complaint.id)
    events = db.session.exec(select(AccessLogEntry.event).where(AccessLogEntry.family_id == complaint.id)).all()
    assert events == ["complaint.create", "complaint.view"]
    assert db.session.exec(select(AccessLogEntry).where(AccessLogEntry.family_id == complaint.family_id,
                                                        AccessLogEntry.object_type == "complaint")).all() == []


def test_only_the_complainant_sees_the_complaint(world):
    complaint = file(world)
    for key in ("sanne", "erik", "karin", "mark"):
        with pytest.raises(NotFound):
            services.own_complaint(db.session, person=world.person(key), complaint_id=complaint.id)


def test_karin_handles_the_complaint_about_her_organisation(world):
    complaint = file(world)
    karin = world.person("karin")
    lines = handling.queue(db.session, person=karin)
    assert [line.number for line in lines] == [complaint.number]
    handled = handling.handled_part(db.session, person=karin, part_id=complaint.parts[0].id)
    assert [c.id for c in handled.colleagues] == [karin.id]


def test_the_person_complained_about_neither_sees_nor_handles_it(world):
    sjoukje = _sjoukje(world)  # she gives Tom's help at Kompas (the demo)
    complaint = file(world, about_person_id=sjoukje.id)
    part = complaint.parts[0]
    assert part.complained_about_id == sjoukje.id
    assert handling.queue(db.session, person=sjoukje) == []
    with pytest.raises(NotFound):
        handling.handled_part(db.session, person=sjoukje, part_id=part.id)
    assert [line.part.id for line in handling.queue(db.session, person=world.person("karin"))] == [part.id]


def test_a_complaint_about_someone_who_did_not_help_the_family_is_refused(world):
    for person_id in (world.person("sanne").id, "made-up-person-id", "'; DROP TABLE person; --"):
        with pytest.raises(ValidationFailed) as refused:
            file(world, about_person_id=person_id)
        assert [field for field, _message in refused.value.reasons] == ["about_person"]


def test_jeroen_handles_the_municipal_part_but_not_the_providers(world):
    complaint = file(world, about=[f"provider:{world.kompas.id}", "municipality"])
    jeroen = world.person("jeroen")
    parts = {p.subject: p for p in complaint.parts}
    assert [line.part.id for line in handling.queue(db.session, person=jeroen)] == [parts["municipality"].id]
    with pytest.raises(NotFound):
        handling.handled_part(db.session, person=jeroen, part_id=parts["provider"].id)


def _handled(world, key="karin", **filing):
    complaint = file(world, **filing)
    return handling.handled_part(db.session, person=world.person(key), part_id=complaint.parts[-1].id)


def test_closing_without_a_judgement_is_refused(world):
    handled = _handled(world)
    with pytest.raises(ValidationFailed) as failed:
        handling.close(db.session, person=world.person("karin"), handled=handled)
    assert failed.value.reasons[0][0] == "outcome"
    assert handled.part.status == "received"


def test_judgement_needs_reasons_and_sets_the_providers_month(world):
    handled = _handled(world)
    karin = world.person("karin")
    with pytest.raises(ValidationFailed):
        handling.judge(db.session, person=karin, handled=handled, outcome="founded", judgement=" ")
    handling.judge(db.session, person=karin, handled=handled, outcome="founded", judgement="Te faak ôfsein.")
    assert handled.part.reaction_by == deadlines.reaction_by(today())
    handling.close(db.session, person=karin, handled=handled)
    assert handled.part.status == "closed"
    assert handled.part.closed_on == today()


def test_extension_needs_a_reason_is_capped_and_once_under_the_awb(world):
    handled = _handled(world, key="jeroen", about=["municipality"])
    jeroen = world.person("jeroen")
    with pytest.raises(ValidationFailed) as failed:
        handling.extend(db.session, person=jeroen, handled=handled, kind="extension", days=14, reason="")
    assert failed.value.reasons[0][0] == "reason"
    with pytest.raises(ValidationFailed):
        handling.extend(db.session, person=jeroen, handled=handled, kind="extension", days=29,
                        reason="We need to hear the professional first.")
    handling.extend(db.session, person=jeroen, handled=handled, kind="extension", days=14,
                    reason="We need to hear the professional first.")
    part = handled.part
    assert part.decide_by == deadlines.decide_by(part.received_on, "awb", extension_days=14)
    with pytest.raises(ValidationFailed):
        handling.extend(db.session, person=jeroen, handled=handled, kind="extension", days=7,
                        reason="And once more, please.")
    handling.extend(db.session, person=jeroen, handled=handled, kind="committee", days=None,
                    reason="The advisory committee looks at it.")
    assert part.decide_by == deadlines.decide_by(part.received_on, "awb", committee=True, extension_days=14)


def test_committee_is_refused_for_a_provider(world):
    handled = _handled(world)
    with pytest.raises(ValidationFailed):
        handling.extend(db.session, person=world.person("karin"), handled=handled, kind="committee", days=None,
                        reason="A committee for a provider?")


def _closed(world):
    handled = _handled(world)
    karin = world.person("karin")
    handling.judge(db.session, person=karin, handled=handled, outcome="unfounded", judgement="Gjin flater fûn.")
    handling.close(db.session, person=karin, handled=handled)
    return handled


def test_not_satisfied_reopens_with_a_fresh_term_and_needs_a_new_judgement(world):
    handled = _closed(world)
    tom = world.person("tom")
    part = services.answer_satisfaction(db.session, person=tom, complaint=handled.complaint, part_id=handled.part.id,
                                        answer="reopen")
    assert part.status == "reopened"
    assert part.satisfied is None
    assert part.outcome == ""
    assert part.decide_by == deadlines.decide_by(today(), "jeugdwet", provider_weeks=8)
    kinds = db.session.exec(select(ComplaintEvent.kind).where(ComplaintEvent.part_id == part.id)
                            .order_by(ComplaintEvent.id)).all()
    assert kinds[-2:] == ["not_satisfied", "reopened"]
    with pytest.raises(ValidationFailed):
        handling.close(db.session, person=world.person("karin"), handled=handled)


def test_satisfaction_only_after_closure_and_once(world):
    handled = _handled(world)
    tom = world.person("tom")
    with pytest.raises(ValidationFailed):
        services.answer_satisfaction(db.session, person=tom, complaint=handled.complaint, part_id=handled.part.id,
                                     answer="yes")
    karin = world.person("karin")
    handling.judge(db.session, person=karin, handled=handled, outcome="unfounded", judgement="Gjin flater fûn.")
    handling.close(db.session, person=karin, handled=handled)
    services.answer_satisfaction(db.session, person=tom, complaint=handled.complaint, part_id=handled.part.id,
                                 answer="next")
    with pytest.raises(ValidationFailed) as failed:
        services.answer_satisfaction(db.session, person=tom, complaint=handled.complaint, part_id=handled.part.id,
                                     answer="reopen")
    assert failed.value.reasons[0][0] == "answer"
    assert (handled.part.status, handled.part.satisfied) == ("closed", False)


def test_timeline_events_are_append_only(any_world):
    complaint = file(any_world)
    db.session.commit()
    with pytest.raises(sa.exc.DatabaseError):
        db.session.execute(sa.update(ComplaintEvent).values(kind="closed"))
    db.session.rollback()
    assert db.session.exec(select(ComplaintEvent.kind).where(
        ComplaintEvent.part_id == complaint.parts[0].id)).all() == ["received"]


def test_monthly_report_counts_without_personal_data(any_world):
    handled = _closed(any_world)
    file(any_world, key="sanne", about=["municipality"], client_id="client-sanne-0002")
    assert report.emit_month(db.session, month=today().replace(day=1)) == 1
    event = db.session.exec(select(OutboxEvent).where(OutboxEvent.event_type == "complaints.monthly")).one()
    payload = event.payload
    validator("complaints.monthly").validate(payload)
    assert payload["municipality_code"] == "0080"
    assert payload["received"] == {"provider": 1, "professional": 0, "municipality": 1, "app": 0}
    assert payload["judged"] == 1
    assert payload["judged_on_time"] == 1
    assert payload["on_time_share"] == 1.0
    assert payload["outcomes"]["unfounded"] == 1
    assert payload["closed"] == 1
    text = str(payload)
    for secret in (handled.complaint.number, handled.complaint.id, any_world.person("tom").id, "Tom", "ôfsein"):
        assert secret not in text
    assert report.emit_month(db.session, month=today().replace(day=1)) == 0  # the month is reported already
    assert len(db.session.exec(select(OutboxEvent).where(OutboxEvent.event_type == "complaints.monthly")).all()) == 1


def test_report_figures_count_late_judgements_as_not_on_time():
    from datetime import date

    late = ComplaintPart(id="p1", complaint_id="c", subject="app", organisation_id="o", regime="awb",
                         received_on=date(2026, 1, 5), term_started_on=date(2026, 1, 5),
                         acknowledge_by=date(2026, 1, 12), decide_by=date(2026, 2, 16), outcome="founded",
                         judged_on=date(2026, 3, 2), status="judgement")
    figures = report.figures([late], [], month=date(2026, 3, 1))
    assert figures["judged"] == 1
    assert figures["judged_on_time"] == 0
    assert figures["on_time_share"] == 0.0
    assert report.figures([late], [], month=date(2026, 2, 1))["open_overdue_at_month_end"] == 1
    assert report.figures([late], [], month=date(2026, 1, 1))["open_overdue_at_month_end"] == 0
    assert report.figures([late], [], month=date(2026, 2, 1))["judged"] == 0


def test_a_provider_passes_a_part_on_to_the_municipality_with_a_fresh_awb_term(world):
    handled = _handled(world)
    karin, jeroen = world.person("karin"), world.person("jeroen")
    with pytest.raises(ValidationFailed):
        handling.forward(db.session, person=karin, handled=handled, reason="kort")
    handling.forward(db.session, person=karin, handled=handled,
                     reason="It is about the municipality's decision, not about our help.")
    part = handled.part
    assert (part.subject, part.regime, part.status) == ("municipality", "awb", "forwarded")
    assert part.decide_by == deadlines.decide_by(today(), "awb")
    assert handling.queue(db.session, person=karin) == []
    assert [line.part.id for line in handling.queue(db.session, person=jeroen)] == [part.id]


# The provider's reaction after the judgement (Jeugdwet 4.2.1 lid 5)


def test_the_provider_records_its_reaction_after_the_judgement_and_the_complainant_is_told(world, monkeypatch):
    sent = []
    monkeypatch.setattr("app.complaints.mails.send_after_commit", lambda _s, cid, kind: sent.append(kind))
    handled = _handled(world)
    karin = world.person("karin")
    with pytest.raises(ValidationFailed) as failed:
        handling.react(db.session, person=karin, handled=handled, reaction="We plannen de ôfspraken better.")
    assert failed.value.reasons[0][0] == "reaction"
    handling.judge(db.session, person=karin, handled=handled, outcome="founded", judgement="Te faak ôfsein.")
    handling.close(db.session, person=karin, handled=handled)
    with pytest.raises(ValidationFailed):
        handling.react(db.session, person=karin, handled=handled, reaction="kort")
    sent.clear()
    handling.react(db.session, person=karin, handled=handled, reaction="We plannen de ôfspraken better.")
    part = handled.part
    assert (part.reaction_on, part.reaction) == (today(), "We plannen de ôfspraken better.")
    assert sent == ["news"]
    assert services.lateness(part).reaction is False
    with pytest.raises(ValidationFailed):
        handling.react(db.session, person=karin, handled=handled, reaction="Nochris, mei oare wurden.")
    events = db.session.exec(select(AccessLogEntry.event).where(AccessLogEntry.family_id == part.complaint_id)).all()
    assert "complaint.react" in events


def test_a_missing_reaction_is_late_after_the_month_and_keeps_the_closed_part_in_the_queue(world):
    from datetime import timedelta

    handled = _closed(world)
    part = handled.part
    other = file(world, client_id="client-tom-0002").parts[0]
    assert services.lateness(part, part.reaction_by).reaction is False
    assert services.lateness(part, part.reaction_by + timedelta(days=1)).reaction is True
    lines = handling.queue(db.session, person=world.person("karin"))
    assert {line.part.id for line in lines} == {part.id, other.id}  # closed, but the reaction is still owed
    part.reaction_on = part.reaction_by + timedelta(days=3)  # given, but late
    assert services.lateness(part, part.reaction_on).reaction is True


def test_reopening_clears_the_reaction_of_the_earlier_judgement(world):
    handled = _closed(world)
    karin = world.person("karin")
    handling.react(db.session, person=karin, handled=handled, reaction="Wy feroarje neat, want ...")
    part = services.answer_satisfaction(db.session, person=world.person("tom"), complaint=handled.complaint,
                                        part_id=handled.part.id, answer="reopen")
    assert (part.reaction_by, part.reaction_on, part.reaction) == (None, None, "")


# Lateness of the start (acknowledgement)


def test_a_start_owed_after_reopening_or_passing_on_is_flagged_late(world):
    from datetime import timedelta

    handled = _closed(world)
    part = services.answer_satisfaction(db.session, person=world.person("tom"), complaint=handled.complaint,
                                        part_id=handled.part.id, answer="reopen")
    assert services.lateness(part, part.acknowledge_by + timedelta(days=1)).acknowledge is True
    handling.forward(db.session, person=world.person("karin"), handled=handled,
                     reason="It is about the municipality's decision, not about our help.")
    assert part.status == "forwarded"
    assert services.lateness(part, part.acknowledge_by + timedelta(days=1)).acknowledge is True
    jeroen = world.person("jeroen")
    again = handling.handled_part(db.session, person=jeroen, part_id=part.id)
    handling.assign(db.session, person=jeroen, handled=again, handler_id=jeroen.id)
    assert services.lateness(part, part.acknowledge_by + timedelta(days=1)).acknowledge is False


# Who handles it: never the person complained about; the family's helper only when nobody else can


def _sjoukje(world) -> Person:
    """Karin's colleague at Kompas, who gives Tom's help in the demo (app/demo/provider_work.py)."""
    return db.session.exec(select(Person).where(Person.given_name == "Sjoukje", Person.family_name == "Kuipers")).one()


def _only_staff_at_kompas(world, person: Person) -> None:
    """Leave `person` the one staff member of Kompas."""
    for membership in db.session.exec(select(StaffMembership).where(
            StaffMembership.organisation_id == world.kompas.organisation_id,
            StaffMembership.person_id != person.id)).all():
        db.session.delete(membership)
    db.session.flush()


def test_sjoukje_gives_toms_help_so_she_is_involved_but_handles_it_while_she_is_the_only_one(world):
    sjoukje = _sjoukje(world)
    _only_staff_at_kompas(world, sjoukje)
    part = file(world).parts[0]
    assert part.complained_about_id is None
    assert part.involved_id == sjoukje.id
    handled = handling.handled_part(db.session, person=sjoukje, part_id=part.id)
    assert handled.involved is True
    assert [c.id for c in handled.colleagues] == [sjoukje.id]


def test_a_colleague_handles_it_when_the_complaint_names_no_one_and_sjoukje_gives_the_help(world):
    karin, sjoukje = world.person("karin"), _sjoukje(world)
    part = file(world).parts[0]
    assert part.involved_id == sjoukje.id
    assert handling.queue(db.session, person=sjoukje) == []
    with pytest.raises(NotFound):
        handling.handled_part(db.session, person=sjoukje, part_id=part.id)
    handled = handling.handled_part(db.session, person=karin, part_id=part.id)
    assert (handled.involved, [c.id for c in handled.colleagues]) == (False, [karin.id])
    with pytest.raises(ValidationFailed):
        handling.assign(db.session, person=karin, handled=handled, handler_id=sjoukje.id)


def test_a_named_person_is_never_the_handler_even_when_no_one_else_is_left(world):
    sjoukje = _sjoukje(world)
    _only_staff_at_kompas(world, sjoukje)
    part = file(world, about_person_id=sjoukje.id).parts[0]
    assert (part.complained_about_id, part.involved_id) == (sjoukje.id, None)
    assert handling.queue(db.session, person=sjoukje) == []
