from django.apps import AppConfig


class TravelConfig(AppConfig):
    name = "travel"
    verbose_name = "Travel (background jobs and payments notes)"
