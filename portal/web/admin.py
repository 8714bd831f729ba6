"""Exchange staff: organisations and accounts (G-3), partner removals (G-9.3), the normative
base and insiders lists, and the sandbox's "Sent mail"."""
from __future__ import annotations

from datetime import date

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from portal.domain.accounts import first_head
from portal.domain.accounts import organisations as directory
from portal.domain.accounts.users import set_active
from portal.domain.workflow import clocks
from portal.forms.directory import (
    CalendarDayForm,
    InsiderForm,
    NormativeDocumentForm,
    OrganisationForm,
    StaffUserForm,
)
from portal.domain.applications.filling import end_partner_assignments
from portal.infra.database import db
from portal.infra.mail import notify
from portal.infra.storage import NotAPdf, display_name, store_pdf
from portal.models import (
    CalendarDay,
    ExchangeInsider,
    NormativeDocument,
    Organisation,
    OutboxMail,
    User,
    utcnow,
)
from portal.web import labels, trail
from portal.web.directory import add_user_and_mail, grant_first_head

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.route("/organisations")
def organisations():
    rows = db.session.scalars(select(Organisation).order_by(Organisation.is_exchange.desc(),
                                                            Organisation.code)).all()
    return render_template("admin/organisations.html", organisations=rows)


@bp.route("/organisations/new", methods=["GET", "POST"])
def new_organisation():
    form = OrganisationForm()
    form.roles.choices = labels.choices(labels.CLIENT_ROLES)
    if form.validate_on_submit():
        org = Organisation()
        form.populate_obj(org)
        db.session.add(org)
        try:
            db.session.commit()
        except IntegrityError:
            db.session.rollback()
            form.code.errors = [_("An organisation with this code or BIN already exists.")]
        else:
            flash(_("The organisation has been created."), "info")
            return redirect(url_for("admin.organisation", organisation_id=org.id))
    return render_template("admin/organisation_form.html", form=form)


@bp.route("/organisations/<int:organisation_id>")
def organisation(organisation_id: int):
    org = db.get_or_404(Organisation, organisation_id)
    users = db.session.scalars(select(User).where(User.organisation_id == org.id)
                               .order_by(User.surname)).all()
    return render_template("admin/organisation.html", organisation=org, users=users)


@bp.route("/organisations/<int:organisation_id>/users/new", methods=["GET", "POST"])
def new_user(organisation_id: int):
    org = db.get_or_404(Organisation, organisation_id)
    form = StaffUserForm()
    form.staff_roles.choices = labels.choices(labels.STAFF_ROLES)
    roles = form.staff_roles.data if org.is_exchange else ()
    if form.validate_on_submit() and add_user_and_mail(org, form, roles, by_exchange=True):
        return redirect(url_for("admin.organisation", organisation_id=org.id))
    return render_template("admin/user_form.html", form=form, organisation=org)


@bp.route("/users/<int:user_id>/toggle", methods=["POST"])
def toggle_user(user_id: int):
    user = db.get_or_404(User, user_id)
    set_active(db.session, user, not user.active)
    trail.record("user_enabled" if user.active else "user_disabled", user=user.id)
    db.session.commit()
    return redirect(url_for("admin.organisation", organisation_id=user.organisation_id))


@bp.route("/first-head-requests")
def first_head_requests():
    return render_template("admin/first_head_requests.html",
                           requests=first_head.pending(db.session))


@bp.route("/users/<int:user_id>/first-head", methods=["POST"])
def first_head_right(user_id: int):
    """Grant (or confirm a request), refuse a request, or take back the first-head right."""
    user = db.get_or_404(User, user_id)
    action = request.form.get("action")
    if action == "grant":
        grant_first_head(user)
        flash(_("%(name)s is a first head now; the organisation's first heads have been told.",
                name=user.full_name), "info")
    elif action in ("refuse", "revoke"):
        getattr(first_head, action)(db.session, user, current_user)
        trail.record(f"first_head_{action}d", user=user.id, organisation=user.organisation_id)
    else:
        abort(400)
    db.session.commit()
    if request.form.get("back") == "requests":
        return redirect(url_for("admin.first_head_requests"))
    return redirect(url_for("admin.organisation", organisation_id=user.organisation_id))


@bp.route("/partner-removals")
def partner_removals():
    return render_template("admin/partner_removals.html",
                           requests=directory.pending_removals(db.session))


