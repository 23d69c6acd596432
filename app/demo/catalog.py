"""A made-up but plausible demo catalog for Fryslân and West-Brabant West, generated from small word lists.

The random generator has a fixed seed, so every seed makes the same providers and offers (only the "last
updated" dates move with today, so some waiting times are always fresh and some always stale).
"""

import random
from datetime import timedelta

from sqlmodel import Session, select

from app.catalog import assignments, bulk
from app.catalog.importer import ImportReport, import_catalog
from app.catalog.models import Assignment, Offer, OfferTheme, Provider, ProviderContract
from app.core.clock import today
from app.demo.world import FAMILY_NAME
from app.identity.models import Family
from app.plans.context import plan_context
from app.plans.models import PlanItem

SEED = 20261122
DEMO_POSTCODE = "8924 AB"  # the demo family's home in Leeuwarden (Tom's goal searches from here)
FRYSLAN = [("Leeuwarden", "0080", 8911, 8939, "058"), ("Drachten", "0090", 9200, 9206, "0512"),
           ("Sneek", "1900", 8600, 8608, "0515"), ("Heerenveen", "0074", 8440, 8449, "0513"),
           ("Dokkum", "1970", 9101, 9104, "0519"), ("Harlingen", "0072", 8861, 8862, "0517"),
           ("Joure", "1940", 8501, 8502, "0513"), ("Burgum", "0737", 9251, 9251, "0511")]
BRABANT = [("Roosendaal", "1674", 4700, 4709, "0165"), ("Bergen op Zoom", "0748", 4611, 4625, "0164"),
           ("Etten-Leur", "0777", 4870, 4879, "076"), ("Oudenbosch", "1655", 4731, 4731, "0165"),
           ("Zevenbergen", "1709", 4761, 4761, "0168"), ("Steenbergen", "0851", 4651, 4651, "0167")]
FRYSLAN_CBS = ["0059", "1891", "1940", "0072", "0074", "0080", "1970", "0085", "0086", "0090", "1900", "0737",
               "1949", "0098"]
BRABANT_CBS = ["0748", "0777", "1655", "1709", "1674", "0840", "0851", "0873", "0879"]
FRISIAN_NAMES = ["De Wâldrâne", "Iepen Doar", "De Terp", "Sinnekrûd", "Mienskip", "Fjildrâne", "De Skâns",
                 "Lytse Stap", "De Hoeke", "It Ankerplak", "Greidhoeke", "De Marren", "Beamte", "Op 'e Hichte",
                 "De Kapenbult", "Sulver Wetter", "De Poarte", "Tsjoele Stjer", "Nij Begjin", "De Feart"]
BRABANT_NAMES = ["De Markiezaat", "Vlindertuin", "Zoomland", "De Brabantse Wal", "Het Anker", "De Brug",
                 "Kwekerij Kids", "De Vliedberg", "Het Bolwerk", "De Zonnewijzer", "Molenzicht", "De Schelde",
                 "Het Kompasje", "De Boomgaard", "Heidelicht", "Oostpolder", "De Wissel", "Lichtpunt",
                 "De Aanloop", "Markdal"]
KINDS = ["Jeugdhulp", "Gezinsbegeleiding", "Jeugd-ggz", "Praktijk voor Jeugd", "Opvoedhulp", "Kind & Gezin"]
FUNDING_BY_CATEGORY = {"46": "effort", "41": "effort", "44": "task"}  # crisis and day care per day, stays per task
STREETS = ["Stationsweg", "Kerkstraat", "Molenweg", "Schoolstraat", "Badweg", "Markt", "Noorderweg",
           "Dijkstraat", "Tuinen", "Brugstraat", "Zuiderstraat", "Parklaan"]
