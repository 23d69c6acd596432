"""The demo personas: stable keys, ages relative to today, and who they are."""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class Persona:
    """One demo person and their place in the story."""

    key: str
    given_name: str
    family_name: str
    language: str
    age: int | None = None
    days_past_birthday: int = 120
    role: str | None = None  # family role
    has_custody: bool = False
    staff_role: str | None = None
    organisation: str | None = None
    about: object = ""


PERSONAS = (
    Persona("sanne", "Sanne", "Hoekstra", "fy", age=38, role="parent", has_custody=True,
            about=_l("Mother of Tom, Lisa and Noor. Lives in Leeuwarden, works shifts, prefers Frisian.")),
    Persona("erik", "Erik", "de Boer", "nl", age=41, role="parent", has_custody=True,
            about=_l("Father, separated, shares parental authority. Lives in Drachten.")),
    Persona("tom", "Tom", "de Boer", "nl", age=14, role="youth",
            about=_l("14 years old. Checks his plan between lessons. He and his parents both decide.")),
    Persona("lisa", "Lisa", "de Boer", "nl", age=16, days_past_birthday=60, role="youth",
            about=_l("16 years old. Gets help for anxiety and decides herself what her parents may see.")),
    Persona("noor", "Noor", "de Boer", "nl", age=9, role="youth",
            about=_l("9 years old. Sees a child-friendly version; her parents decide for her.")),
    Persona("fenna", "Fenna", "Hoekstra", "fy", age=67, role="network",
            about=_l("Grandmother. Picks Noor up from school on Tuesdays and sees only her own tasks.")),
    Persona("mark", "Mark", "Visser", "nl", age=45, role="professional", staff_role="professional",
            organisation="team",
            about=_l("Youth care professional in the area team. Works with 25 families, often on a tablet.")),
    Persona("karin", "Karin", "Jansen", "nl", age=39, staff_role="provider_staff", organisation="provider",
            about=_l("Works at a care provider the family can choose. Sees only the goals given to her organisation.")),
    Persona("jeroen", "Jeroen", "Bakker", "nl", age=50, staff_role="municipality_staff",
            organisation="backoffice",
            about=_l("Works in the municipality's back office. Sees figures, not what is in the plans.")),
)
PERSONA_KEYS = tuple(p.key for p in PERSONAS)
