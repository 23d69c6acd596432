"""The demo family's plan: realistic content, partly in Frysk, written through the real services."""

from datetime import timedelta

from sqlmodel import Session, select

from app.children.models import CheckIn
from app.core.clock import today, utcnow
from app.identity.models import Family, Membership, Person
from app.plans import agreement, services
from app.plans.context import plan_context
from app.plans.models import Plan, PlanItem


def seed_plan(session: Session, people: dict[str, Person], plan_id: str) -> None:
    """Fill the plan once (a second seed leaves it as it is)."""
    if session.exec(select(PlanItem).where(PlanItem.plan_id == plan_id)).first() is not None:
        return
    mark = people["mark"]
    ctx = plan_context(session, person=mark, plan_id=plan_id)
    d = today()

    def add(key: str, kind: str, **fields) -> PlanItem:
        return services.create_item(session, ctx=ctx, speaker=services.speaker_for(ctx, people[key].id), kind=kind,
                                    fields=fields)

    tom, lisa, noor = people["tom"].id, people["lisa"].id, people["noor"].id
    add("sanne", "strength", text="Wy meitsje alle sneonen tegearre iten. Dan prate wy mei-inoar oer de wike.")
    add("erik", "strength", text="Tom en ik gaan elke zondag samen naar het voetballen van Cambuur.", youth_id=tom)
    add("fenna", "strength", text="Beppe Fenna hellet Noor alle tiisdeis fan skoalle. Noor fynt dat hiel gesellich.",
        youth_id=noor)
    worry = add("sanne", "worry", text="Tom giet net graach nei skoalle en sit in soad op syn tillefoan.",
                youth_id=tom)
    add("tom", "worry", text="Ik snap wiskunde niet en dan heb ik geen zin meer in school.", youth_id=tom)
    add("erik", "worry", text="Het wisselen tussen onze huizen gaat vaak mis. Dan mist Tom zijn spullen.")
    add("lisa", "worry", text="Ik word heel onrustig voor toetsen en slaap dan slecht.", youth_id=lisa)
    school = add("mark", "goal", domain="school", youth_id=tom, text="Tom gaat weer met plezier naar school",
                 result="Tom haalt voor wiskunde minstens een 6.", due_date=d + timedelta(days=120),
                 helpers="Mentor op school, bijles")
    switch = add("mark", "goal", domain="parenting", youth_id=tom,
                 text="Vaste afspraken over wisselen tussen de huizen",
                 result="Er is een weekrooster dat Sanne en Erik allebei kennen. Tom heeft zijn spullen bij zich.",
                 due_date=d + timedelta(days=60), helpers="Sanne, Erik en Mark")
    calm = add("lisa", "goal", domain="health", youth_id=lisa, text="Beter omgaan met spanning voor toetsen",
               result="Ik slaap de nacht voor een toets minstens 7 uur en ken 2 manieren om rustig te worden.",
               due_date=d + timedelta(days=90), helpers="Psycholoog")
    sport = add("sanne", "goal", domain="leisure", youth_id=noor, text="Noor docht mei oan in sport dy't se sels kiest",
                result="Noor giet elke wike nei in sportklub.", due_date=d + timedelta(days=100), helpers="Beppe Fenna",
                child_text="Ik mei sels in sport kieze. Dan gean ik alle wiken sporten!")
    add("fenna", "action", text="Noor tiisdeis fan skoalle helje en mei har nei it swimmen",
        owner_id=people["fenna"].id, goal_id=sport.id, due_date=d + timedelta(days=60))
    add("erik", "action", text="Weekrooster maken en in de gedeelde agenda zetten", owner_id=people["erik"].id,
        goal_id=switch.id, due_date=d + timedelta(days=14))
    talk = add("sanne", "action", text="Mei de mentor fan Tom prate oer wiskunde", owner_id=people["sanne"].id,
               goal_id=school.id, due_date=d + timedelta(days=7))
    add("tom", "action", text="Elke dinsdag na school een halfuur wiskunde oefenen", owner_id=tom, goal_id=school.id)
    add("mark", "action", text="Bijles zoeken in de Jeugdhulpcatalogus", owner_id=mark.id, goal_id=school.id,
        due_date=d + timedelta(days=10))
    add("lisa", "action", text="Afspraak maken met de huisarts over slapen", owner_id=lisa, goal_id=calm.id,
        due_date=d - timedelta(days=3))
    add("mark", "safety", youth_id=tom, text="Als de ruzie thuis te hoog oploopt, gaat Tom naar oma Fenna en belt "
        "Sanne met Mark.")
    add("mark", "evaluation", text="We kijken samen hoe het gaat met school en met het wisselen.",
        due_date=d + timedelta(days=42))
    add("mark", "evaluation", text="Grote evaluatie van het hele plan.", due_date=d + timedelta(days=120))
    add("tom", "own_words", text="Ik wil vooral dat mijn ouders minder ruzie maken over mij.")
    secret = add("tom", "own_words", text="Soms durf ik niet te zeggen dat ik me thuis niet goed voel.")
    add("noor", "own_words", text="Ik vind het fijn als beppe mij ophaalt 🙂")
    _check_ins(session, ctx, people)
    _history_and_agreement(session, ctx, people, worry, school, switch, calm, sport, talk, secret)


