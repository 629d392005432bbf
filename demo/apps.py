from django.apps import AppConfig


class DemoConfig(AppConfig):
    """No models: the demo generators and the `seed_demo` command."""

    name = "demo"