# (name, themes, category, form, ages, method, effective, intensity, nl, fy or "", en or "")
OFFERS = [
    ("Thuisbegeleiding bij opvoedvragen", "opvoeden|gedrag", "45", "home", (0, 18), "Triple P", True, "light",
     "Een begeleider komt bij jullie thuis. Samen kijken jullie wat goed gaat en wat lastig is bij het opvoeden.",
     "In begelieder komt by jimme thús. Mei-inoar sjogge jimme wat goed giet en wat dreech is by it opfieden.",
     "A coach visits you at home. Together you look at what goes well and what is hard in raising your children."),
    ("Angsttraining voor jongeren", "angst", "45", "provider", (8, 18), "VRIENDEN-programma", True, "light",
     "Ben je vaak bang of gespannen? In tien lessen leer je hoe angst werkt en wat je ertegen kunt doen.",
     "Bisto faak bang of spand? Yn tsien lessen learsto hoe't eangst wurket en wat asto dêr tsjin dwaan kinst.",
     ""),
    ("Hulp bij angst en piekeren", "angst|somberheid", "54", "provider", (12, 23), "Cognitieve gedragstherapie",
     True, "medium",
     "Je praat met een behandelaar over je angsten en gedachten. Je oefent stap voor stap met wat je eng vindt.",
     "", "You talk with a therapist about your fears and thoughts, and practise step by step."),
    ("Ouderbegeleiding bij autisme", "autisme|opvoeden", "45", "home", (2, 18), "", False, "medium",
     "Je kind heeft autisme. Je leert wat je kind nodig heeft en hoe je de dag overzichtelijk maakt.",
     "Dyn bern hat autisme. Do learst wat dyn bern nedich hat en hoe'tsto de dei oersichtlik meitsje kinst.", ""),
    ("Kinderen in scheiding (groep)", "scheiding", "45", "provider", (6, 16), "KIES", True, "light",
     "Je ouders gaan uit elkaar. In een groep met andere kinderen praat, teken en speel je over wat je meemaakt.",
     "Dyn âlden geane útinoar. Yn in groep mei oare bern praatsto, tekenesto en boartsjesto oer wat'st meimakkest.",
     "Your parents are splitting up. In a group with other children you talk, draw and play about it."),
    ("Traumabehandeling met EMDR", "trauma", "54", "provider", (4, 23), "EMDR", True, "medium",
     "Heb je iets ergs meegemaakt? Met EMDR wordt de herinnering minder heftig. Je ouders helpen mee.",
     "", "Something bad happened to you? EMDR makes the memory less intense. Your parents help."),
    ("Begeleiding bij schoolverzuim", "school|angst", "45", "home", (6, 18), "", False, "medium",
     "Ga je niet of weinig naar school? Een begeleider zoekt met jou, je ouders en school naar een weg terug.",
     "Giesto net of amper nei skoalle? In begelieder siket mei dy, dyn âlden en skoalle nei in wei werom.", ""),
    ("Dagbehandeling jonge kinderen", "gedrag|autisme", "41", "day", (2, 7), "", False, "intensive",
     "Je kind komt een paar dagdelen per week naar onze groep. We werken aan spelen, praten en samen zijn.",
     "", ""),
    ("Logeren in een gastgezin", "opvoeden|lvb", "44", "stay", (4, 18), "", False, "light",
     "Je kind logeert af en toe een weekend bij een vast gastgezin. Zo krijgen jullie thuis even rust.",
     "Dyn bern logearret sa no en dan in wykein by in fêst gastgesin. Sa krije jimme thús efkes rêst.", ""),
    ("Online coaching bij somberheid", "somberheid", "54", "online", (14, 23), "", False, "light",
     "Voel je je vaak somber? Je chat en videobelt met een coach, op momenten dat het jou uitkomt.",
     "", "Often feeling low? You chat and video call with a coach when it suits you."),
    ("Jongerencoaching bij middelengebruik", "verslaving", "45", "home", (12, 23), "Motiverende gespreksvoering",
     False, "medium", "Gebruik je alcohol, drugs of game je veel? Een coach helpt je kiezen wat jij wilt veranderen.",
     "", ""),
    ("Hechtingsgerichte gezinsbehandeling", "hechting|trauma", "54", "home", (0, 12), "", False, "intensive",
     "Voor ouders en kinderen die moeilijk contact met elkaar maken. We werken thuis aan vertrouwen en veiligheid.",
     "Foar âlden en bern dy't dreech kontakt mei-inoar krije. Wy wurkje thús oan fertrouwen en feilichheid.", ""),
    ("Thuisbegeleiding bij een licht verstandelijke beperking", "lvb|opvoeden", "45", "home", (4, 23), "", False,
     "medium", "Begeleiding thuis in eenvoudige stappen, met plaatjes en vaste afspraken. Voor kind en ouders.",
     "", ""),
    ("Training voor ouders van kinderen met ADHD", "adhd|opvoeden|gedrag", "45", "provider", (4, 12), "PMTO", True,
     "light", "Je leert hoe je je kind helpt om rustig te worden en hoe je vaker kunt prijzen dan boos worden.",
     "Do learst hoe'tsto dyn bern helpst om rêstich te wurden en hoe'tsto faker priizgje kinst as lilk wurde.",
     "You learn how to help your child calm down, and to praise more often than to get angry."),
    ("Intensieve hulp thuis bij crisis", "gedrag|opvoeden", "46", "home", (0, 18), "Families First", True,
     "very_intensive", "Als het thuis niet meer gaat, komen we binnen een dag. Zes weken lang, bijna elke dag.", "",
     ""),
    ("Behandeling bij ADHD", "adhd|school", "54", "provider", (6, 18), "", False, "light",
     "Onderzoek en behandeling bij concentratieproblemen en druk gedrag, samen met je ouders en school.", "", ""),
]


