"""The training sandbox's reset confirmation."""
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField
from wtforms.validators import DataRequired

from portal.forms import PortalForm


class ResetForm(PortalForm):
    confirmed = BooleanField(_l("I understand that everything listed above is removed"),
                             validators=[DataRequired()])
