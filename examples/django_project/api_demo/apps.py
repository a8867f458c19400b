from django.apps import AppConfig


class ApiDemoConfig(AppConfig):
    name = "api_demo"
    verbose_name = "API design (concept note)"
