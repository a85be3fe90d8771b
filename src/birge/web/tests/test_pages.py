"""The frame around every page: the demo banner, error pages, no caching of personal pages."""

from django.test import Client

DEMO_BANNER = 'class="demo-banner"'


def _main(response) -> str:
    page = response.content.decode().replace(response["X-Request-ID"], "")
    return page[page.index("<main") : page.index("</main>")]


def test_the_demo_banner_shows_in_the_demo(client, db, settings):
    settings.BIRGE_DEMO = True
    assert DEMO_BANNER in client.get("/account/login/").content.decode()


def test_the_demo_banner_shows_to_signed_in_people_too(client, sign_in, officer, settings):
    settings.BIRGE_DEMO = True
    sign_in(client, officer)
    assert DEMO_BANNER in client.get("/").content.decode()


def test_there_is_no_demo_banner_in_production(client, sign_in, officer, settings):
    settings.BIRGE_DEMO = False
    assert DEMO_BANNER not in client.get("/account/login/").content.decode()
    sign_in(client, officer)
    assert DEMO_BANNER not in client.get("/").content.decode()


def test_an_unknown_address_gets_the_birge_error_page(client, db):
    client.cookies["birge_language"] = "en"
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert "web/error.html" in [t.name for t in response.templates]
    page = response.content.decode()
    assert '<html lang="en">' in page
    assert "Not found" in page
    assert "There is nothing here, or it is not yours to see." in page
    assert response["X-Request-ID"] in page


def test_the_error_page_speaks_the_chosen_language(client, db):
    client.cookies["birge_language"] = "ru"
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert '<html lang="ru">' in response.content.decode()
    assert "Not found" not in response.content.decode()


def test_a_hidden_page_looks_exactly_like_a_missing_one(client, sign_in, officer):
    client.cookies["birge_language"] = "en"
    sign_in(client, officer)
    hidden = client.get("/admin/users/")
    missing = client.get("/no-such-page/")
    assert hidden.status_code == missing.status_code == 404
    assert [t.name for t in hidden.templates] == [t.name for t in missing.templates]
    assert _main(hidden) == _main(missing)


def test_an_expired_form_gets_the_birge_page_not_djangos(db):
    browser = Client(enforce_csrf_checks=True)
    browser.cookies["birge_language"] = "en"
    response = browser.post("/language/", {"language": "ru"})
    assert response.status_code == 403
    assert "The form had expired." in response.content.decode()
    assert "birge_language" not in response.cookies


def test_every_response_carries_a_request_id(client, db):
    first = client.get("/account/login/")["X-Request-ID"]
    second = client.get("/account/login/")["X-Request-ID"]
    assert len(first) == 32
    assert first != second


def test_pages_a_signed_in_person_saw_are_not_cached(client, sign_in, lead):
    sign_in(client, lead)
    response = client.get("/admin/users/")
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_the_home_page_title_is_plain_text(client, officer, sign_in):
    import re

    sign_in(client, officer)
    page = client.get("/").content.decode()

    title = re.search(r"<title>(.*?)</title>", page, re.S).group(1)
    assert "<" not in title
    assert len(title) < 80
