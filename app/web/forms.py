"""The base form: services' (field, message) errors go back onto the form."""

from datetime import date
from functools import lru_cache

from babel import support
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from markupsafe import Markup, escape
from wtforms import DateField
from wtforms.i18n import messages_path
from wtforms.validators import Length


@lru_cache(maxsize=8)
def _wtforms_catalog(locale: str) -> support.NullTranslations:
    """WTForms' own messages in a language, read from disk once per process (Flask-WTF reads them per request)."""
    return support.Translations.load(messages_path(), [locale], domain="wtforms")


class _WtformsMessages:
    """WTForms' messages in the language of the moment they are shown (a save can change the person's language)."""

    def gettext(self, string: str) -> str:
        return _wtforms_catalog(str(get_locale() or "nl")).ugettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return _wtforms_catalog(str(get_locale() or "nl")).ungettext(singular, plural, n)


_WTFORMS_MESSAGES = _WtformsMessages()


class BaseForm(FlaskForm):
    """A form that can take a service's validation reasons."""

    class Meta(FlaskForm.Meta):
        def get_translations(self, form):
            return _WTFORMS_MESSAGES

    def apply_errors(self, reasons: list[tuple[str, str]]) -> None:
        """Attach each (field, message) reason to its field, or to the form as a whole."""
        for name, message in reasons:
            field = getattr(self, name, None)
            if field is not None and hasattr(field, "errors"):
                field.errors = [*field.errors, message]
            else:
                self.form_errors.append(message)


def at_most(length: int) -> Length:
    """A length limit whose message is in the person's language."""
    return Length(max=length, message=_l("Use at most %(max)d characters."))


class DateInput(DateField):
    """A date field (HTML date picker) whose error is in the person's language."""

    def process_formdata(self, valuelist):
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        try:
            self.data = date.fromisoformat(valuelist[0].strip()[:10])
        except ValueError:
            self.data = None
            raise ValueError(_("This is not a date. Use the date picker or type it as 2026-03-31.")) from None


_TYPES = {"StringField": "text", "DateInput": "date"}
_VALIDATION_FLAGS = ("required", "maxlength", "minlength", "max", "min", "step")


def _attrs(values: dict) -> str:
    return " ".join(f'{name}="{escape(value)}"' for name, value in values.items())


def field_input(field, field_id: str, error_id: str, autofocus: bool = False) -> Markup:
    """A text, text area, date or select field's control, as WTForms draws it but without its per-call overhead.

    A plan page draws dozens of fields and options; WTForms' widgets look up every flag and translate every
    option label on each call. Other field types are left to WTForms. `autofocus`: the first field of an editor
    that has just opened (the browser, or htmx after a swap, puts focus there).
    """
    attrs = {"class": "field__input", "id": field_id}
    if autofocus:
        attrs["autofocus"] = "autofocus"
    if field.errors:
        attrs.update({"aria-invalid": "true", "aria-describedby": error_id})
    flags = vars(field.flags)
    attrs.update((name, flags[name]) for name in _VALIDATION_FLAGS if flags.get(name) not in (None, False))
    if "required" in attrs:
        attrs["required"] = "required"
    attrs["name"] = field.name
    kind = field.type
    if kind == "TextAreaField":
        return Markup(f"<textarea {_attrs(attrs)}>\r\n{escape(field._value())}</textarea>")
    if kind in _TYPES:
        return Markup(f'<input {_attrs(attrs)} type="{_TYPES[kind]}" value="{escape(field._value())}">')
    if kind == "SelectField":
        options = "".join(
            f'<option{" selected" if selected else ""} value="{escape(value)}">{escape(label)}</option>'
            for value, label, selected, _ in field.iter_choices())
        return Markup(f"<select {_attrs(attrs)}>{options}</select>")
    return field(**{("class_" if key == "class" else key.replace("-", "_")): value for key, value in attrs.items()
                    if key != "name"})
