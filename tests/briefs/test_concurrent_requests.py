"""Concurrent writes through the real server: many people pressing the same button at the same moment.

gunicorn (2 workers × 4 threads, production settings) on a database of the test's own, on
SQLite (WAL, IMMEDIATE transactions, a busy timeout) and on PostgreSQL. Every response is a
success or a clear refusal, never a 5xx; no row is lost; a workflow step happens once.
"""

import collections
import json
import secrets
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser

import pytest

from tests.servers import fetch, production_site

pytestmark = pytest.mark.django_db(transaction=True)

CONCURRENT = 8
CSRF = secrets.token_hex(16)  # 32 characters: a valid unmasked CSRF secret

SETUP = """
import json
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.auth import SESSION_KEY, BACKEND_SESSION_KEY, HASH_SESSION_KEY
User = get_user_model()
keys = {}
for name, role in [("mo", "Moderator"), ("eddie", "Editor")]:
    user = User.objects.create_user(name, email=f"{name}@example.com", password="x" * 16, is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    for n in range(%(sessions)d):
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        keys.setdefault(name, []).append(session.session_key)
print(json.dumps(keys))
"""


class FormFields(HTMLParser):
    """The named fields of the brief form as a browser would send them untouched."""

    def __init__(self):
        super().__init__()
        self.fields, self.in_form, self._textarea = [], False, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id") == "brief_form":
            self.in_form = True
        if not self.in_form or "name" not in attrs:
            return
        if tag == "input" and attrs.get("type") not in ("checkbox", "file", "submit"):
            self.fields.append((attrs["name"], attrs.get("value", "")))
        elif tag == "textarea":
            self._textarea = attrs["name"]
            self.fields.append((attrs["name"], ""))

    def handle_data(self, data):
        if self._textarea:
            name, value = self.fields.pop()
            self.fields.append((name, value + data))

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        if tag == "form":
            self.in_form = False


def as_user(site, session):
    return {"Cookie": f"sessionid={session}; csrftoken={CSRF}", "Referer": site.url}


def add_form(site, session):
    status, _, html = fetch(site.url + "admin/briefs/brief/add/", headers=as_user(site, session))
    assert status == 200
    parser = FormFields()
    parser.feed(html)
    return dict(parser.fields)


def post(site, session, path, data):
    body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": CSRF}).encode()
    headers = {**as_user(site, session), "Content-Type": "application/x-www-form-urlencoded"}
    status, headers, text = fetch(site.url + path, data=body, headers=headers, timeout=60)
    return status, headers, text


def brief_data(form, headline):
    data = dict(form)
    data.update(
        {
            "headline": headline,
            "slug": "",
            "dek": "A summary.",
            "points-TOTAL_FORMS": "1",
            "points-0-text": "One point.",
            "points-0-position": "0",
            "links-TOTAL_FORMS": "1",
            "links-0-kind": "primary",
            "links-0-publisher": "arXiv",
            "links-0-url": "https://arxiv.org/abs/2601.00001",
            "links-0-position": "0",
        }
    )
    return data


def at_once(function, arguments):
    with ThreadPoolExecutor(max_workers=len(arguments)) as pool:
        return list(pool.map(lambda a: function(*a), arguments))


def count(site, code):
    return json.loads(site.python(f"import json\n{code}").stdout.strip().splitlines()[-1])


def test_simultaneous_creates_publishes_and_same_headline_creates_never_fail(tmp_path):
    with production_site(tmp_path, workers=2, threads=4, demo=False) as site:
        sessions = json.loads(site.python(SETUP % {"sessions": CONCURRENT}).stdout.strip().splitlines()[-1])
        editors, moderators = sessions["eddie"], sessions["mo"]
        form = add_form(site, editors[0])

        creates = at_once(
            lambda s, n: post(site, s, "admin/briefs/brief/add/", brief_data(form, f"Distinct headline {n}")),
            [(editors[n], n) for n in range(CONCURRENT)],
        )
        same = at_once(
            lambda s: post(site, s, "admin/briefs/brief/add/", brief_data(form, "The same headline")),
            [(editors[n],) for n in range(CONCURRENT)],
        )
        rows = count(
            site,
            "from briefs.models import Brief\n"
            "print(json.dumps({'distinct': Brief.objects.filter(headline__startswith='Distinct').count(),"
            " 'same': sorted(Brief.objects.filter(headline='The same headline')"
            ".values_list('slug', flat=True)),"
            " 'target': Brief.objects.get(headline='Distinct headline 0').pk}))",
        )
        target = rows["target"]
        site.python(
            "from briefs import workflow; from briefs.models import Brief; from django.contrib.auth import "
            f"get_user_model\nworkflow.submit_for_review(Brief.objects.get(pk={target}), "
            "by=get_user_model().objects.get(username='eddie'))"
        )
        publishes = at_once(
            lambda s: post(site, s, f"admin/briefs/brief/{target}/step/publish/", {"at": ""}),
            [(moderators[n],) for n in range(CONCURRENT)],
        )
        transitions = count(
            site,
            "from briefs.models import Transition\n"
            f"print(json.dumps(Transition.objects.filter(brief_id={target}, action='publish').count()))",
        )

    summary = {
        "creates": collections.Counter(status for status, _, _ in creates),
        "same-headline creates": collections.Counter(status for status, _, _ in same),
        "publishes": collections.Counter(status for status, _, _ in publishes),
    }
    print(
        f"\nconcurrent requests ({CONCURRENT} each):",
        json.dumps(summary),
        "publish transitions:",
        transitions,
    )
    for kind, statuses in summary.items():
        assert all(code < 500 for code in statuses), (kind, statuses)
        assert statuses == {302: CONCURRENT}, (kind, statuses)
    assert rows["distinct"] == CONCURRENT
    assert len(rows["same"]) == CONCURRENT and len(set(rows["same"])) == CONCURRENT
    assert transitions == 1
