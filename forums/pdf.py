"""The participant list as PDF (WeasyPrint): evidence for ERDF reporting, with a column for
each participant's signature."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from members.identity import identity_for, logo_data_uri

from . import selectors


def participants_pdf(forum, *, request=None) -> bytes:
    # Imported here: WeasyPrint loads pango on import, which only this page needs.
    from weasyprint import HTML

    html = render_to_string(
        "forums/pdf/participants.html",
        {
            "forum": forum,
            "participants": list(selectors.participants(forum)),
            "starts_at": timezone.localtime(forum.starts_at),
            "ends_at": timezone.localtime(forum.ends_at),
            "printed_at": timezone.localtime(),
            "identity": identity_for(forum.cluster),
            "logo": logo_data_uri(forum.cluster),
        },
        request=request,
    )
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
