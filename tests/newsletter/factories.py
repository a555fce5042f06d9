import datetime as dt

import factory
from django.utils import timezone

from newsletter import consent
from newsletter.models import Frequency, Subscriber, SubscriberStatus


class SubscriberFactory(factory.django.DjangoModelFactory):
    """An active weekly subscriber who confirmed ten days ago; `topics=[tag, …]` to choose topics."""

    class Meta:
        model = Subscriber
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"reader{n}@example.org")
    status = SubscriberStatus.ACTIVE
    frequency = Frequency.WEEKLY
    consent_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=10))
    consent_version = consent.CURRENT
    confirmed_at = factory.LazyAttribute(lambda s: s.consent_at + dt.timedelta(minutes=5))

    class Params:
        pending = factory.Trait(status=SubscriberStatus.PENDING, confirmed_at=None)
        daily = factory.Trait(frequency=Frequency.DAILY)

    @factory.post_generation
    def topics(self, create, extracted, **kwargs):
        if create and extracted:
            self.topics.set(extracted)
