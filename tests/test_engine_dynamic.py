"""Dynamic forms (G-16): the Platform → Sector → Category chain, with htmx and without."""
from engine_support import application, create_application, make_issuer, post_stage

HX = {"HX-Request": "true"}
PREMIUM = {"chain.securities.0": "main", "chain.securities.1": "shares", "chain.securities.2": "premium"}


def _add(client, url, *isins):
    """Add one Main → Shares → Premium entry per ISIN, as the "Add security" button does."""
    for isin in isins:
        post_stage(client, url, "requirements", dict(PREMIUM, **{"chain.securities.key": isin}),
                   action="add:securities")


def _start(db, client, auth):
    issuer = make_issuer(db)
    app_id, url = create_application(client, auth, issuer, code="test-listing", category="listing")
    return app_id, url


def test_chain_steps_are_fragments(db, client, auth):
    _, url = _start(db, client, auth)
    chain = f"{url}/stages/requirements/chain/securities"
    first = client.get(chain, headers=HX)
    assert b"<html" not in first.data
    assert b'name="chain.securities.0"' in first.data
    assert b'name="chain.securities.1"' not in first.data
    second = client.get(chain, query_string={"chain.securities.0": "main"}, headers=HX)
    assert b'name="chain.securities.1"' in second.data and b"Shares" in second.data
    third = client.get(chain, query_string={"chain.securities.0": "main", "chain.securities.1": "shares"},
                       headers=HX)
    assert b"Premium" in third.data and b"Add security" not in third.data
    leaf = client.get(chain, query_string={"chain.securities.0": "main", "chain.securities.1": "shares",
                                           "chain.securities.2": "premium"}, headers=HX)
    assert b"Add security" in leaf.data and b'name="chain.securities.key"' in leaf.data


def test_a_choice_without_forms_ends_the_chain(db, client, auth):
    _, url = _start(db, client, auth)
    r = client.get(f"{url}/stages/requirements/chain/securities",
                   query_string={"chain.securities.0": "alternative"}, headers=HX)
    assert b"No forms are provided for this choice." in r.data
    assert b"Add security" not in r.data
    r = client.get(f"{url}/stages/requirements/chain/securities",
                   query_string={"chain.securities.0": "main", "chain.securities.1": "shares",
                                 "chain.securities.2": "standard"}, headers=HX)
    assert b"No forms are provided for this choice." in r.data


def test_changing_a_parent_drops_stale_children(db, client, auth):
    _, url = _start(db, client, auth)
    r = client.get(f"{url}/stages/requirements/chain/securities",
                   query_string={"chain.securities.0": "alternative", "chain.securities.1": "shares"},
                   headers=dict(HX, **{"HX-Trigger-Name": "chain.securities.0"}))
    assert b'name="chain.securities.1"' not in r.data


def _redirected(client, r):
    """Post/redirect/get: the plain form's answer is a redirect to the page at the chain."""
    assert r.status_code == 302, r.data[:500]
    assert r.headers["Location"].endswith("#dynamic-securities")
    return client.get(r.headers["Location"])


def test_without_javascript_the_chain_steps_by_post_redirect_get(db, client, auth):
    app_id, url = _start(db, client, auth)
    r = post_stage(client, url, "requirements", {"chain.securities.0": "main"}, action="chain:securities")
    assert "chain.securities.0=main" in r.headers["Location"]
    r = _redirected(client, r)
    assert r.status_code == 200 and b"<html" in r.data
    assert b'name="chain.securities.1"' in r.data
    r = post_stage(client, url, "requirements", {"chain.securities.0": "main", "chain.securities.1": "shares",
                                                 "chain.securities.2": "premium"}, action="chain:securities")
    assert b"Add security" in _redirected(client, r).data
    r = post_stage(client, url, "requirements", {"chain.securities.0": "main", "chain.securities.1": "shares",
                                                 "chain.securities.2": "premium",
                                                 "chain.securities.key": "kz2c00000081"},
                   action="add:securities")
    r = _redirected(client, r)
    entries = {s.stage_id: s for s in application(db, app_id).stages}["requirements"].data["securities"]
    assert entries == [{"path": ["main", "shares", "premium"], "key": "KZ2C00000081", "values": {}}]
    assert b"Main \xe2\x86\x92 Shares \xe2\x86\x92 Premium" in r.data  # the entry's form opened
    assert b'name="f.securities.0.free_float"' in r.data


def test_entries_are_filled_removed_and_required(db, client, auth):
    app_id, url = _start(db, client, auth)
    _add(client, url, "KZ2C00000081", "US0378331005")
    r = post_stage(client, url, "requirements", {"f.securities.0.free_float": "25",
                                                 "f.securities.1.free_float": "150"})
    assert r.status_code == 422
    assert b"The value must be at most 100" in r.data
    post_stage(client, url, "requirements", {}, action="remove:securities:1")
    r = post_stage(client, url, "requirements", {"f.securities.0.free_float": "25"})
    assert r.status_code == 302
    state = {s.stage_id: s for s in application(db, app_id).stages}["requirements"]
    assert state.status == "filled"
    assert state.data["securities"][0]["values"] == {"free_float": "25"}
    post_stage(client, url, "requirements", {}, action="remove:securities:0")
    r = post_stage(client, url, "requirements", {})
    assert r.status_code == 422 and b"Add at least 1 item." in r.data


def test_an_invalid_isin_is_refused(db, client, auth):
    app_id, url = _start(db, client, auth)
    r = post_stage(client, url, "requirements", dict(PREMIUM, **{"chain.securities.key": "KZ2C00000082"}),
                   action="add:securities")
    assert r.status_code == 422
    assert b"not a valid ISIN" in r.data
    state = {s.stage_id: s for s in application(db, app_id).stages}.get("requirements")
    assert not (state and state.data.get("securities"))


def test_rules_apply_to_each_dynamic_entry(db, client, auth):
    app_id, url = _start(db, client, auth)
    _add(client, url, "KZ2C00000081", "US0378331005")
    r = post_stage(client, url, "requirements", {"f.securities.0.free_float": "15",
                                                 "f.securities.1.free_float": "14.9"})
    assert r.status_code == 422
    text = r.data.decode()
    assert text.count("The free float must be at least 15% (Listing Rules p.5)") == 1
    assert text.index('id="field-securities.1.free_float"') < text.index("The free float must be at least 15%")
    r = post_stage(client, url, "requirements", {"f.securities.0.free_float": "15",
                                                 "f.securities.1.free_float": "15"})
    assert r.status_code == 302


def test_garbage_in_action_numbers_is_refused_not_a_crash(db, client, auth):
    app_id, url = _start(db, client, auth)
    _add(client, url, "KZ2C00000081")
    for action in ("remove:securities:abc", "remove:securities:²", "remove:securities:7", "remove:nothing:0"):
        r = post_stage(client, url, "requirements", {}, action=action)
        assert r.status_code == 422, action
    state = {s.stage_id: s for s in application(db, app_id).stages}["requirements"]
    assert len(state.data["securities"]) == 1
