"""The base form: services' (field, message) errors go back onto the form."""

from datetime import date

from flask_babel import gettext as _
from flask_wtf import FlaskForm
from wtforms import DateField


class BaseForm(FlaskForm):
    """A form that can take a service's validation reasons."""

    def apply_errors(self, reasons: list[tuple[str, str]]) -> None:
        """Attach each (field, message) reason to its field, or to the form as a whole."""
        for name, message in reasons:
            field = getattr(self, name, None)
            if field is not None and hasattr(field, "errors"):
                field.errors = [*field.errors, message]
            else:
                self.form_errors.append(message)


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
