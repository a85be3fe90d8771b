def test_sign_in_page_opens_in_azerbaijani(client, db):
    response = client.get("/account/login/")
    assert response.status_code == 200
    assert response["Content-Language"] == "az"
    assert '<html lang="az">' in response.content.decode()


def test_home_sends_visitors_to_sign_in(client, db):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/account/login/")


def test_signed_in_officer_sees_her_agency(client, officer, sign_in):
    sign_in(client, officer)
    response = client.get("/")
    assert response.status_code == 200
    assert officer.agency.name_az in response.content.decode()
    assert "no-store" in response["Cache-Control"]
