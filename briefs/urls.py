from django.urls import path

from . import feeds, json_feed, preview, views

app_name = "briefs"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("briefs/<uslug:slug>/", views.BriefDetailView.as_view(), name="detail"),
    path("briefs/<uslug:slug>/social-card.png", views.social_card, name="social-card"),
    path("tags/", views.TagListView.as_view(), name="tags"),
    path("tags/<uslug:slug>/", views.TagDetailView.as_view(), name="tag"),
    path("tags/<uslug:slug>/feed/rss/", feeds.TaggedBriefsFeed(), name="tag-feed-rss"),
    path("tags/<uslug:slug>/feed/atom/", feeds.TaggedBriefsAtomFeed(), name="tag-feed-atom"),
    path("tags/<uslug:slug>/feed/json/", json_feed.JSONFeed(feeds.TaggedBriefsFeed), name="tag-feed-json"),
    path("corrections/", views.CorrectionsView.as_view(), name="corrections"),
    path("sources/", views.OutletListView.as_view(), name="outlets"),
    path("sources/<uslug:slug>/", views.OutletDetailView.as_view(), name="outlet"),
    path("sources/<uslug:slug>/feed/rss/", feeds.OutletBriefsFeed(), name="outlet-feed-rss"),
    path("sources/<uslug:slug>/feed/atom/", feeds.OutletBriefsAtomFeed(), name="outlet-feed-atom"),
    path(
        "sources/<uslug:slug>/feed/json/", json_feed.JSONFeed(feeds.OutletBriefsFeed), name="outlet-feed-json"
    ),
    path("feed/rss/", feeds.LatestBriefsFeed(), name="feed-rss"),
    path("feed/atom/", feeds.LatestBriefsAtomFeed(), name="feed-atom"),
    path("feed/json/", json_feed.JSONFeed(feeds.LatestBriefsFeed), name="feed-json"),
    # Follow a glossary term: its briefs as feeds, beside the term's own page.
    path("glossary/<uslug:slug>/feed/rss/", feeds.TermBriefsFeed(), name="term-feed-rss"),
    path("glossary/<uslug:slug>/feed/atom/", feeds.TermBriefsAtomFeed(), name="term-feed-atom"),
    path("glossary/<uslug:slug>/feed/json/", json_feed.JSONFeed(feeds.TermBriefsFeed), name="term-feed-json"),
    path("preview/<str:token>/", preview.SharedBriefView.as_view(), name="shared"),
]
