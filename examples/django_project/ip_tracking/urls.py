"""URLs of the security note, included from nexus/urls.py under /security/."""

from django.urls import path

from ip_tracking import views

app_name = "ip_tracking"

urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("status/", views.status_view, name="status"),
]
