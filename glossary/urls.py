from django.urls import path

from . import views

app_name = "glossary"

urlpatterns = [
    path("", views.GlossaryView.as_view(), name="index"),
    path("<uslug:slug>/", views.TermDetailView.as_view(), name="term"),
]
