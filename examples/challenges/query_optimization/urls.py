"""A URLconf of this case study's own (tests set ROOT_URLCONF to it), so the project's
URLs stay untouched: the feed before and after the fix, side by side."""

from django.urls import path

from challenges.query_optimization import after, before

urlpatterns = [
    path("feed/before/", before.NotificationFeed.as_view(), name="feed-before"),
    path("feed/after/", after.NotificationFeed.as_view(), name="feed-after"),
]
