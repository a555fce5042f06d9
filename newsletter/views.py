"""Public pages of the newsletter. None is in the page cache's namespaces: the sign-up form
may carry a CSRF token, and the pages behind signed links are personal (never cached)."""

from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST
from django_ratelimit.core import get_usage

from core.ratelimit import client_address

from . import conf, services, tokens
from .forms import PreferencesForm, SubscribeForm
from .models import SubscriberStatus


def _limited(request):
    """The sign-up form's rate limit per client address: None, or seconds to wait."""
    usage = get_usage(
        request,
        group="newsletter.subscribe",
        key=client_address,
        rate=conf.get("SUBSCRIBE_RATE"),
        method="POST",
        increment=True,
    )
    if usage and usage["should_limit"]:
        return max(1, usage["time_left"])
    return None


@require_http_methods(["GET", "HEAD", "POST"])
def subscribe(request):
    form = SubscribeForm()
    if request.method == "POST":
        wait = _limited(request)
        if wait is not None:
            response = render(
                request, "newsletter/rate_limited.html", {"minutes": max(1, round(wait / 60))}, status=429
            )
            response["Retry-After"] = str(wait)
            return response
        form = SubscribeForm(request.POST)
        if form.is_valid():
            services.subscribe(
                email=form.cleaned_data["email"],
                frequency=form.cleaned_data["frequency"],
                topics=form.cleaned_data["topics"],
            )
            return redirect("newsletter:check-inbox")
    context = {"form": form, "pending_days": conf.get("PURGE_PENDING_DAYS")}
    return render(request, "newsletter/subscribe.html", context, status=400 if form.errors else 200)


def check_inbox(request):
    return render(request, "newsletter/check_inbox.html", {"confirm_days": conf.get("CONFIRM_DAYS")})


def _from_token(request, token, purpose):
    """(subscriber, None) for a good link, else (None, the page that says what is wrong)."""
    try:
        return tokens.subscriber_for(token, purpose), None
    except tokens.BadToken as bad:
        status = 410 if bad.reason == "expired" else 404
        context = {"reason": bad.reason, "purpose": purpose, "confirm_days": conf.get("CONFIRM_DAYS")}
        return None, render(request, "newsletter/bad_link.html", context, status=status)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request, token):
    """GET shows a button, POST confirms: link scanners that open every link in a mail must not
    subscribe anyone."""
    subscriber, problem = _from_token(request, token, tokens.CONFIRM)
    if problem:
        return problem
    if request.method == "POST":
        before = services.confirm(subscriber=subscriber)
        return render(request, "newsletter/confirmed.html", {"before": before, "subscriber": subscriber})
    return render(request, "newsletter/confirm.html", {"subscriber": subscriber})


@csrf_exempt  # RFC 8058: mail clients post the one-click request without cookies or tokens
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token):
    """GET shows one button; POST (that button, or a mail client's one-click request) unsubscribes."""
    subscriber, problem = _from_token(request, token, tokens.UNSUBSCRIBE)
    if problem:
        return problem
    if request.method == "POST":
        services.unsubscribe(subscriber=subscriber)
        return render(request, "newsletter/unsubscribed.html", {"token": token})
    done = subscriber.status == SubscriberStatus.UNSUBSCRIBED
    return render(request, "newsletter/unsubscribe.html", {"done": done, "token": token})


@never_cache
@require_POST
def erase(request, token):
    subscriber, problem = _from_token(request, token, tokens.UNSUBSCRIBE)
    if problem:
        return problem
    services.erase_self(subscriber=subscriber)
    return render(request, "newsletter/erased.html")


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def manage(request, token):
    subscriber, problem = _from_token(request, token, tokens.MANAGE)
    if problem:
        return problem
    if subscriber.status == SubscriberStatus.UNSUBSCRIBED:
        return render(request, "newsletter/cancelled.html", status=410)
    current = list(subscriber.topics.all())
    saved = False
    if request.method == "POST":
        form = PreferencesForm(request.POST, current_topics=current)
        if form.is_valid():
            try:
                services.update_preferences(
                    subscriber=subscriber,
                    frequency=form.cleaned_data["frequency"],
                    topics=form.cleaned_data["topics"],
                )
            except services.ActionRefused:  # unsubscribed in another tab a moment ago
                return render(request, "newsletter/cancelled.html", status=410)
            saved = True
    else:
        form = PreferencesForm(
            initial={"frequency": subscriber.frequency, "topics": current}, current_topics=current
        )
    unsubscribe_token = tokens.personal_token(subscriber, tokens.UNSUBSCRIBE)
    context = {"form": form, "saved": saved, "unsubscribe_token": unsubscribe_token}
    return render(request, "newsletter/manage.html", context, status=400 if form.errors else 200)
