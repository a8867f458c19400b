from django.apps import AppConfig


# --8<-- [start:ready]
class MessagingConfig(AppConfig):
    name = "messaging"
    verbose_name = "Messaging"

    def ready(self) -> None:
        # Importing the module runs its @receiver decorators, which connect the receivers.
        # ready() runs once, after every app's models are loaded; dispatch_uid guards against
        # a second connection if the module is ever imported twice.
        from messaging import signals  # noqa: F401
# --8<-- [end:ready]
