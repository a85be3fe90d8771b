"""The discussion and an agency's research on an agenda item are long texts: what the
chair or the member typed and did not save is kept as she types, for her alone, and the
item's page opens filled from it (birge.drafts)."""

from html import unescape

from birge.drafts.models import FormDraft

RESTORED = "Your unsaved answers were restored."
KEEP = {"HTTP_X_BIRGE_DRAFT": "save"}
SUMMARY = "Threats continue; the school has seen him outside twice this week."
RESEARCH = "Our Yasamal office saw her in March about the children's schooling."


def _url(meeting, item, tail="") -> str:
    return f"/conferences/meetings/{meeting.pk}/items/{item.pk}/{tail}"


def _discussion(item) -> dict:
    return {
        "summary": SUMMARY,
        "victim_view": "Keep him away.",
        "risks": "A knife.",
        "version": item.version,
    }


def test_the_chairs_discussion_is_kept_and_the_item_page_opens_filled(
    browse, chair, in_session, item
):
    client = browse(chair)

    kept = client.post(_url(in_session, item, "discussion/"), _discussion(item), **KEEP)
    page = unescape(client.get(_url(in_session, item)).content.decode())

    assert kept.status_code == 204
    assert RESTORED in page
    assert SUMMARY in page
    item.refresh_from_db()
    assert SUMMARY not in item.summary  # a draft is not the record


def test_recording_the_discussion_forgets_the_draft(browse, chair, in_session, item):
    client = browse(chair)
    client.post(_url(in_session, item, "discussion/"), _discussion(item), **KEEP)

    assert client.post(_url(in_session, item, "discussion/"), _discussion(item)).status_code == 302

    assert not FormDraft.objects.exists()


def test_a_members_research_is_kept_for_her_alone(browse, social_worker, chair, meeting, item):
    browse(social_worker).post(
        _url(meeting, item, "research/"), {"topic": "children", "text": RESEARCH}, **KEEP
    )

    mine = unescape(browse(social_worker).get(_url(meeting, item)).content.decode())
    chairs = unescape(browse(chair).get(_url(meeting, item)).content.decode())

    assert RESTORED in mine and RESEARCH in mine
    assert RESTORED not in chairs and RESEARCH not in chairs


def test_an_outsider_can_neither_keep_nor_read_a_draft_of_the_item(
    browse, chair, outsider, in_session, item
):
    browse(chair).post(_url(in_session, item, "discussion/"), _discussion(item), **KEEP)
    client = browse(outsider)

    kept = client.post(_url(in_session, item, "discussion/"), _discussion(item), **KEEP)

    assert kept.status_code == 404
    assert client.get(_url(in_session, item)).status_code == 404
    assert FormDraft.objects.count() == 1
