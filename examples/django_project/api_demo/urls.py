"""URLs of the API design note, included from nexus/urls.py under /api-design/."""

from django.urls import path

from api_demo import problems, ratelimit_headers, views

app_name = "api_demo"

urlpatterns = [
    path("transfers/", views.transfers, name="transfers"),
    path("transfers/<int:pk>/", views.transfer, name="transfer"),
    path("books/", views.books, name="books"),
    path("books/<int:pk>/", views.book, name="book"),
    path("authors/<int:pk>/", views.author, name="author"),
    path("limited/", ratelimit_headers.limited, name="limited"),
    path("problems/<slug:slug>", problems.problem_type_page, name="problem-type"),
]
