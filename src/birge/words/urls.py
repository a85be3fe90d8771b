from django.urls import path

from birge.words import views

app_name = "words"

urlpatterns = [
    path("note/", views.note, name="note"),
    path("counts/", views.counts, name="counts"),
]
