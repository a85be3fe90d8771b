from django.urls import path

from birge.home import views

app_name = "home"

urlpatterns = [
    path("", views.home, name="home"),
    path("language/", views.set_language, name="set_language"),
]
