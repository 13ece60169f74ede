"""Free text that arrives without a form (a reason field posted on its own)."""

from django import forms


def clean_text(value, *, max_length: int | None = None, required: bool = False) -> str:
    """The value checked as a form's text field checks it: stripped, no NUL character (which
    PostgreSQL refuses), at most `max_length`. Raises ValidationError with Django's German
    messages."""
    return forms.CharField(max_length=max_length, required=required).clean(value)


def query_text(request, name: str, *, max_length: int = 100) -> str:
    """A search or filter word from the query string; "" if it is not valid text (a list
    page shows everything rather than an error for a mangled link)."""
    try:
        return clean_text(request.GET.get(name, ""))[:max_length]
    except forms.ValidationError:
        return ""
