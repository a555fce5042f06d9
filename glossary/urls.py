from django.urls import path

from briefs.json_feed import JSONFeed

from . import feeds, views

app_name = "glossary"

urlpatterns = [
    path("", views.GlossaryView.as_view(), name="index"),
    path("<uslug:slug>/", views.TermDetailView.as_view(), name="term"),
    path("<uslug:slug>/feed/rss/", feeds.TermBriefsFeed(), name="term-feed-rss"),
    path("<uslug:slug>/feed/atom/", feeds.TermBriefsAtomFeed(), name="term-feed-atom"),
    path("<uslug:slug>/feed/json/", JSONFeed(feeds.TermBriefsFeed), name="term-feed-json"),
]
