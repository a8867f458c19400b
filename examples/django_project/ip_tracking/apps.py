from django.apps import AppConfig


class IpTrackingConfig(AppConfig):
    name = "ip_tracking"
    verbose_name = "IP tracking (security note)"
