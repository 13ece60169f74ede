"""Errors as JSON, in the active language (German by default).

DRF answers its own errors (validation 400, 401, 403, 404). The services raise Django's
ValidationError with a message for the person; it becomes a 400 here instead of a 500.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


def validation_error_response(error: DjangoValidationError) -> Response:
    codes = [e.code for e in error.error_list if e.code] if hasattr(error, "error_list") else []
    body = {"detail": " ".join(str(m) for m in error.messages)}
    if codes:
        body["code"] = codes[0]
    return Response(body, status=status.HTTP_400_BAD_REQUEST)


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        return validation_error_response(exc)
    if isinstance(exc, Http404):
        # get_object_or_404's text is English and names the model: one translated answer instead.
        exc = NotFound()
    return drf_exception_handler(exc, context)
