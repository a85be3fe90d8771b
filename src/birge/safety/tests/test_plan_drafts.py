"""What she typed into a safety plan and did not save is kept as she types, for her
alone, and the plan's page opens filled from it until she saves (birge.drafts)."""

from html import unescape

from birge.drafts.models import FormDraft
from birge.safety.tests.conftest import SECTIONS, url

RESTORED = "Your unsaved answers were restored."
KEEP = {"HTTP_X_BIRGE_DRAFT": "save"}
TYPED = "Sister in Sumqayıt; code word: «blue door»."


def _typed(version: int = 1) -> dict:
    return {"version": version, "language": "az", **SECTIONS, "contacts": TYPED}


def test_an_edit_is_kept_and_the_plan_opens_filled_from_it(browse, officer, plan):
    client = browse(officer)

    kept = client.post(url(plan, "edit/"), _typed(), **KEEP)
    page = unescape(client.get(url(plan, "edit/")).content.decode())

    assert kept.status_code == 204
    assert RESTORED in page
    assert TYPED in page
    plan.refresh_from_db()
    assert plan.version == 1  # nothing saved: a draft is not a revision


def test_saving_the_plan_forgets_the_draft(browse, officer, plan):
    client = browse(officer)
    client.post(url(plan, "edit/"), _typed(), **KEEP)

    assert client.post(url(plan, "edit/"), _typed()).status_code == 302

    assert not FormDraft.objects.exists()
    assert RESTORED not in client.get(url(plan, "edit/")).content.decode()


def test_a_colleague_editing_the_plan_does_not_get_her_draft(browse, officer, colleague, plan):
    browse(officer).post(url(plan, "edit/"), _typed(), **KEEP)

    page = unescape(browse(colleague).get(url(plan, "edit/")).content.decode())

    assert RESTORED not in page
    assert TYPED not in page


def test_an_outsider_can_neither_keep_nor_read_a_draft_of_the_plan(browse, officer, outsider, plan):
    browse(officer).post(url(plan, "edit/"), _typed(), **KEEP)
    client = browse(outsider)

    assert client.post(url(plan, "edit/"), _typed(), **KEEP).status_code == 404
    assert client.get(url(plan, "edit/")).status_code == 404
    assert FormDraft.objects.count() == 1
