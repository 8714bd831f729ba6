"""The is2in portal: application factory."""
from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

from flask import Flask, session
from flask_login import AnonymousUserMixin

from portal import config, extensions
from portal.domain.accounts.passwords import use_hash_parameters
from portal.infra import logging as logs
from portal.infra.database import db
from portal.web import access, dates, htmx, i18n, limits, maintenance
from portal.web import layout as web


def create_app(test_config: dict | None = None) -> Flask:
    """Wire the app together: no migrations, no network, no prompts here."""
    # PORTAL_INSTANCE_PATH: another instance folder (the benchmark keeps its own under bench/out)
    app = Flask(__name__, instance_relative_config=True,
                instance_path=os.environ.get("PORTAL_INSTANCE_PATH") or None)
    instance = Path(app.instance_path)
    app.config.update(config.DEFAULTS)
    settings = config.from_environment(instance)
    app.config.update(settings)
    app.config.from_pyfile("config.py", silent=True)
    if test_config:
        app.config.update(test_config)
    if app.config["SECRET_KEY"] != settings["SECRET_KEY"]:
        app.config["SECRET_KEY_GENERATED"] = False
    config.host_prefix(app.config)
    problems = config.production_problems(app.config, debug=app.debug)
    if problems:
        raise RuntimeError("refusing to start in production (neither TESTING nor PORTAL_SANDBOX): "
                           + "; ".join(problems))

    use_hash_parameters(**config.password_hash_parameters(app.config))
    logs.init_app(app)
    db.init_app(app)
    for extension in (extensions.csrf, extensions.mail, extensions.limiter):
        extension.init_app(app)
    limits.init_app(app)
    htmx.init_app(app)
    i18n.init_app(app)
    dates.init_app(app)
    _init_login(app)
    access.init_app(app)
    web.init_app(app)
    maintenance.init_app(app)  # after access: a refused write is one the user could make

    from portal import cli
    from portal.web import (
        admin, auth, cabinet, catalogue, directory, feeds, health, queue, sandbox)
    from portal.web import lists as applications
    from portal.web.engine import views as engine
    catalogue.init_app(app)
    for module in (auth, cabinet, directory, admin, applications, maintenance, queue, feeds, health,
                   sandbox):
        app.register_blueprint(module.bp)
    for blueprint in engine.BLUEPRINTS:
        app.register_blueprint(blueprint)
    cli.init_app(app)
    return app


class Anonymous(AnonymousUserMixin):
    organisation = None
    is_staff = False
    staff_roles: list = []

    def has_staff_role(self, _role) -> bool:
        return False


def _init_login(app: Flask) -> None:
    from portal.domain.accounts.users import session_user
    from portal.models import User

    login_manager = extensions.login_manager
    login_manager.init_app(app)
    login_manager.session_protection = "strong"
    login_manager.login_view = "auth.login"
    login_manager.login_message = None
    login_manager.anonymous_user = Anonymous

    # Flask-Login needs these on the user object; the model stays free of Flask.
    User.is_authenticated = True
    User.is_anonymous = False
    User.get_id = lambda self: str(self.id)
    User.is_active = property(lambda self: self.active)

    @login_manager.user_loader
    def _load(user_id: str):
        idle = timedelta(minutes=app.config["SESSION_IDLE_MINUTES"])
        user = session_user(db.session, int(user_id), session.get("auth"),
                            max_age=app.permanent_session_lifetime, idle=idle)
        if db.session.dirty:  # last_seen_at moved on: saved now, whatever the view does
            db.session.commit()
        return user
