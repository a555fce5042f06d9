from django.urls import path

from . import views

app_name = "glossary"

urlpatterns = [
    path("<uslug:slug>/", views.TermDetailView.as_view(), name="term"),
]
