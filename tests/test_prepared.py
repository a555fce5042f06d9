"""Prepared queries: compiled by the ORM once, run with new values, same answers as the ORM."""

import datetime as dt

import pytest
from django.utils import timezone

from briefs.models import Brief, BriefPoint
from core.prepared import PreparedQuery
from tests.factories import BriefFactory

pytestmark = pytest.mark.django_db


def test_a_prepared_query_answers_like_the_orm_for_every_value():
    first = BriefFactory(points=["one", "two"])
    second = BriefFactory(points=["three"])
    points = PreparedQuery(lambda pk: BriefPoint.objects.filter(brief_id=pk), pk=int)
    for brief in (first, second, first):
        assert points.run(pk=brief.pk) == list(BriefPoint.objects.filter(brief_id=brief.pk))


def test_datetime_parameters_are_adapted_like_the_orm_does():
    now = timezone.now()
    old = BriefFactory(published=True, published_at=now - dt.timedelta(days=3))
    new = BriefFactory(published=True, published_at=now - dt.timedelta(hours=1))
    live = PreparedQuery(lambda at: Brief.objects.published(at).order_by("pk"), at=dt.datetime)
    assert live.run(at=now) == [old, new]
    assert live.run(at=now - dt.timedelta(days=1)) == [old]
    sql, params = live.sql(at=now)
    assert sql.lstrip().upper().startswith("SELECT") and len(params) == 2


def test_a_parameter_the_query_does_not_use_is_refused():
    unused = PreparedQuery(lambda pk: BriefPoint.objects.all(), pk=int)
    with pytest.raises(ValueError, match="does not use its parameter 'pk'"):
        unused.run(pk=1)
