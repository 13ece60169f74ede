"""Baseline views: the least a view can do for the same essential work.

A measure's ratio is its requests per second divided by its baseline's, both taken in
the same run, so the figure holds when the machine's speed drifts.
"""

from django.http import HttpResponse


def hello(request):
    """A view returning a constant: what Django itself costs per request."""
    return HttpResponse("hello")
