"""schema.org Event data for a forum page (JSON-LD), for search engines and calendars.

json_script-style escaping (no "<", ">" or "&" in the output) lets it sit in a
<script type="application/ld+json"> element: data, not code, so the Content-Security-Policy,
which forbids inline scripts, does not apply to it.
"""

import json

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe

from forums.models import Forum
from members.identity import identity_for

STATUS = {
    Forum.State.CANCELLED: "https://schema.org/EventCancelled",
}
_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def _availability(forum: Forum) -> str:
    full = forum.seats_taken >= forum.capacity
    if forum.state != Forum.State.PUBLISHED or not forum.is_registration_open():
        return "https://schema.org/SoldOut" if full else "https://schema.org/Discontinued"
    if full:
        return "https://schema.org/LimitedAvailability"  # the waiting list is open
    return "https://schema.org/InStock"


def event_data(forum: Forum, request) -> dict:
    url = request.build_absolute_uri(reverse("public:forum", args=[forum.cluster.slug, forum.pk]))
    place = {"@type": "Place", "name": forum.venue_lines[0] if forum.venue_lines else ""}
    address = {"@type": "PostalAddress", "addressCountry": "DE"}
    if forum.venue_street or forum.venue_city:
        street, postcode, city = forum.venue_street, forum.venue_postcode, forum.venue_city
    elif forum.host_company_id:
        host = forum.host_company
        street, postcode, city = host.street, host.postcode, host.city
    else:
        street = postcode = city = ""
    address.update(
        {
            k: v
            for k, v in (
                ("streetAddress", street),
                ("postalCode", postcode),
                ("addressLocality", city),
            )
            if v
        }
    )
    place["address"] = address
    organizer = identity_for(forum.cluster_id)
    return {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": forum.title,
        "description": forum.description[:500],
        "startDate": timezone.localtime(forum.starts_at).isoformat(),
        "endDate": timezone.localtime(forum.ends_at).isoformat(),
        "eventStatus": STATUS.get(forum.state, "https://schema.org/EventScheduled"),
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "location": place,
        "organizer": {
            "@type": "Organization",
            "name": organizer.name,
            "url": settings.SITE_URL,
            "email": organizer.reply_address,
        },
        "url": url,
        "offers": {
            "@type": "Offer",
            "price": "0",
            "priceCurrency": "EUR",
            "availability": _availability(forum),
            "url": url,
        },
    }


def event_json(forum: Forum, request) -> str:
    """The data as a string safe inside a <script type="application/ld+json"> element."""
    text = json.dumps(event_data(forum, request), ensure_ascii=False).translate(_ESCAPES)
    return mark_safe(text)  # noqa: S308 - escaped above like json_script
