"""The responsible-person list of an action follows the agency chosen for it: htmx asks
for the narrowed list when the chair picks the agency; without JavaScript the list is
narrowed when the form comes back."""

from datetime import timedelta

from django.utils import timezone

from birge.agencies.tests.factories import UserFactory
from birge.conferences import services


def _people_url(meeting, item) -> str:
    return f"/conferences/meetings/{meeting.pk}/items/{item.pk}/actions/people/"


def test_the_item_page_asks_for_the_agencys_people_when_the_agency_changes(
    browse, chair, in_session, item
):
    page = browse(chair).get(f"/conferences/meetings/{in_session.pk}/items/{item.pk}/")

    html = page.content.decode()
    assert f'hx-get="{_people_url(in_session, item)}"' in html
    assert 'hx-target="#id_person"' in html


def test_the_chair_gets_only_the_chosen_agencys_people(
    browse, chair, social, social_worker, officer, in_session, item
):
    UserFactory(username="retired_social", agency=social, is_active=False)

    response = browse(chair).get(_people_url(in_session, item), {"agency": social.pk})

    html = response.content.decode()
    assert response.status_code == 200
    assert html.startswith('<select name="person"') and 'id="id_person"' in html
    assert f'value="{social_worker.pk}"' in html
    assert f'value="{officer.pk}"' not in html
    assert "retired_social" not in html


def test_without_an_agency_or_with_nonsense_everyone_is_listed(
    browse, chair, social_worker, officer, in_session, item
):
    client = browse(chair)
    for agency in ("", "x", "9" * 40):
        html = client.get(_people_url(in_session, item), {"agency": agency}).content.decode()
        assert f'value="{social_worker.pk}"' in html and f'value="{officer.pk}"' in html


def test_a_member_who_is_not_the_chair_gets_404(browse, social_worker, social, in_session, item):
    response = browse(social_worker).get(_people_url(in_session, item), {"agency": social.pk})

    assert response.status_code == 404


def test_a_person_of_another_agency_is_refused_on_the_field(
    browse, chair, social, officer, in_session, item
):
    response = browse(chair).post(
        f"/conferences/meetings/{in_session.pk}/items/{item.pk}/actions/new/",
        {"text": "Call her every day", "agency": social.pk, "person": officer.pk},
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert "Name an active person of the responsible agency." in html
    people = html[html.index('<select name="person"') :]
    people = people[: people.index("</select>")]
    assert f'value="{officer.pk}"' not in people  # the list shows the social agency's people


def test_changing_an_action_offers_its_agencys_people_and_the_narrowing(
    browse, chair, social, social_worker, officer, in_session, item
):
    action = services.action_add(
        actor=chair,
        item=item,
        text="Call her every day",
        agency=social,
        person=social_worker,
        due_on=timezone.localdate() + timedelta(days=3),
        concerns=["victim"],
    )

    response = browse(chair).get(f"/conferences/actions/{action.pk}/edit/")

    html = response.content.decode()
    assert response.status_code == 200
    assert f'hx-get="{_people_url(in_session, item)}"' in html
    people = html[html.index('<select name="person"') :]
    people = people[: people.index("</select>")]
    assert f'<option value="{social_worker.pk}" selected>' in people
    assert f'value="{officer.pk}"' not in people
