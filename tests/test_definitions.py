"""Procedure definitions are validated at start-up; an error names the file, the path, the fault."""
import copy
from pathlib import Path

import pytest
import yaml

from portal import create_app
from portal.domain.procedures.catalogue import CatalogueError, load_catalogue

SOURCE = Path(__file__).with_name("data") / "catalogue" / "disclosure" / "test-report.yaml"


def _write(tmp_path, document, folder="disclosure", name="test-report.yaml"):
    target = tmp_path / folder
    target.mkdir(parents=True, exist_ok=True)
    (target / name).write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    return target / name


def _base():
    return yaml.safe_load(SOURCE.read_text(encoding="utf-8"))


def _errors(tmp_path, mutate, folder="disclosure"):
    doc = _base()
    mutate(doc)
    path = _write(tmp_path, doc, folder)
    with pytest.raises(CatalogueError) as caught:
        load_catalogue(tmp_path)
    text = "\n".join(caught.value.errors)
    assert str(path) in text
    return text


def _items(doc):
    return doc["processes"][0]["subprocesses"][0]["stages"][0]["forms"][0]["items"]


def test_the_valid_file_loads(tmp_path):
    _write(tmp_path, _base())
    assert list(load_catalogue(tmp_path)) == ["test-report"]


def test_not_yaml(tmp_path):
    (tmp_path / "disclosure").mkdir()
    (tmp_path / "disclosure" / "x.yaml").write_text("code: [unclosed", encoding="utf-8")
    with pytest.raises(CatalogueError) as caught:
        load_catalogue(tmp_path)
    assert "not valid YAML" in caught.value.errors[0]


def test_unknown_key(tmp_path):
    text = _errors(tmp_path, lambda d: d.update(colour="red"))
    assert "colour" in text and "Extra inputs are not permitted" in text


def test_missing_translation(tmp_path):
    text = _errors(tmp_path, lambda d: d["name"].pop("kk"))
    assert "name.kk" in text and "Field required" in text


def test_empty_translation(tmp_path):
    text = _errors(tmp_path, lambda d: d["name"].update(ru=""))
    assert "name.ru" in text


def test_wrong_category_folder(tmp_path):
    text = _errors(tmp_path, lambda d: None, folder="listing")
    assert "category is 'disclosure'" in text


def test_unknown_field_type(tmp_path):
    text = _errors(tmp_path, lambda d: _items(d)[1].update(type="colour"))
    assert "processes[0].subprocesses[0].stages[0].forms[0].items[1]" in text


def test_choice_without_options(tmp_path):
    text = _errors(tmp_path, lambda d: _items(d)[1].update(type="choice"))
    assert "needs options" in text


def test_table_without_columns(tmp_path):
    text = _errors(tmp_path, lambda d: _items(d)[1].update(type="table"))
    assert "needs columns" in text


def test_duplicate_item_id(tmp_path):
    text = _errors(tmp_path, lambda d: _items(d).append(copy.deepcopy(_items(d)[1])))
    assert "item id 'name' is used 2 times" in text


def test_condition_names_unknown_field(tmp_path):
    text = _errors(tmp_path, lambda d: _items(d)[3].update(show_if={"field": "nowhere", "equals": True}))
    assert "unknown field 'nowhere'" in text


def test_rule_names_unknown_field(tmp_path):
    text = _errors(tmp_path, lambda d: d["rules"][0].update(other="nowhere"))
    assert "rule 'end-after-start': names unknown field 'nowhere'" in text


def test_bad_deadline_start(tmp_path):
    text = _errors(tmp_path, lambda d: d["processes"][3]["deadline"].update(start="tomorrow"))
    assert "start 'tomorrow' is neither an event" in text


def test_bad_pattern(tmp_path):
    text = _errors(tmp_path, lambda d: _items(d)[1].update(pattern="([unclosed"))
    assert "items[1]" in text


def test_first_process_must_be_the_applicants(tmp_path):
    text = _errors(tmp_path, lambda d: d["processes"].reverse())
    assert "the first process must be the applicant's" in text


def test_seed_ref_cited_twice(tmp_path):
    def twice(doc):
        _items(doc)[1]["ref"] = "003-A4-1"
        _items(doc)[2]["ref"] = "003-A4-1"
    text = _errors(tmp_path, twice)
    assert "ref '003-A4-1' is cited twice" in text


def test_duplicate_code_across_files(tmp_path):
    _write(tmp_path, _base())
    _write(tmp_path, _base(), name="copy.yaml")
    with pytest.raises(CatalogueError) as caught:
        load_catalogue(tmp_path)
    assert "code 'test-report' is also used by" in "\n".join(caught.value.errors)


def test_the_portal_refuses_to_start_with_an_invalid_catalogue(tmp_path):
    doc = _base()
    doc["category"] = "nonsense"
    _write(tmp_path, doc)
    with pytest.raises(CatalogueError):
        create_app({"TESTING": True, "SECRET_KEY": "x", "DATABASE_URL": "sqlite://",
                    "CATALOGUE_DIR": str(tmp_path)})


def test_the_shipped_catalogue_is_valid():
    entries = load_catalogue()
    assert len(entries) >= 17
