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


def test_every_menu_page_has_a_plain_title(db, client, auth):
    import re
    org = make_org(db)
    user = make_user(db, org, is_org_admin=True)
    auth.login(user.email)
    for url in ("/", "/procedures", "/users", "/partnership", "/under-review", "/archive",
                "/questionnaires", "/normative-base", "/insiders", "/notifications", "/profile"):
        page = client.get(url)
        assert page.status_code == 200, url
        title = re.search(r"<title>(.*?)</title>", page.data.decode(), re.S).group(1)
        assert "<" not in title and title.endswith("— is2in"), (url, title)
