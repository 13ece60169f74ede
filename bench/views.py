"""Baseline views: the least a view can do for the same essential work.

A measure's ratio is its requests per second divided by its baseline's, both taken in
the same run, so the figure holds when the machine's speed drifts.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.template import engines


def hello(request):
    """A view returning a constant: what Django itself costs per request."""
    return HttpResponse("hello")


# A plain template: the same 50 rows as a directory page, nothing else.
DIRECTORY_ROWS = engines["django"].from_string(
    "<table>{% for row in rows %}<tr><td>{{ row.legal_name }}</td>"
    "<td>{{ row.postcode }} {{ row.city }}</td><td>{{ row.sme_class }}</td></tr>"
    "{% endfor %}</table>"
)


def directory_rows(request):
    """One query for 50 companies, rendered: the least a directory page can do."""
    from members.models import Company

    rows = Company.objects.order_by("legal_name", "pk").values(
        "legal_name", "postcode", "city", "sme_class"
    )[100:150]
    return HttpResponse(DIRECTORY_ROWS.render({"rows": rows}, request))


FLOOR = engines["django"].from_string('{% extends "base.html" %}')


@login_required
def floor(request):
    """A logged-in page with nothing of its own (session, user, roles, navigation): what
    every page of the app costs before its own work. Not a baseline; a reference point."""
    return HttpResponse(FLOOR.render({}, request))
