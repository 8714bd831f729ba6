"""Screens of the user menu: users, partnership, normative base, insiders; and the admin's."""
import re

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    Email,
    InputRequired,
    Length,
    Optional,
    Regexp,
    ValidationError,
)
from wtforms.widgets import TextInput

from portal.domain.identifiers import is_bin_or_iin
from portal.domain.procedures.values import parse_date
from portal.forms import PortalForm

# WTForms 3.3 deprecates tuples given to a field's constructor (a warning, an error in tests)
LANGUAGE_CHOICES = [SelectChoice("kk", "Қазақша"), SelectChoice("ru", "Русский"),
                    SelectChoice("en", "English")]
TWELVE_DIGITS = Regexp(r"^[0-9]{12}$", message=_l("Enter exactly 12 digits."))


class ContactForm(PortalForm):
    """The contact details a user edits in "Edit profile"."""

    position = StringField(_l("Position"), validators=[DataRequired(), Length(max=200)])
    phone = StringField(_l("Phone"), validators=[DataRequired(), Length(max=32),
                        Regexp(r"^[0-9+() \-]{5,32}$", message=_l("Enter a phone number."))])
    language = SelectField(_l("Language"), choices=LANGUAGE_CHOICES)


class UserForm(ContactForm):
    surname = StringField(_l("Surname"), validators=[DataRequired(), Length(max=100)])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=100)])
    patronymic = StringField(_l("Patronymic"), validators=[Optional(), Length(max=100)])
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email(), Length(max=254)])
    iin = StringField(_l("IIN"), validators=[DataRequired(), TWELVE_DIGITS])
    is_org_admin = BooleanField(_l("Organisation administrator"))
    # a request to the exchange: only its account administrators grant the right
    is_first_head = BooleanField(_l("Ask the exchange to make this user a first head (signs with EDS)"))

    def validate_iin(self, field):
        if not is_bin_or_iin(field.data or ""):
            raise ValidationError(_l("This IIN is not valid: its check digit does not match."))


class StaffUserForm(UserForm):
    is_first_head = BooleanField(_l("First head (signs with EDS)"))
    staff_roles = SelectMultipleField(_l("Exchange roles"), choices=[])


class PartnerForm(PortalForm):
    role = SelectField(_l("Role"), choices=[])
    partner = SelectField(_l("Company"), choices=[], coerce=int)


class RemovalRequestForm(PortalForm):
    reason = TextAreaField(_l("Why should this partner be removed?"),
                           validators=[DataRequired(), Length(max=1000)])


class OrganisationForm(PortalForm):
    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=32),
                       Regexp(r"^[A-Za-z0-9_-]+$", message=_l("Latin letters, digits, - and _ only."))])
    legal_form = StringField(_l("Legal form"), validators=[DataRequired(), Length(max=64)])
    name_full_kk = StringField(_l("Full name in Kazakh"), validators=[DataRequired(), Length(max=500)])
    name_full_ru = StringField(_l("Full name in Russian"), validators=[DataRequired(), Length(max=500)])
    name_full_en = StringField(_l("Full name in English"), validators=[DataRequired(), Length(max=500)])
    name_short_kk = StringField(_l("Short name in Kazakh"), validators=[DataRequired(), Length(max=200)])
    name_short_ru = StringField(_l("Short name in Russian"), validators=[DataRequired(), Length(max=200)])
    name_short_en = StringField(_l("Short name in English"), validators=[DataRequired(), Length(max=200)])
    bin = StringField(_l("BIN"), validators=[DataRequired(), TWELVE_DIGITS])
    roles = SelectMultipleField(_l("Client roles"), choices=[],
                                validators=[DataRequired(_l("Choose at least one role."))])

    def validate_bin(self, field):
        if not is_bin_or_iin(field.data or ""):
            raise ValidationError(_l("This BIN is not valid: its check digit does not match."))

    def validate_code(self, field):
        field.data = re.sub(r"\s+", "", field.data or "").upper()


class NormativeDocumentForm(PortalForm):
    title_kk = StringField(_l("Title in Kazakh"), validators=[DataRequired(), Length(max=500)])
    title_ru = StringField(_l("Title in Russian"), validators=[DataRequired(), Length(max=500)])
    title_en = StringField(_l("Title in English"), validators=[DataRequired(), Length(max=500)])
    kind = SelectField(_l("Kind"), choices=[])
    status = SelectField(_l("Status"), choices=[])
    file = FileField(_l("File (PDF)"))


class DayField(DateField):
    """A date typed as DD.MM.YYYY or YYYY-MM-DD (the domain's parse_date), shown as DD.MM.YYYY
    in a text box: Firefox 33 has no date picker. Use InputRequired with it: DataRequired would
    hide the format error behind "This field is required"."""

    widget = TextInput()

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, validators, format="%d.%m.%Y", description=_l("DD.MM.YYYY"),
                         **kwargs)

    def process_formdata(self, valuelist):
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        try:
            self.data = parse_date(valuelist[0])
        except ValueError:
            self.data = None
            raise ValueError(str(_l("Enter a date as DD.MM.YYYY."))) from None


class CalendarDayForm(PortalForm):
    day = DayField(_l("Date"), validators=[InputRequired()])
    kind = SelectField(_l("Kind"), choices=[])
    note = StringField(_l("Note"), validators=[Optional(), Length(max=200)])


class InsiderForm(PortalForm):
    full_name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=300)])
    position = StringField(_l("Position"), validators=[DataRequired(), Length(max=300)])
    included_on = DayField(_l("Included on"), validators=[InputRequired()])
