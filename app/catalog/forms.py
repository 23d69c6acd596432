"""The catalog's search form (a GET form: it works without JavaScript and its URL can be shared)."""

from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, SearchField, SelectField, StringField
from wtforms.validators import Length, NumberRange, Optional, ValidationError

from app.catalog import geo
from app.catalog.search import SearchQuery
from app.catalog.vocab import CATEGORIES, DISTANCES, FORMS, SEARCH_CATEGORIES, SORTS, THEMES, language_name
from app.web.forms import BaseForm, DateInput

MAX_QUERY = 200
SEARCH_LANGUAGES = ("fy", "nl", "en", "de", "pl", "ar", "tr")


def _any(label) -> list[tuple[str, str]]:
    return [("", str(label))]


class Choice(SelectField):
    """A select whose wrong value (a hand-made URL) gets an error in the reader's language."""

    def __init__(self, label=None, **kwargs):
        super().__init__(label, default=kwargs.pop("default", ""), **kwargs)

    def pre_validate(self, form) -> None:
        if self.data not in {value for value, _label in self.choices}:
            raise ValidationError(_l("Choose one of the options."))


class WholeNumber(IntegerField):
    """A whole number whose error is in the reader's language."""

    def process_formdata(self, valuelist) -> None:
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        try:
            self.data = int(valuelist[0].strip())
        except ValueError:
            self.data = None
            raise ValueError(_l("Fill in a whole number.")) from None


class SearchForm(BaseForm):
    """Search words and filters; names are the Dutch URL parameters (?q=angst&leeftijd=14)."""

    class Meta:
        csrf = False  # a GET search changes nothing

    q = SearchField(_l("Search words"), validators=[Optional(), Length(max=MAX_QUERY, message=_l(
        "Use at most %(max)d characters."))])
    soort = Choice(_l("Type of help"))
    leeftijd = WholeNumber(_l("Age of the young person"), validators=[Optional(), NumberRange(
        min=0, max=27, message=_l("Fill in an age from 0 to 27."))])
    thema = Choice(_l("Theme"))
    vorm = Choice(_l("Where the help takes place"))
    wachttijd = Choice(_l("Waiting time at most"))
    postcode = StringField(_l("Your postcode"), validators=[Optional(), Length(max=10)])
    afstand = Choice(_l("Distance at most"))
    taal = Choice(_l("Language spoken"))
    gemeente = Choice(_l("Contracted by municipality"))
    sorteer = Choice(_l("Sort by"), default="relevance")
    pagina = WholeNumber(validators=[Optional(), NumberRange(min=1, max=10_000, message=_l(
        "There is no such page."))])

    def fill_choices(self, municipalities: list) -> "SearchForm":
        """Set the choices (words in the reader's language, so only at request time)."""
        self.soort.choices = _any(_l("Any type")) + [(code, str(CATEGORIES[code])) for code in SEARCH_CATEGORIES]
        self.thema.choices = _any(_l("Any theme")) + sorted(((k, str(v)) for k, v in THEMES.items()),
                                                            key=lambda pair: pair[1])
        self.vorm.choices = _any(_l("Anywhere")) + [(k, str(v)) for k, v in FORMS.items()]
        self.wachttijd.choices = _any(_l("Any waiting time")) + [
            ("0", str(_l("No waiting time")))] + [(str(w), str(_l("%(num)d weeks", num=w))) for w in (2, 4, 5, 8, 12)]
        self.afstand.choices = _any(_l("Any distance")) + [(str(km), f"{km} km") for km in DISTANCES]
        self.taal.choices = _any(_l("Any language")) + [(code, language_name(code)) for code in SEARCH_LANGUAGES]
        self.gemeente.choices = _any(_l("Any municipality")) + [(m.cbs_code, m.name) for m in municipalities]
        self.sorteer.choices = [(k, str(v)) for k, v in SORTS.items()]
        return self

    def validate_postcode(self, field) -> None:
        if field.data and geo.normalise_postcode(field.data) is None:
            raise ValidationError(_l("Fill in a postcode like 8911 AB or 8911."))

    def shown(self, name: str) -> str:
        """The words of a filter's current value (a choice's label, or what was typed)."""
        field = self[name]
        value = "" if field.data is None else str(field.data)
        return dict(getattr(field, "choices", None) or []).get(value, value)

    def query(self) -> SearchQuery:
        """The validated search as the service takes it."""
        return SearchQuery(
            text=(self.q.data or "").strip(), category=self.soort.data or "", age=self.leeftijd.data,
            theme=self.thema.data or "", form=self.vorm.data or "",
            max_wait=int(self.wachttijd.data) if self.wachttijd.data else None,
            postcode=geo.normalise_postcode(self.postcode.data) or "",
            max_km=int(self.afstand.data) if self.afstand.data else None, language=self.taal.data or "",
            municipality=self.gemeente.data or "", sort=self.sorteer.data or "relevance", page=self.pagina.data or 1)


class ConfirmForm(BaseForm):
    """The professional confirms a family's choice, with the date the help should start."""

    requested_start = DateInput(_l("Start the help from"), validators=[Optional()])
