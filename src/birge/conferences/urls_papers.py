"""The minutes (printable page and PDF) and the figures' routes, in the `conferences`
namespace (included by birge.conferences.urls)."""

from django.urls import path

from birge.conferences import views_papers

urlpatterns = [
    path("meetings/<id:meeting_id>/minutes/", views_papers.minutes, name="minutes"),
    path(
        "meetings/<id:meeting_id>/minutes.pdf",
        views_papers.minutes_pdf_download,
        name="minutes_pdf",
    ),
    path("series/<id:series_id>/figures/", views_papers.figures, name="figures"),
]
