from django.urls import path

from . import preview, views

app_name = "briefs"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("briefs/<uslug:slug>/", views.BriefDetailView.as_view(), name="detail"),
    path("preview/<str:token>/", preview.SharedBriefView.as_view(), name="shared"),
]
