"""User-menu tabs about organisations: "Users", "Partnership", "Normative base",
"Exchange insiders" (G-9.2, G-9.3, G-9.7, G-9.8)."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from portal.domain.accounts import organisations as directory
from portal.domain.accounts import first_head
from portal.domain.accounts.users import EmailTaken, NewUser, create_user, find_user
from portal.forms.directory import PartnerForm, RemovalRequestForm, UserForm
from portal.infra.database import db
from portal.infra.mail import notify_account, queue_mail
from portal.infra.storage import send_attachment
from portal.models import ExchangeInsider, NormativeDocument, User
from portal.web import labels, trail
from portal.web.i18n import lang

bp = Blueprint("directory", __name__)


def new_user_from(form: UserForm, staff_roles=()) -> NewUser:
    return NewUser(surname=form.surname.data, name=form.name.data, patronymic=form.patronymic.data,
                   position=form.position.data, email=form.email.data, phone=form.phone.data,
                   iin=form.iin.data, language=form.language.data,
                   is_org_admin=form.is_org_admin.data, staff_roles=tuple(staff_roles))


def grant_first_head(user) -> None:
    """The exchange gives the right: recorded in the audit trail, the other first heads told."""
    requested_by = user.first_head_requested_by
    others = first_head.grant(db.session, user, current_user)
    trail.record("first_head_granted", user=user.id, organisation=user.organisation_id,
                 requested_by=requested_by, told=[head.id for head in others])
    for head in others:
        notify_account(head, "first_head_granted", subject=user)


def ask_for_first_head(user) -> None:
    """An organisation administrator's request, for the exchange to confirm (recorded)."""
    first_head.request_right(db.session, user, current_user)
    trail.record("first_head_requested", user=user.id, organisation=user.organisation_id)


def add_user_and_mail(organisation, form: UserForm, staff_roles=(), by_exchange=False) -> bool:
    """Create the account and queue its set-password mail in one transaction. The first-head
    tick is a grant when the exchange adds the user, else a request to the exchange."""
    try:
        user, token = create_user(db.session, organisation, new_user_from(form, staff_roles))
    except EmailTaken:
        if by_exchange:  # the exchange's account administrators see every account anyway
            form.email.errors = [_("A user with this e-mail already exists.")]
            return False
        return _email_elsewhere(organisation, form)
    queue_mail(db.session, user, "new_user", token=token)
    trail.record("user_created", user=user.id, organisation=organisation.id)
    if form.is_first_head.data:
        (grant_first_head if by_exchange else ask_for_first_head)(user)
    db.session.commit()
    flash(_("The user has been added and will receive an e-mail to set a password."), "info")
    return True


def _email_elsewhere(organisation, form: UserForm) -> bool:
    """An organisation administrator learns nothing about other organisations' users: an
    e-mail in use elsewhere gets the same answer as a new user, and its owner a notice."""
    owner = find_user(db.session, form.email.data)
    if owner.organisation_id == organisation.id:
        form.email.errors = [_("A user of your organisation already has this e-mail.")]
        return False
    queue_mail(db.session, owner, "email_in_use", organisation=organisation.short_name(owner.language))
    db.session.commit()
    flash(_("The user has been added and will receive an e-mail to set a password."), "info")
    return True


@bp.route("/users")
def users():
    return render_template("directory/users.html",
                           users=directory.organisation_users(db.session, current_user.organisation_id))


@bp.route("/users/new", methods=["GET", "POST"])
def add_user():
    form = UserForm()
    if form.validate_on_submit() and add_user_and_mail(current_user.organisation, form):
        return redirect(url_for("directory.users"))
    return render_template("directory/user_form.html", form=form)


@bp.route("/users/<int:user_id>/first-head", methods=["POST"])
def request_first_head(user_id: int):
    """An organisation administrator asks the exchange to make a colleague a first head."""
    user = db.get_or_404(User, user_id, lambda u: u.organisation_id == current_user.organisation_id)
    ask_for_first_head(user)
    db.session.commit()
    flash(_("The exchange has been asked to confirm the first head."), "info")
    return redirect(url_for("directory.users"))


def _partner_form(role: str | None) -> PartnerForm:
    form = PartnerForm()
    form.role.choices = labels.choices(labels.PARTNER_ROLES)
    chosen = role if role in labels.PARTNER_ROLES else "adviser"
    form.role.data = form.role.data or chosen
    # a role from the request that is no partner role offers nothing (and fails validation)
    candidates = (directory.candidate_partners(db.session, current_user.organisation_id,
                                               form.role.data)
                  if form.role.data in labels.PARTNER_ROLES else [])
    form.partner.choices = [(o.id, f"{o.code} — {o.short_name(lang())}") for o in candidates]
    return form


@bp.route("/partnership", methods=["GET"])
def partnership():
    form = _partner_form(request.args.get("role"))
    rows = directory.partnerships(db.session, current_user.organisation_id)
    return render_template("directory/partnership.html", form=form, partnerships=rows,
                           removal_form=RemovalRequestForm())


@bp.route("/partnership", methods=["POST"])
def add_partner():
    form = _partner_form(request.form.get("role"))
    added = False
    if form.validate_on_submit():
        try:
            directory.add_partner(db.session, current_user.organisation_id, form.partner.data,
                                  form.role.data)
            db.session.commit()
            added = True
        except directory.PartnershipRefused:
            db.session.rollback()
    if added:
        flash(_("The partner has been added."), "info")
    else:  # not in the drop-down: inactive, another role, already added, or no such company
        flash(_("This company cannot be added as a partner in this role."), "error")
    role = form.role.data if form.role.data in labels.PARTNER_ROLES else None
    return redirect(url_for("directory.partnership", role=role))


@bp.route("/partnership/<int:partnership_id>/removal", methods=["POST"])
def request_partner_removal(partnership_id: int):
    row = directory.own_partnership(db.session, current_user.organisation_id, partnership_id)
    if row is None:
        abort(404)
    form = RemovalRequestForm()
    if form.validate_on_submit():
        directory.request_removal(row, current_user, form.reason.data)
        db.session.commit()
        flash(_("Your request has been sent to the exchange."), "info")
    else:
        flash(_("Say why the partner should be removed."), "error")
    return redirect(url_for("directory.partnership"))


@bp.route("/normative-base")
def normative_base():
    rows = db.session.scalars(select(NormativeDocument).where(NormativeDocument.retired.is_(False))
                              .order_by(NormativeDocument.kind, NormativeDocument.id)).all()
    return render_template("directory/normative.html", documents=rows)


@bp.route("/normative-base/<int:document_id>/file")
def normative_file(document_id: int):
    row = db.get_or_404(NormativeDocument, document_id, lambda r: not r.retired and r.stored_name)
    return send_attachment(row.stored_name, row.file_name or "document.pdf",
                           row.content_type or "application/pdf")


@bp.route("/insiders")
def insiders():
    rows = db.session.scalars(select(ExchangeInsider).order_by(ExchangeInsider.full_name)).all()
    return render_template("directory/insiders.html", insiders=rows)

