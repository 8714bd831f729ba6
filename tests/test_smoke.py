from conftest import make_org, make_user


def test_login_page_renders(client):
    r = client.get("/login")
    assert r.status_code == 200
    assert b"Log in" in r.data


def test_sign_in_reaches_cabinet(db, client, auth):
    org = make_org(db)
    user = make_user(db, org)
    r = auth.login(user.email, follow=True)
    assert r.status_code == 200
    assert user.full_name.encode() in r.data
