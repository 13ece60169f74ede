"""Request bodies are refused by their declared size before anything reads them.

Django's own limits (DATA_UPLOAD_MAX_MEMORY_SIZE, FILE_UPLOAD_MAX_MEMORY_SIZE) bound the
form fields in memory; a file upload is still read, to a temporary file, whatever its size,
and the CSRF check reads the whole form before any view runs. RequestSizeMiddleware looks at
Content-Length first: a body larger than DATA_UPLOAD_MAX_MEMORY_SIZE goes only to a view
marked with `upload_limit`, and only up to that view's limit; anything else is answered 413
with a German page, unread.
"""

from collections.abc import Callable

from django.conf import settings
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.urls import Resolver404, resolve

# Room for the multipart framing and the form's other fields beside the file.
FORM_OVERHEAD_BYTES = 64 * 1024


def upload_limit(max_bytes: int | Callable[[], int]):
    """Marks a view that takes a file of at most `max_bytes` (a number, or a function read at
    each request). Put it outermost, above the login decorators."""

    def decorator(view):
        view.upload_max_bytes = max_bytes
        return view

    return decorator


def _view_limit(request) -> int | None:
    try:
        view = resolve(request.path_info).func
    except Resolver404:
        return None
    limit = getattr(view, "upload_max_bytes", None)
    return limit() if callable(limit) else limit


class RequestSizeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
            limit = _view_limit(request)
            if limit is None or length > limit + FORM_OVERHEAD_BYTES:
                # Nothing of the body was read: the connection is not kept for another request.
                response = render(
                    request,
                    "upload_too_large.html",
                    {"limit": filesizeformat(limit) if limit else None},
                    status=413,
                )
                response["Connection"] = "close"
                return response
        return self.get_response(request)
