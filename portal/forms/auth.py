"""Sign-in and password screens."""
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from portal.forms import PortalForm

PASSWORD_PROBLEMS = {
    "length": _l("The password must be 8 to 12 characters long."),
    "digit": _l("The password must contain at least one digit."),
    "upper": _l("The password must contain at least one upper-case letter."),
    "lower": _l("The password must contain at least one lower-case letter."),
    "special": _l("The password must contain at least one special character."),
    "common": _l("This password is too common; choose another."),
    "reused": _l("This password was used recently; choose another."),
}


class LoginForm(PortalForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=128)])
    agreement = BooleanField(_l("I have read the user agreement and accept it"),
                             validators=[DataRequired(_l("Tick the box to accept the user agreement."))])


class NewPasswordForm(PortalForm):
    new_password = PasswordField(_l("New password"), validators=[DataRequired(), Length(max=128)])
    confirm = PasswordField(_l("Repeat the new password"),
                            validators=[DataRequired(), EqualTo("new_password", _l("The passwords do not match."))])


class ChangePasswordForm(NewPasswordForm):
    current_password = PasswordField(_l("Current password"), validators=[DataRequired(), Length(max=128)])


class CodeForm(PortalForm):
    code = StringField(_l("Code from the authenticator app"),
                       validators=[DataRequired(), Length(max=16)])


class ReauthenticateForm(PortalForm):
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=128)])
