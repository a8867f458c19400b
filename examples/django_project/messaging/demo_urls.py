"""Views and URLs that only the middleware tests use (through @pytest.mark.urls), so the
project's own nexus/urls.py stays as it is."""

from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt


# --8<-- [start:demo_urls]
@csrf_exempt  # the demo POST endpoint stands in for "send a message"
def messages_view(request: HttpRequest) -> HttpResponse:
    return HttpResponse("sent" if request.method == "POST" else "inbox")


def whoami_view(request: HttpRequest) -> HttpResponse:
    return HttpResponse(request.user.get_username() or "anonymous")


def moderation_view(request: HttpRequest) -> HttpResponse:
    return HttpResponse("moderation queue")


urlpatterns = [
    path("demo/messages/", messages_view),
    path("demo/whoami/", whoami_view),
    path("moderation/", moderation_view),
]
# --8<-- [end:demo_urls]
