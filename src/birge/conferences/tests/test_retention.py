"""When a case is anonymised after the retention period, what the conference wrote about
it goes too; what the figures count (meetings, cases heard, actions and their dates)
stays."""

from datetime import timedelta

from django.db import connection
from django.utils import timezone

from birge.cases.services import case_close, cases_anonymise_expired
from birge.conferences import services
from birge.conferences.figures import series_figures
from birge.conferences.models import AgendaItem, ConferenceAction, ConferenceReferral, ResearchNote
from birge.privacy.fields import encrypted_for_row

SECRET = "Her sister Nərgiz hides her at the dacha in Novxanı."


def test_anonymising_a_case_blanks_what_the_conference_wrote_about_it(
    chair, coordinator, social, social_worker, in_session, item, settings
):
    services.research_add(actor=social_worker, item=item, topic="other", text=SECRET)
    services.item_discuss(actor=chair, item=item, summary=SECRET, victim_view=SECRET, risks=SECRET)
    services.action_add(
        actor=chair,
        item=item,
        text=SECRET,
        agency=social,
        person=social_worker,
        due_on=timezone.localdate() + timedelta(days=2),
        concerns=["victim"],
    )
    services.meeting_close(actor=chair, meeting=in_session)
    ConferenceReferral.objects.filter(pk=item.referral_id).update(
        **encrypted_for_row(ConferenceReferral, pk=item.referral_id, reason=SECRET)
    )
    case_close(actor=coordinator, case=item.case, reason="She moved abroad.")
    settings.BIRGE_RETENTION_DAYS = 30
    # The fixture's meeting is a week ahead: the figures' period reaches it.
    until = timezone.localdate() + timedelta(days=30)
    heard_before = series_figures(in_session.series, until=until).cases_heard

    cases_anonymise_expired(now=timezone.now() + timedelta(days=31))

    item.refresh_from_db()
    assert (item.summary, item.victim_view, item.risks) == ("", "", "")
    assert ResearchNote.objects.get(item=item).text == ""
    action = ConferenceAction.objects.get(item=item)
    assert action.text == "" and action.due_on and action.agency_id == social.pk
    assert ConferenceReferral.objects.get(pk=item.referral_id).reason == ""
    assert AgendaItem.objects.get(pk=item.pk).outcome == "heard"
    assert series_figures(in_session.series, until=until).cases_heard == heard_before == 1
    # Nor is it left in the database's own copy of the rows.
    for table in ("conferences_agendaitem", "conferences_researchnote"):
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 - our own table names
            assert "Nərgiz" not in str(cursor.fetchall())
