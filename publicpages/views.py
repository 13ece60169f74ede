"""The public face: forum pages anyone can open, a registration form without a login.

Pages without a form come from the cache (publicpages.cache) for anonymous visitors; the
registration form has its own URL and is never cached, so its CSRF token is always the
visitor's own.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from core.embedding import embeddable
from core.lockout import client_ip
from members.identity import identity_for

from . import cache, selectors, services, structured, throttle
from .forms import AddressForm, RegistrationForm


def speaking_for(cluster) -> dict:
    """A cluster's page speaks for the cluster: its header, sender and imprint."""
    identity = identity_for(cluster)
    return {"cluster": cluster, "sender": identity, "brand": identity}


@require_GET
def overview(request):
    def build():
        return render(
            request, "public/overview.html", {"clusters": selectors.clusters_with_forums()}
        )

    return cache.cached_page(request, cache.OVERVIEW, "overview", build)


@require_GET
def cluster_forums(request, slug):
    def build():
        cluster = selectors.cluster_get_or_404(slug)
        forums = list(selectors.forums_upcoming(cluster))
        return render(request, "public/list.html", speaking_for(cluster) | {"forums": forums})

    return cache.cached_page(request, slug, "list", build)


@require_GET
@embeddable
def cluster_embed(request, slug):
    """The list for a frame on the agency's website: links open in a new tab."""

    def build():
        cluster = selectors.cluster_get_or_404(slug)
        forums = list(selectors.forums_upcoming(cluster))
        return render(request, "public/embed.html", speaking_for(cluster) | {"forums": forums})

    response = cache.cached_page(request, slug, "embed", build)
    response.frame_ancestors = settings.PUBLIC_EMBED_ORIGINS.get(slug)
    return response


@require_GET
def forum(request, slug, pk):
    def build():
        cluster = selectors.cluster_get_or_404(slug)
        found = selectors.forum_get_or_404(cluster, pk)
        return render(
            request,
            "public/forum.html",
            speaking_for(cluster)
            | {
                "forum": found,
                "seats_left": selectors.seats_left(found),
                "event_json": structured.event_json(found, request),
                "canonical": request.build_absolute_uri(forum_path(found)),
            },
        )

    return cache.cached_page(request, slug, f"forum:{pk}", build)


def forum_path(forum) -> str:
    return reverse("public:forum", args=[forum.cluster.slug, forum.pk])


@never_cache
@require_http_methods(["GET", "POST"])
def register(request, slug, pk):
    """The form (own URL, never cached). Every outcome shows the same answer."""
    cluster = selectors.cluster_get_or_404(slug)
    found = selectors.forum_get_or_404(cluster, pk)
    open_forum = found.audience == found.Audience.OPEN
    form_class = RegistrationForm if open_forum else AddressForm
    form = form_class(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            if form.cleaned_data.get("website"):
                return redirect("public:sent", slug=slug, pk=pk)  # a bot: nothing happens
            email = form.cleaned_data["email"]
            if not throttle.allow(ip=client_ip(request), email=email):
                return render(
                    request,
                    "public/register.html",
                    speaking_for(cluster)
                    | {
                        "forum": found,
                        "form": form,
                        "error": services.registration_refused_text(),
                        "registration_open": found.is_registration_open(),
                    },
                    status=429,
                )
            data = form.cleaned_data
            services.registration_request(
                forum=found,
                applicant=services.Applicant(
                    first_name=data.get("first_name", ""),
                    last_name=data.get("last_name", ""),
                    company_name=data.get("company", ""),
                    email=email,
                    invitations=bool(data.get("invitations")),
                ),
            )
            return redirect("public:sent", slug=slug, pk=pk)
        status = 400
    return render(
        request,
        "public/register.html",
        speaking_for(cluster)
        | {
            "forum": found,
            "form": form,
            "open_forum": open_forum,
            "registration_open": found.is_registration_open(),
        },
        status=status,
    )


@require_GET
def sent(request, slug, pk):
    cluster = selectors.cluster_get_or_404(slug)
    found = selectors.forum_get_or_404(cluster, pk)
    return render(request, "public/sent.html", speaking_for(cluster) | {"forum": found})


@require_GET
def imprint(request, slug):
    """The cluster's imprint and privacy notice."""

    def build():
        cluster = selectors.cluster_get_or_404(slug)
        return render(request, "public/imprint.html", speaking_for(cluster))

    return cache.cached_page(request, slug, "imprint", build)


@never_cache
@require_http_methods(["GET", "POST"])
def confirm(request, token):
    """GET shows a button (mail scanners open every link); POST confirms and registers."""
    if request.method == "GET":
        return render(request, "public/confirm.html", {})
    try:
        result = services.request_confirm(token=token, ip=client_ip(request))
    except ValidationError as error:
        return render(request, "public/confirm.html", {"error": error.messages[0]}, status=400)
    return render(request, "public/confirm.html", {"done": True, "result": result})


@require_GET
def language(request, code):
    """Switches the language by a link: cached pages carry no form (and no CSRF token)."""
    if code not in dict(settings.LANGUAGES):
        raise Http404
    target = request.GET.get("next") or reverse("public:overview")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = reverse("public:overview")
    response = redirect(target)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )
    return response
