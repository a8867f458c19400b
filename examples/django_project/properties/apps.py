from django.apps import AppConfig


class PropertiesConfig(AppConfig):
    name = "properties"
    verbose_name = "Property listings (caching notes)"

    def ready(self) -> None:
        # Importing the module connects the receivers that invalidate the cache on every write.
        from properties import signals  # noqa: F401
