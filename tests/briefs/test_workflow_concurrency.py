"""Two moderators pressing the same button at once: the row lock lets exactly one step through."""

import threading

import pytest
from django.db import connection

from briefs import workflow
from briefs.models import Brief, Status, Transition
from briefs.workflow import WorkflowError
from tests.factories import BriefFactory


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_publishes_record_exactly_one_transition(moderator, superuser):
    brief = BriefFactory(in_review=True)
    barrier = threading.Barrier(2)
    outcomes = []

    def press_publish(user):
        try:
            barrier.wait(timeout=10)
            workflow.publish(Brief.objects.get(pk=brief.pk), by=user)
            outcomes.append("published")
        except WorkflowError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=press_publish, args=(user,)) for user in (moderator, superuser)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["published", "refused"]
    assert Transition.objects.filter(brief=brief, action="publish").count() == 1
    assert Brief.objects.get(pk=brief.pk).status == Status.PUBLISHED
