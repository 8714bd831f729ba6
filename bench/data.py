"""Generated data for the benchmark: a few real applications filled through the portal's own
forms (tests' filled examples), copied with SQLAlchemy core bulk inserts up to the size asked."""
from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from sqlalchemy import create_engine, func, insert, select, text
from sqlalchemy.orm import Session

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))  # the filled examples and their form encoder

from conftest import PASSWORD, Auth, exchange_org, make_org, make_staff, make_user  # noqa: E402
from test_catalogue_examples import DATA, fill_example  # noqa: E402

from portal import create_app  # noqa: E402
from portal.infra.migrate import upgrade  # noqa: E402
from portal.models import Application, Partnership, StageState, utcnow  # noqa: E402

BOND, LISTING = "bond-issue-registration", "official-list-admission"
FILLED = 120  # filled prospectuses: the rows the benchmark opens ("first" PDFs go round them)
BATCH = 5000


@dataclass
class Dataset:
    size: int
    password: str = PASSWORD
    emails: dict = field(default_factory=dict)       # author, staff
    bond_urls: list = field(default_factory=list)    # filled bond prospectuses
    listing_url: str = ""                            # the drop-down chain lives here
    chain: dict = field(default_factory=dict)        # item id and its first level's value


def _people(session: Session):
    org = make_org(session, roles=["initiator"])
    author = make_user(session, org, language="ru")
    make_user(session, org, is_first_head=True)
    broker = make_org(session, roles=["adviser"])
    adviser = make_user(session, broker)
    session.add(Partnership(client_id=org.id, partner_id=broker.id, role="adviser"))
    crowd = make_org(session, roles=["initiator"])
    staff = make_staff(session, exchange_org(session), roles=("office",))
    return org, author, adviser, make_user(session, crowd), staff


def _example(code: str) -> dict:
    return yaml.safe_load((DATA / "filled" / f"{code}.yaml").read_text(encoding="utf-8"))


def _copy(session: Session, template: Application, count: int, first_id: int, **row) -> list[int]:
    """`count` copies of the template's row (and its stages unless `bare`), in batches."""
    bare = row.pop("bare", False)
    columns = {c.key: getattr(template, c.key) for c in Application.__table__.columns
               if c.key not in ("id", "number")}
    columns.update(row)
    stages = [] if bare else [{c.key: getattr(s, c.key) for c in StageState.__table__.columns
                               if c.key not in ("id", "application_id")} for s in template.stages]
    ids = list(range(first_id, first_id + count))
    for start in range(0, count, BATCH):
        chunk = ids[start:start + BATCH]
        session.execute(insert(Application), [dict(columns, id=i, number=f"B-{i:07d}") for i in chunk])
        if stages:
            session.execute(insert(StageState), [dict(s, application_id=i) for i in chunk for s in stages])
    return ids


def generate(url: str, size: int, upload_dir: str) -> Dataset:
    """A migrated database at `url` holding `size` applications."""
    upgrade(url)
    app = create_app({"DATABASE_URL": url, "UPLOAD_DIR": upload_dir, "SECRET_KEY": "bench-setup-" + "x" * 32,
                      "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False,
                      "MAIL_KEEP_INSIDE": True})
    engine = create_engine(url)
    session = Session(engine, expire_on_commit=False)
    try:
        return populate(app.test_client(), session, size)
    finally:
        session.close()
        engine.dispose()


def populate(client, session: Session, size: int, filled: int = FILLED) -> Dataset:
    """People, two applications filled through `client` (an app without CSRF on the shipped
    catalogue), then bulk copies: `filled` prospectuses in all, the rest other companies'."""
    org, author, adviser, crowd_author, staff = _people(session)
    auth = Auth(client)
    bond_url = fill_example(client, auth, BOND, org, author, adviser, _example(BOND))
    listing_url = fill_example(client, auth, LISTING, org, author, adviser, _example(LISTING))
    auth.logout()
    template = session.get(Application, int(bond_url.rsplit("/", 1)[1]))
    session.refresh(template)
    next_id = session.scalar(select(func.max(Application.id))) + 1
    ids = _copy(session, template, filled - 1, next_id)
    rest = max(size - filled - 1, 0)
    # the crowd: other companies' applications, half of them sent to the exchange
    half = rest // 2
    _copy(session, template, half, next_id + len(ids), bare=True,
          organisation_id=crowd_author.organisation_id, author_id=crowd_author.id)
    _copy(session, template, rest - half, next_id + len(ids) + half, bare=True, status="submitted",
          phase="exchange", organisation_id=crowd_author.organisation_id,
          author_id=crowd_author.id, submitted_at=utcnow())
    if session.get_bind().dialect.name == "postgresql":  # explicit ids: move the sequence on
        session.execute(text("SELECT setval(pg_get_serial_sequence('application', 'id'), "
                             "(SELECT max(id) FROM application))"))
    session.commit()
    prefix = bond_url.rsplit("/", 1)[0]
    entry = _example(LISTING)["listing_requirements"][0]
    return Dataset(size, emails={"author": author.email, "staff": staff.email},
                   bond_urls=[bond_url] + [f"{prefix}/{i}" for i in ids], listing_url=listing_url,
                   chain={"item": "listing_requirements", "stage": "requirements",
                          "value": entry["path"][0]})
