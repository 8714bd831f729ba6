"""Flask-WTF forms: one class per static screen, all built on PortalForm."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import ValidationError

from portal.domain.text import clean, has_control

CONTROL_MESSAGE = _l("Line breaks and control characters are not allowed here.")


def single_line(_form, field):
    """CR/LF in a name would reach e-mails as lines of their own: refused, not cleaned."""
    if any(has_control(raw) for raw in field.raw_data or ()):
        raise ValidationError(CONTROL_MESSAGE)


class PortalForm(FlaskForm):
    """Every text a user types loses NUL and invisible characters before validation; a
    single-line field refuses control characters."""

    class Meta:
        def bind_field(self, form, unbound_field, options):
            kwargs = unbound_field.kwargs
            filters = list(kwargs.get("filters", ())) + [clean]
            extra = {}
            if (issubclass(unbound_field.field_class, StringField)
                    and not issubclass(unbound_field.field_class, TextAreaField)):
                extra["validators"] = [single_line] + list(kwargs.get("validators", ()))
            return unbound_field.bind(form=form, filters=filters, **extra, **options)
