"""Every shipped procedure, filled with its example through the real forms, checks clean."""
import io
import re
from pathlib import Path

import pytest
import yaml
from conftest import make_org, make_user

from portal.domain.procedures.catalogue import load_catalogue
from portal.domain.procedures.definitions import DynamicItem, FieldItem, SectionItem
from portal.domain.procedures.runtime import Runtime
from portal.models import Application, Partnership

DATA = Path(__file__).with_name("data")
SAMPLE_PDF = (DATA / "sample.pdf").read_bytes()
CATALOGUE = load_catalogue()


@pytest.fixture
def catalogue_dir():
    return str(Path(__file__).resolve().parents[1] / "portal" / "procedures")


def scalar(value):
    if value is True:
        return "yes"
    if value is False:
        return "no"
    return "" if value is None else str(value)


def encode(items, values, prefix, form):
    """The form fields a browser would send for these values."""
    for item in items or ():
        if isinstance(item, SectionItem):
            encode(item.items, values, prefix, form)
        elif isinstance(item, FieldItem) and item.id in values:
            name, value = prefix + item.id, values[item.id]
            if item.type == "money":
                form[f"{name}.amount"] = str((value or {}).get("amount", ""))
                form[f"{name}.currency"] = (value or {}).get("currency", "KZT")
            elif item.type == "multichoice":
                form[name] = list(value or [])
            elif item.type == "file":
                form[name] = (io.BytesIO(SAMPLE_PDF), "sample.pdf")
            elif item.type == "table":
                form[f"{name}.rows"] = str(len(value or []))
                for r, row in enumerate(value or []):
                    for col in item.columns:
                        cell, cell_name = row.get(col.id), f"{name}.{r}.{col.id}"
                        if col.type == "money" and cell:
                            form[f"{cell_name}.amount"] = str(cell["amount"])
                            form[f"{cell_name}.currency"] = cell.get("currency", "KZT")
                        else:
                            form[cell_name] = list(cell) if isinstance(cell, list) else scalar(cell)
            else:
                form[name] = scalar(value)


def errors_in(html: str) -> list[str]:
    return re.findall(r'id="field-([^"]+)".*?<div class="error">([^<]+)</div>', html, re.S) or \
        re.findall(r'<div class="error">([^<]+)</div>', html)


def fill_stage(client, url, place, values):
    stage = place.stage
    dynamic = [i for f in stage.forms for i in f.items if isinstance(i, DynamicItem)]
    for item in dynamic:
        for entry in values.get(item.id) or []:
            form = {f"chain.{item.id}.{n}": v for n, v in enumerate(entry["path"])}
            form[f"chain.{item.id}.key"] = entry.get("key") or ""
            form["action"] = f"add:{item.id}"
            r = client.post(f"{url}/stages/{stage.id}", data=form, content_type="multipart/form-data")
            assert r.status_code == 200, errors_in(r.data.decode())
    form = {"action": "done"}
    for f in stage.forms:
        encode(f.items, values, "f.", form)
    for item in dynamic:
        for n, entry in enumerate(values.get(item.id) or []):
            leaf = item.tree
            node = None
            for value in entry["path"]:
                node = next(x for x in leaf if x.value == value)
                leaf = node.children or []
            encode(node.items, entry.get("values", {}), f"f.{item.id}.{n}.", form)
    r = client.post(f"{url}/stages/{stage.id}", data=form, content_type="multipart/form-data")
    assert r.status_code == 302, f"{stage.id}: {errors_in(r.data.decode())}"


def fill_example(client, auth, code, org, author, adviser, values) -> str:
    """A new application of `code` filled with `values` through the real forms (the benchmark
    fills its prospectuses with it too); its URL."""
    procedure = CATALOGUE[code].procedure
    auth.login(author.email)
    prefix = f"/{procedure.category.value.replace('_', '-')}"
    r = client.post(f"{prefix}/{code}/new", data={"company": org.id})
    assert r.status_code == 302
    url = r.headers["Location"].split("?")[0]
    runtime = Runtime(procedure)
    for place in runtime.stages:
        if place.stage.filled_by == "adviser":
            fields = {i.id for f in place.stage.forms for i in f.items}
            if not fields & set(values) and place.stage.skippable:
                assert client.post(f"{url}/stages/{place.stage.id}", data={"action": "skip"}).status_code == 302
                continue
            client.post(f"{url}/stages/{place.stage.id}", data={"action": "assign", "executor": adviser.id})
            auth.logout()
            auth.login(adviser.email)
            fill_stage(client, url, place, values)
            auth.logout()
            auth.login(author.email)
        else:
            fill_stage(client, url, place, values)
    return url


@pytest.mark.parametrize("code", sorted(CATALOGUE))
def test_filled_example_checks_clean_and_goes_to_the_first_head(code, db, client, auth):
    procedure = CATALOGUE[code].procedure
    values = yaml.safe_load((DATA / "filled" / f"{code}.yaml").read_text(encoding="utf-8"))
    role = procedure.filed_by[0].value
    org = make_org(db, roles=[role])
    author = make_user(db, org)
    make_user(db, org, is_first_head=True)  # receives the application for approval
    broker = make_org(db, roles=["adviser"])
    adviser = make_user(db, broker)
    db.add(Partnership(client_id=org.id, partner_id=broker.id, role="adviser"))
    db.commit()

    url = fill_example(client, auth, code, org, author, adviser, values)
    runtime = Runtime(procedure)
    check = client.get(f"{url}?stage=summary&check=1").data.decode()
    assert "Check before sending: no problems found." in check, re.findall(r"<li><a[^>]*>([^<]*)</a>: ([^<]*)</li>", check)
    assert client.post(f"{url}/transitions/send_for_approval").status_code == 302
    db.expire_all()
    app_id = int(url.rsplit("/", 1)[1])
    assert db.get(Application, app_id).status == "awaiting_approval"
    for lang in ("kk", "ru", "en"):
        client.post("/language", data={"lang": lang})
        for place in runtime.stages:
            page = client.get(f"{url}?stage={place.stage.id}")
            assert page.status_code == 200
            assert place.stage.name.get(lang).encode() in page.data.replace(b"&#34;", b'"').replace(b"&#39;", b"'") \
                or place.stage.name.get(lang) in page.data.decode()