def _check_ins(session: Session, ctx, people: dict[str, Person]) -> None:
    """Noor said how she was, on her mother's phone, three times this week."""
    noor, sanne = people["noor"], people["sanne"]
    for days_ago, face in ((6, 3), (3, 2), (1, 4)):
        session.add(CheckIn(plan_id=ctx.plan.id, person_id=noor.id, typed_by_id=sanne.id, age=noor.age, face=face,
                            created_at=utcnow() - timedelta(days=days_ago)))


def _history_and_agreement(session, ctx, people, worry, school, switch, calm, sport, talk, secret) -> None:
    """Some changes, a withheld item, and agreement in several states."""
    sanne = services.speaker_for(ctx, people["sanne"].id)
    services.update_item(session, ctx=ctx, speaker=sanne, item_id=worry.id, expected_version=worry.version,
                         fields={"text": "Tom giet net graach nei skoalle en sit jûns lang op syn tillefoan. Ik bin "
                                      "bang dat er efterop rekket.", "youth_id": worry.youth_id})
    services.update_item(session, ctx=ctx, speaker=services.speaker_for(ctx, people["mark"].id), item_id=school.id,
                         expected_version=school.version,
                         fields={"domain": "school", "youth_id": school.youth_id, "text": school.text,
                              "result": "Tom haalt voor wiskunde minstens een 6 en meldt zich hooguit 2 keer per "
                                        "maand ziek.", "due_date": school.due_date, "helpers": school.helpers})
    services.set_done(session, ctx=ctx, speaker=sanne, item_id=talk.id, done=True)
    services.set_visibility(session, ctx=ctx, item_id=secret.id, change="withhold",
                            reason="Tom wil dit eerst zelf met zijn ouders bespreken, samen met Mark.",
                            consulted="Hiske de Vries, gedragswetenschapper in het gebiedsteam",
                            opinion="Eens: Tom vertelt het zelf, met Mark erbij, binnen vier weken.")
    agreement.ask_for_agreement(session, ctx=ctx)
    for key, goal, decision, reason in [
        ("sanne", sport, "agree", ""), ("erik", sport, "agree", ""), ("lisa", calm, "agree", ""),
        ("sanne", switch, "agree", ""), ("erik", switch, "agree", ""), ("tom", switch, "agree", ""),
        ("sanne", school, "agree", ""), ("tom", school, "disagree", "Ik wil eerst zelf met de mentor praten."),
        ("sanne", None, "agree", ""),
    ]:
        agreement.decide(session, ctx=ctx, person_id=people[key].id, goal_id=goal.id if goal else None,
                         decision=decision, reason=reason)


CASELOAD = [
    ("Dijkstra", "Marieke", "school", "Jelle giet wer alle dagen nei skoalle", 12, -5),
    ("El Amrani", "Samira", "parenting", "Rust bij het naar bed gaan", 30, 3),
    ("Postma", "Gerben", "housing", "Een vaste plek om te wonen", 55, -12),
    ("de Jong", "Anouk", "health", "Minder buikpijn voor school", 9, 14),
    ("Wiersma", "Hylke", "leisure", "Elke wike nei it fuotbaljen", 70, 20),
]


def seed_caseload(session: Session, mark: Person, municipality_id: int) -> None:
    """A few more families for Mark, so his overview has something to sort (once)."""
    for surname, parent_name, domain, goal_text, evaluation_in, action_in in CASELOAD:
        name = f"Gezin {surname}"
        if session.exec(select(Family).where(Family.name == name)).first() is not None:
            continue
        family = Family(name=name, municipality_id=municipality_id)
        session.add(family)
        session.flush()
        plan = Plan(family_id=family.id)
        parent = Person(given_name=parent_name, family_name=surname, language="nl")
        session.add_all([plan, parent])
        session.flush()
        session.add_all([Membership(family_id=family.id, person_id=mark.id, role="professional"),
                         Membership(family_id=family.id, person_id=parent.id, role="parent", has_custody=True)])
        session.flush()
        ctx = plan_context(session, person=mark, plan_id=plan.id)
        me = services.speaker_for(ctx, None)
        d = today()
        goal = services.create_item(session, ctx=ctx, speaker=me, kind="goal",
                                    fields={"text": goal_text, "domain": domain, "result": "", "helpers": ""})
        services.create_item(session, ctx=ctx, speaker=me, kind="action",
                             fields={"text": "Gesprek met school plannen", "owner_id": mark.id, "goal_id": goal.id,
                                  "due_date": d + timedelta(days=action_in)})
        services.create_item(session, ctx=ctx, speaker=me, kind="evaluation",
                             fields={"text": "Evaluatie", "due_date": d + timedelta(days=evaluation_in)})
        if evaluation_in < 40:
            agreement.ask_for_agreement(session, ctx=ctx)
