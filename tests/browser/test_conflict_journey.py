"""Two editors edit the same brief at once: the second save is refused, names the first editor,
and keeps what the second one typed."""

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from briefs.models import Brief
from tests.conftest import ensure_roles
from tests.factories import BriefFactory, UserFactory

from .conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def two_editors(db):
    ensure_roles()
    group = Group.objects.get(name="Editor")
    people = [
        UserFactory(username="erin", first_name="Erin", last_name="Ellis"),
        UserFactory(username="omar", first_name="Omar", last_name="Okafor"),
    ]
    for person in people:
        person.groups.add(group)
    return people


def open_brief(page, headline):
    page.get_by_role("rowheader", name="Briefs", exact=True).get_by_role("link").click()
    page.get_by_role("link", name=headline).click()
    expect(page.get_by_label("Headline")).to_have_value(headline)


def test_second_editor_is_told_who_changed_the_brief_and_keeps_their_input(
    page, person, live_server, two_editors, screenshot
):
    erin, omar = two_editors
    brief = BriefFactory(headline="Chips Built for Training Use Less Power")
    first, second = page, person()
    log_in(first, live_server.url, erin)
    log_in(second, live_server.url, omar)
    open_brief(first, brief.headline)
    open_brief(second, brief.headline)

    first.get_by_label("Headline").fill("Training Chips Halve Their Power Use")
    first.get_by_role("button", name="Save and continue editing").click()
    expect(first.locator(".messagelist .success").first).to_contain_text("was changed successfully")

    second.get_by_label("Headline").fill("New Training Chips Use Half the Power")
    second.get_by_label("Summary").fill("A chip designed only for training uses half the energy of a GPU.")
    second.get_by_role("button", name="Save and continue editing").click()
    refusal = second.locator(".errorlist.nonfield")
    expect(refusal).to_contain_text("Erin Ellis changed this brief on")
    expect(refusal).to_contain_text("Nothing was saved")
    expect(second.get_by_label("Headline")).to_have_value("New Training Chips Use Half the Power")
    expect(second.get_by_label("Summary")).to_have_value(
        "A chip designed only for training uses half the energy of a GPU."
    )
    screenshot("conflict-second-save-refused", on=second)
    assert Brief.objects.get(pk=brief.pk).headline == "Training Chips Halve Their Power Use"

    # Having seen the message, saving again is a deliberate choice, and it is accepted.
    second.get_by_role("button", name="Save and continue editing").click()
    expect(second.locator(".messagelist .success").first).to_contain_text("was changed successfully")
    assert Brief.objects.get(pk=brief.pk).headline == "New Training Chips Use Half the Power"
