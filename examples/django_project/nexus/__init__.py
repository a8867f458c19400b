from .celery import app as celery_app  # loads the Celery app with Django, so @shared_task binds to it

__all__ = ("celery_app",)
