"""Rate-limited views of the security note, under /security/ (django-ratelimit decorators)."""

from __future__ import annotations

from django.contrib.auth import login
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.views.decorators.http import require_http_methods
from django_ratelimit.decorators import ratelimit

from api_demo.problems import Problem
from ip_tracking.network import client_ip


# --8<-- [start:rates]
def rate_for(group: str, request: HttpRequest) -> str:
    """django-ratelimit calls this per request: signed-in users get twice the anonymous rate."""
    return "10/m" if request.user.is_authenticated else "5/m"


@require_http_methods(["GET", "POST"])
@ratelimit(key="ip", rate="5/m", method="POST")  # at most 5 password guesses per IP per minute
def login_view(request: HttpRequest) -> HttpResponse:
    """GET: a CSRF token (and its cookie). POST username and password: a session."""
    if request.method == "GET":
        return JsonResponse({"csrfToken": get_token(request)})
    form = AuthenticationForm(request, data=request.POST)
    if not form.is_valid():
        # One answer for "no such user" and "wrong password": the response must not tell them apart.
        return Problem(400, "Wrong username or password.").response(request)
    login(request, form.get_user())
    return JsonResponse({"username": form.get_user().get_username()})


@ratelimit(key="user_or_ip", rate=rate_for)  # counts per user id when signed in, else per IP
def status_view(request: HttpRequest) -> HttpResponse:
    return JsonResponse({"ip": client_ip(request), "user": request.user.get_username() or None})


def ratelimited(request: HttpRequest, exception: Exception) -> HttpResponse:
    """RATELIMIT_VIEW: RatelimitMiddleware calls it instead of Django's 403 for Ratelimited."""
    # Every rate here is per minute, so a minute is always long enough to wait.
    return Problem(429, "Too many requests; slow down.", headers={"Retry-After": "60"}).response(request)
# --8<-- [end:rates]
