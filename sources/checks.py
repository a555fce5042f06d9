from django.core import checks

from .conf import setting


@checks.register(checks.Tags.security, deploy=True)
def loopback_allowance_off(app_configs, **kwargs):
    """The test-only allowance lets the checker fetch this machine's own services: never in production."""
    if setting("SOURCES_ALLOW_LOOPBACK_FOR_TESTS"):
        return [
            checks.Error(
                "SOURCES_ALLOW_LOOPBACK_FOR_TESTS is on: the link checker may fetch 127.0.0.1 and ::1.",
                hint="Only the test suite sets it. Remove it from the production settings.",
                id="sources.E001",
            )
        ]
    return []