def seed_catalog(session: Session) -> ImportReport:
    """Load the demo catalog and give the demo family a postcode: inserted in bulk the first time, refreshed through
    the importer after that (idempotent: loading it again the same day changes nothing)."""
    rows = demo_rows()
    report = bulk.insert_catalog(session, rows) if bulk.is_new(session, rows) else import_catalog(
        session, enumerate(rows, start=2))

    family = session.exec(select(Family).where(Family.name == FAMILY_NAME)).first()
    if family is not None and not family.postcode:
        family.postcode = DEMO_POSTCODE
        session.add(family)
    return report


def demo_rows(providers: int = 44) -> list[dict]:
    """The demo catalog as import rows: `providers` providers with 3 to 5 offers each."""
    rng = random.Random(SEED)
    rows = [*_kompas_rows()]
    for number in range(1, providers):
        frisian = number % 5 < 3  # three in five in Fryslân
        rows += _provider_rows(rng, number, frisian)
    return rows


def _kompas_rows() -> list[dict]:
    """Karin's organisation: a Frysk-speaking ambulant provider in Leeuwarden with short waits."""
    provider = {"provider_id": "demo-p000", "provider_name": "Kompas Jeugdhulp Fryslân", "agb_code": "98000001",
                "kvk_number": "01000001", "website": "https://kompas-jeugdhulp.example", "phone": "058-2000001",
                "languages": "nl|fy|en", "complaint_regime": "jeugdwet",
                "complaint_officer": "Klachtencommissie Kompas (via de klachtenfunctionaris)",
                "complaint_phone": "058-2000009", "complaint_email": "klachten@kompas-jeugdhulp.example",
                "complaint_term_weeks": "8",
                "contracted_municipalities": "|".join(FRYSLAN_CBS), "location_address": "Tuinen 12",
                "location_postcode": "8911 KD", "location_city": "Leeuwarden", "location_cbs": "0080"}
    picks = [(0, 2, 10), (1, 1, 3), (3, 4, 40), (6, 3, 20), (13, 5, 70)]
    return [{**provider, **_offer_fields(OFFERS[index], f"demo-o000-{n}", wait, days)}
            for n, (index, wait, days) in enumerate(picks)]


