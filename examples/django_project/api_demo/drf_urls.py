"""Routes for the tests of problem_exception_handler (see drf_views.py)."""

from django.urls import include, path

from api_demo.drf_views import TransferPreview

urlpatterns = [
    path("preview/", TransferPreview.as_view()),
    path("api-design/", include("api_demo.urls")),  # reverse() of the problem type pages
]
