from celery import shared_task

from . import services


@shared_task(name="cms.ping")
def ping(nonce: str) -> dict:
    """Prove the worker path end to end: broker → worker with Django loaded → result."""
    return services.ping(nonce)
