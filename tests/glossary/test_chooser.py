"""The term chooser on the brief form: the term that starts with what was typed comes first, each
choice shows its status and the start of its definition, and a missing term can be proposed as a
draft that waits for approval."""

import json

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from glossary import services
from glossary.models import Term, TermStatus
from tests.factories import TermFactory

pytestmark = pytest.mark.django_db


def choose(client, user, typed):
    client.force_login(user)
    response = client.get(
        reverse("admin:autocomplete"),
        {"term": typed, "app_label": "briefs", "model_name": "briefterm", "field_name": "term"},
    )
    assert response.status_code == 200
    return json.loads(response.content)["results"]


@pytest.fixture
def terms(db):
    TermFactory(name="deep learning", definition="Machine learning with neural networks of many layers.")
    TermFactory(name="machine learning model", definition="A program whose behaviour is fitted to data.")
    TermFactory(name="quantum machine", definition="A computer that uses qubits.", status=TermStatus.DRAFT)
    TermFactory(name="teaching machines", definition="Programs that tutor.")


def test_machine_puts_machine_learning_model_first_ahead_of_deep_learning(client, contributor, terms):
    names = [result.get("name") for result in choose(client, contributor, "machine")]
    assert names[0] == "machine learning model"
    assert names.index("deep learning") > names.index("quantum machine")  # a word start beats the definition
    assert names[-1] == "deep learning"


def test_each_choice_shows_its_status_and_the_start_of_its_definition(client, contributor, terms):
    first, *rest = choose(client, contributor, "machine")
    assert first["status"] == "Approved" and first["definition"].startswith("A program whose")
    assert first["text"].startswith("machine learning model — Approved — A program")
    draft = next(result for result in rest if result.get("name") == "quantum machine")
    assert draft["status"] == "Draft, awaiting approval"


def test_someone_who_may_add_terms_is_offered_to_create_the_one_typed(client, editor, terms):
    last = choose(client, editor, "sparse autoencoder")[-1]
    assert last["id"] == "" and "Create “sparse autoencoder” as a new draft term" in last["text"]
    assert last["create_url"].startswith(reverse("admin:glossary_term_propose"))
    assert "create_url" not in choose(client, editor, "machine learning model")[-1]  # it exists


def test_contributors_are_not_offered_to_create_terms(client, contributor, terms):
    assert all("create_url" not in result for result in choose(client, contributor, "sparse autoencoder"))


def test_a_term_proposed_from_the_chooser_is_a_draft_even_from_a_moderator(client, moderator):
    client.force_login(moderator)
    url = reverse("admin:glossary_term_propose") + "?_popup=1&name=sparse+autoencoder"
    assert "sparse autoencoder" in client.get(url).text
    response = client.post(
        url, {"name": "sparse autoencoder", "definition": "Finds features in activations."}
    )
    term = Term.objects.get(name="sparse autoencoder")
    assert term.status == TermStatus.DRAFT
    assert "popup_response" in response.text and f"&quot;value&quot;: &quot;{term.pk}&quot;" in response.text


def test_proposing_a_term_is_refused_in_the_service_without_the_permission(contributor):
    with pytest.raises(PermissionDenied):
        services.propose_term(name="sparse autoencoder", definition="Finds features.", by=contributor)
    assert not Term.objects.exists()


def test_the_propose_page_refuses_contributors(client, contributor):
    client.force_login(contributor)
    assert client.get(reverse("admin:glossary_term_propose")).status_code == 403


def test_a_proposed_name_that_exists_is_a_form_error(client, editor, terms):
    client.force_login(editor)
    response = client.post(
        reverse("admin:glossary_term_propose"), {"name": "Deep Learning", "definition": "x"}
    )
    assert response.status_code == 200 and "already exists" in response.text
