from django.urls import path

from . import views

app_name = "briefs"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("briefs/<uslug:slug>/", views.BriefDetailView.as_view(), name="detail"),
]
