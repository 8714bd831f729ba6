"""Flask-WTF forms: one class per static screen, all built on PortalForm."""
from flask_wtf import FlaskForm

from portal.domain.text import clean


class PortalForm(FlaskForm):
    """Every text a user types loses NUL and invisible direction marks before validation."""

    class Meta:
        def bind_field(self, form, unbound_field, options):
            filters = list(unbound_field.kwargs.get("filters", ())) + [clean]
            return unbound_field.bind(form=form, filters=filters, **options)