@bp.route("/partner-removals/<int:partnership_id>", methods=["POST"])
def remove_partner(partnership_id: int):
    # the exchange removes a partner only on the client's request (G-9.3)
    row = db.get_or_404(directory.Partnership, partnership_id, lambda r: r.removal_requested_at)
    trail.record("partner_removed", client=row.client_id, partner=row.partner_id,
                 partnership_role=row.role)
    for application in end_partner_assignments(db.session, row.client_id, row.partner_id,
                                                current_user):
        notify(application.author, application, "adviser_unassigned")
    db.session.delete(row)
    db.session.commit()
    flash(_("The partner has been removed."), "info")
    return redirect(url_for("admin.partner_removals"))


@bp.route("/sent-mail")
def sent_mail():
    rows = db.session.scalars(select(OutboxMail).order_by(OutboxMail.id.desc()).limit(200)).all()
    # Bodies carry live set-password links: only a sandbox that keeps mail inside shows them;
    # elsewhere the page shows who was written to, when, and whether it went out.
    return render_template("admin/sent_mail.html", mails=rows,
                           show_bodies=current_app.config["MAIL_KEEP_INSIDE"])


@bp.route("/normative-base/new", methods=["GET", "POST"])
def normative_new():
    form = NormativeDocumentForm()
    form.kind.choices = labels.choices(labels.DOCUMENT_KINDS)
    form.status.choices = labels.choices(labels.DOCUMENT_STATUSES)
    if form.validate_on_submit():
        doc = NormativeDocument(title_kk=form.title_kk.data, title_ru=form.title_ru.data,
                                title_en=form.title_en.data, kind=form.kind.data,
                                status=form.status.data)
        upload = form.file.data
        try:
            if upload:
                doc.stored_name = store_pdf(upload.read())
                doc.file_name = display_name(upload.filename)
                doc.content_type = "application/pdf"
        except NotAPdf:
            form.file.errors = [_("The file is not a PDF document.")]
        else:
            db.session.add(doc)
            db.session.flush()
            trail.record("normative_added", document=doc.id, title=doc.title_en)
            db.session.commit()
            flash(_("The document has been added."), "info")
            return redirect(url_for("directory.normative_base"))
    return render_template("admin/normative_form.html", form=form)


@bp.route("/normative-base/<int:document_id>/retire", methods=["POST"])
def normative_retire(document_id: int):
    doc = db.get_or_404(NormativeDocument, document_id)
    doc.retired = True
    trail.record("normative_retired", document=doc.id)
    db.session.commit()
    return redirect(url_for("directory.normative_base"))


@bp.route("/insiders/new", methods=["GET", "POST"])
def insider_new():
    form = InsiderForm()
    if form.validate_on_submit():
        db.session.add(ExchangeInsider(full_name=form.full_name.data, position=form.position.data,
                                       included_on=form.included_on.data))
        db.session.commit()
        return redirect(url_for("directory.insiders"))
    return render_template("admin/insider_form.html", form=form)


@bp.route("/insiders/<int:insider_id>/exclude", methods=["POST"])
def insider_exclude(insider_id: int):
    row = db.get_or_404(ExchangeInsider, insider_id)
    row.excluded_on = utcnow().date()
    db.session.commit()
    return redirect(url_for("directory.insiders"))


@bp.route("/calendar", methods=["GET", "POST"])
def calendar():
    """The exchange's corrections to the public holidays: moved days off, extra working days."""
    form = CalendarDayForm()
    form.kind.choices = labels.choices(labels.CALENDAR_KINDS)
    if form.validate_on_submit():
        db.session.merge(CalendarDay(day=form.day.data, kind=form.kind.data, note=form.note.data or ""))
        db.session.flush()
        clocks.recount(db.session, clocks.working_calendar(db.session))
        trail.record("calendar_day_added", day=form.day.data.isoformat(), kind=form.kind.data)
        db.session.commit()
        flash(_("Saved."), "info")
        return redirect(url_for("admin.calendar"))
    days = db.session.scalars(select(CalendarDay).order_by(CalendarDay.day.desc())).all()
    return render_template("admin/calendar.html", form=form, days=days)


@bp.route("/calendar/<day>/remove", methods=["POST"])
def calendar_remove(day: str):
    try:
        row = db.get_or_404(CalendarDay, date.fromisoformat(day))
    except ValueError:
        abort(404)
    db.session.delete(row)
    db.session.flush()
    clocks.recount(db.session, clocks.working_calendar(db.session))
    trail.record("calendar_day_removed", day=row.day.isoformat())
    db.session.commit()
    return redirect(url_for("admin.calendar"))
