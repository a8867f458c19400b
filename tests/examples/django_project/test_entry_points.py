"""The project's server entry points load the project's settings and give servers a handler."""

from django.core.handlers.asgi import ASGIHandler
from django.core.handlers.wsgi import WSGIHandler


def test_wsgi_entry_point_gives_gunicorn_a_wsgi_handler():
    from nexus.wsgi import application

    assert isinstance(application, WSGIHandler)


def test_asgi_entry_point_gives_uvicorn_an_asgi_handler():
    from nexus.asgi import application

    assert isinstance(application, ASGIHandler)
