"""A referral's summary typed and not yet sent is kept as she types, for her alone, and
the referral page opens filled from it whichever services the directory shows."""

from html import unescape

from birge.drafts.models import FormDraft

RESTORED = "Your unsaved answers were restored."
KEEP = {"HTTP_X_BIRGE_DRAFT": "save"}
TYPED = "Needs a place tonight with her two children; he knows her sister's address."


def test_a_summary_is_kept_and_the_page_opens_filled_from_it(
    browse, officer, shelter_place, high_risk_case
):
    client = browse(officer)
    new = f"/referrals/new/{high_risk_case.pk}/"

    kept = client.post(
        new + "?kind=shelter", {"service": shelter_place.pk, "summary": TYPED}, **KEEP
    )
    page = unescape(client.get(new + "?kind=legal_aid").content.decode())

    assert kept.status_code == 204
    assert RESTORED in page
    assert TYPED in page


def test_sending_the_referral_forgets_the_draft(browse, officer, shelter_place, high_risk_case):
    client = browse(officer)
    new = f"/referrals/new/{high_risk_case.pk}/"
    client.post(new, {"service": shelter_place.pk, "summary": TYPED}, **KEEP)

    sent = client.post(new, {"service": shelter_place.pk, "summary": TYPED, "send": "1"})

    assert sent.status_code == 302
    assert not FormDraft.objects.exists()


def test_an_outsider_can_neither_keep_nor_read_a_draft_of_the_referral(
    browse, officer, outsider, shelter_place, high_risk_case
):
    new = f"/referrals/new/{high_risk_case.pk}/"
    browse(officer).post(new, {"service": shelter_place.pk, "summary": TYPED}, **KEEP)
    client = browse(outsider)

    assert client.post(new, {"summary": TYPED}, **KEEP).status_code == 404
    assert client.get(new).status_code == 404
    assert FormDraft.objects.count() == 1