def _provider_rows(rng: random.Random, number: int, frisian: bool) -> list[dict]:
    town, cbs, first, last, area = rng.choice(FRYSLAN if frisian else BRABANT)
    name = f"{rng.choice(FRISIAN_NAMES if frisian else BRABANT_NAMES)} {rng.choice(KINDS)}"
    if number > 20:
        name = f"{name} {town}"
    languages = ["nl"] + (["fy"] if frisian and rng.random() < 0.6 else []) + rng.sample(["en", "de", "pl", "ar"],
                                                                                          rng.randint(0, 2))
    slug = "".join(ch for ch in name.lower() if ch.isascii() and ch.isalnum())[:30]
    is_ggz = "ggz" in name.lower()
    provider = {
        "provider_id": f"demo-p{number:03d}", "provider_name": name, "agb_code": f"98{number:06d}",
        "kvk_number": f"{rng.randint(10_000_000, 99_999_999)}", "website": f"https://{slug}.example",
        "phone": f"{area}-{rng.randint(200_000, 699_999)}", "languages": "|".join(languages),
        "complaint_regime": "wkkgz" if is_ggz else "jeugdwet",
        "complaint_officer": rng.choice(["Klachtenfunctionaris", "Klachtencommissie", "Vertrouwenspersoon klachten"]),
        "complaint_phone": f"{area}-{rng.randint(700_000, 799_999)}", "complaint_email": f"klachten@{slug}.example",
        "complaint_term_weeks": "" if is_ggz or number % 3 else "10",  # no random draw: the rest stays the same
        "contracted_municipalities": "|".join(rng.sample(FRYSLAN_CBS if frisian else BRABANT_CBS,
                                                         rng.randint(4, 9))),
        "location_address": f"{rng.choice(STREETS)} {rng.randint(1, 140)}",
        "location_postcode": f"{rng.randint(first, last)} {rng.choice('ABCDEGHKLMNPRST')}{rng.choice('ABEGHKLNRSTVX')}",
        "location_city": town, "location_cbs": cbs,
    }
    chosen = rng.sample(range(len(OFFERS)), rng.randint(3, 5))
    return [{**provider, **_offer_fields(OFFERS[index], f"demo-o{number:03d}-{n}", rng.randint(0, 20),
                                         rng.choice([3, 10, 20, 30, 45, 60, 90, 120]), frisian)}
            for n, index in enumerate(chosen)]


def _offer_fields(template: tuple, external_id: str, wait: int, days_ago: int, frisian: bool = True) -> dict:
    name, themes, category, form, (age_min, age_max), method, effective, intensity, nl, fy, en = template
    return {"offer_id": external_id, "offer_name": name, "themes": themes, "product_category": category,
            "product_code": f"{category}A{int(external_id[-1]) + 1:02d}", "form": form, "age_min": str(age_min),
            "age_max": str(age_max), "method": method, "effective_intervention": "ja" if effective else "nee",
            "intensity": intensity, "funding": FUNDING_BY_CATEGORY.get(category, "result"), "description_nl": nl,
            "description_fy": fy if frisian else "", "description_en": en, "waiting_weeks": str(wait),
            "waiting_updated_on": (today() - timedelta(days=days_ago)).isoformat()}


def seed_assignments(session: Session, people: dict, plan_id: str) -> None:
    """Help for Noor's goal, chosen by Erik, confirmed by Mark and assigned by the municipality (once)."""
    if session.exec(select(Assignment).where(Assignment.plan_id == plan_id)).first() is not None:
        return
    noor = people["noor"]
    goal = session.exec(select(PlanItem).where(PlanItem.plan_id == plan_id, PlanItem.kind == "goal",
                                               PlanItem.youth_id == noor.id)).first()
    ctx = plan_context(session, person=people["erik"], plan_id=plan_id)
    kompas = session.exec(select(Provider).where(Provider.external_id == "demo-p000")).one()
    offer = session.exec(select(Offer).join(ProviderContract, ProviderContract.provider_id == Offer.provider_id)
                         .join(OfferTheme, OfferTheme.offer_id == Offer.id)
                         .where(ProviderContract.municipality_id == ctx.access.family.municipality_id,
                                Offer.provider_id != kompas.id, Offer.age_min <= noor.age, Offer.age_max >= noor.age,
                                OfferTheme.theme == "opvoeden").order_by(Offer.waiting_weeks, Offer.id)).first()
    if goal is None or offer is None:
        return
    assignments.choose_offer(session, ctx=ctx, goal_id=goal.id, offer_id=offer.id)
    start = today() + timedelta(days=7)
    request = assignments.confirm(session, ctx=plan_context(session, person=people["mark"], plan_id=plan_id),
                                  goal_id=goal.id, requested_start=start)
    assignments.record_decision(session, reference=request.reference, decision="assigned", number=2026104,
                                start=start, end=start + timedelta(days=182))
