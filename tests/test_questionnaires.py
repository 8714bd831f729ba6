"""Questionnaires (G-9.6): archiving keeps an application's forms for its organisation; a new
application is pre-filled from a chosen one, says from where, and flags old answers."""
from datetime import timedelta

from archive_support import archived_report
from conftest import make_org, make_user
from engine_support import ISSUER_STAGE, application, post_stage

from portal.domain.applications import questionnaires
from portal.domain.workflow.versions import runtime_for
from portal.models import Application, AuditEvent, Questionnaire, StageState


def kept(db, app_id, form_id) -> Questionnaire:
    return db.query(Questionnaire).filter_by(application_id=app_id, form_id=form_id).one()


def new_report(client, issuer, prefill=()):
    return client.post("/disclosure/test-report/new",
                       data={"company": issuer.org.id, "prefill": [str(q) for q in prefill]})


def new_id(response) -> int:
    assert response.status_code == 302, response.data
    return int(response.headers["Location"].split("/applications/")[1].split("?")[0])


def test_archiving_keeps_each_form_with_its_signer_and_date(db, client, auth):
    issuer, app_id = archived_report(db, client, auth)
    source = application(db, app_id)
    issuer_form = kept(db, app_id, "issuer")
    assert issuer_form.values == {"name": "Демо Эмитент АҚ", "organised": True, "category": "a"}
    assert issuer_form.types == {"name": "text", "organised": "yesno", "category": "choice"}
    assert (issuer_form.organisation_id, issuer_form.procedure_code) == (issuer.org.id, "test-report")
    assert issuer_form.signer_id == issuer.head.id
    assert issuer_form.dated_on == source.submitted_at.date()
    assert kept(db, app_id, "placement").types["holders"] == \
        "table(holder:text,share:percent,paid:money,kinds:multichoice)"
    assert db.query(Questionnaire).filter_by(form_id="conclusion").count() == 0  # skipped: empty
    page = client.get("/questionnaires").data.decode()
    assert source.number in page and issuer.head.full_name in page and "older than" not in page


def test_a_new_application_is_prefilled_with_provenance_and_can_be_changed(db, client, auth):
    issuer, app_id = archived_report(db, client, auth)
    source, q = application(db, app_id), kept(db, app_id, "issuer")
    offer = client.get("/disclosure/test-report/new").data.decode()
    assert f'name="prefill" value="{q.id}"' in offer and source.number in offer
    new = new_id(new_report(client, issuer, [q.id]))
    stage = db.query(StageState).filter_by(application_id=new, stage_id="issuer").one()
    assert stage.data == q.values and stage.status == "draft"  # to be read and confirmed
    assert db.query(StageState).filter_by(application_id=new, stage_id="placement").count() == 0
    page = client.get(f"/disclosure/applications/{new}?stage=issuer").data.decode()
    assert f"pre-filled from application {source.number} of " \
           f"{source.submitted_at:%d.%m.%Y}, signed by {issuer.head.full_name}" in page
    assert "re-confirm" not in page
    event = db.query(AuditEvent).filter_by(application_id=new, action="prefill").one()
    assert event.detail["fields"] == ["category", "name", "organised"] and not event.detail["stale"]
    post_stage(client, f"/disclosure/applications/{new}", "issuer",
               dict(ISSUER_STAGE, **{"f.name": "Жаңа атау АҚ"}))
    db.expire_all()
    assert db.query(StageState).filter_by(application_id=new, stage_id="issuer").one().data["name"] \
        == "Жаңа атау АҚ"
    assert kept(db, app_id, "issuer").values["name"] == "Демо Эмитент АҚ"  # the source stays


def test_answers_older_than_the_configured_age_are_flagged(db, client, auth, app):
    issuer, app_id = archived_report(db, client, auth)
    q = kept(db, app_id, "issuer")
    q.dated_on = q.dated_on - timedelta(days=400)
    db.commit()
    assert "older than 365 days: re-confirm every answer" in \
        client.get("/disclosure/test-report/new").data.decode()
    assert "older than 365 days" in client.get("/questionnaires").data.decode()
    new = new_id(new_report(client, issuer, [q.id]))
    assert db.query(AuditEvent).filter_by(application_id=new, action="prefill").one().detail["stale"]
    page = client.get(f"/disclosure/applications/{new}?stage=issuer").data.decode()
    assert "These answers are older than 365 days: re-confirm each of them." in page
    app.config["QUESTIONNAIRE_MAX_AGE_DAYS"] = 500
    assert "re-confirm" not in client.get("/disclosure/test-report/new").data.decode()


def test_only_fields_that_still_exist_with_the_same_type_are_carried(db, client, auth):
    issuer, app_id = archived_report(db, client, auth)
    q = kept(db, app_id, "issuer")
    form = next(f for p in runtime_for(application(db, app_id).procedure_version).stages
                for f in p.stage.forms if f.id == "issuer")
    q.values = dict(q.values, category="z", gone="x")
    q.types = dict(q.types, organised="text", gone="text")
    assert questionnaires.compatible(q, form) == {"name": "Демо Эмитент АҚ"}


def test_another_companys_questionnaire_is_refused_and_nothing_is_created(db, client, auth):
    issuer, app_id = archived_report(db, client, auth)
    q = kept(db, app_id, "issuer")
    other_org = make_org(db, roles=["initiator"])
    stranger = make_user(db, other_org)
    auth.logout()
    auth.login(stranger.email)
    assert f'value="{q.id}"' not in client.get("/disclosure/test-report/new").data.decode()
    before = db.query(Application).count()
    r = new_report(client, type(issuer)(other_org, stranger, stranger, stranger), [q.id])
    assert r.status_code == 200 and "cannot pre-fill this application" in r.data.decode()
    assert db.query(Application).count() == before
    assert application(db, app_id).number not in client.get("/questionnaires").data.decode()
