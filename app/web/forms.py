"""The base form: services' (field, message) errors go back onto the form."""

from flask_wtf import FlaskForm


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
