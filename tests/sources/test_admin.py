"""The outlets admin and the read-only link history, by direct requests."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from sources import services
from sources.models import LinkCheck, LinkState, Outlet

pytestmark = pytest.mark.django_db


def test_an_outlet_is_added_with_its_domains(client, superuser):
    client.force_login(superuser)
    response = client.post(
        reverse("admin:sources_outlet_add"),
        {
            "name": "AI Alignment Forum",
            "slug": "ai-alignment-forum",
            "home_page": "https://www.alignmentforum.org/",
            "description": "",
            "domains-TOTAL_FORMS": "2",
            "domains-INITIAL_FORMS": "0",
            "domains-MIN_NUM_FORMS": "0",
            "domains-MAX_NUM_FORMS": "1000",
            "domains-0-domain": "https://www.AlignmentForum.org/posts",
            "domains-1-domain": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    made = Outlet.objects.get()
    assert list(made.domains.values_list("domain", flat=True)) == ["alignmentforum.org"]


def test_a_bad_domain_or_a_duplicate_name_is_a_form_error(client, superuser):
    Outlet.objects.create(name="Nature", slug="nature", home_page="https://nature.com/")
    client.force_login(superuser)
    response = client.post(
        reverse("admin:sources_outlet_add"),
        {
            "name": "nature",
            "slug": "nature-x",
            "home_page": "https://nature.com/",
            "domains-TOTAL_FORMS": "1",
            "domains-INITIAL_FORMS": "0",
            "domains-0-domain": "not a domain",
        },
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "An outlet with this name already exists." in text
    assert "is not a domain such as example.org" in text
    assert Outlet.objects.count() == 1


def test_the_outlet_list_and_search_are_constant_in_queries(client, superuser, django_assert_max_num_queries):
    for i in range(30):
        services_outlet = Outlet.objects.create(
            name=f"Outlet {i}", slug=f"outlet-{i}", home_page="https://x.example/"
        )
        services_outlet.domains.create(domain=f"o{i}.example")
    client.force_login(superuser)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("admin:sources_outlet_changelist"), {"q": "o1"})
    assert response.status_code == 200
    assert "o1.example" in response.content.decode()


def test_link_states_are_read_only_with_their_history(client, superuser, web):
    web.routes["/story"] = lambda h: h.reply(500)
    state = services.check_urls([web.url("/story")])[web.url("/story")]
    client.force_login(superuser)
    page = client.get(reverse("admin:sources_linkstate_change", args=[state.pk]))
    assert page.status_code == 200
    assert "Error status" in page.content.decode()
    assert client.get(reverse("admin:sources_linkstate_add")).status_code == 403
    client.post(reverse("admin:sources_linkstate_change", args=[state.pk]), {"state": "ok"})
    assert LinkState.objects.get().state == "failing"
    assert client.get(reverse("admin:sources_linkcheck_changelist")).status_code == 200


def test_check_now_needs_the_check_permission(client, django_user_model, web, run_tasks):
    web.routes["/story"] = lambda h: h.reply(200)
    services.track_urls([web.url("/story")])
    state = LinkState.objects.get()
    viewer = django_user_model.objects.create_user("viewer", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_linkstate"))
    client.force_login(viewer)
    url = reverse("admin:sources_linkstate_changelist")
    client.post(url, {"action": "check_now", "_selected_action": [state.pk]})
    assert web.requests == []
    assert not LinkCheck.objects.exists()
    viewer.user_permissions.add(Permission.objects.get(codename="check_links"))
    response = client.post(url, {"action": "check_now", "_selected_action": [state.pk]}, follow=True)
    assert "1 link(s) will be checked in the background." in response.content.decode()
    assert len(run_tasks()) == 1
    assert LinkState.objects.get().state == "ok"
