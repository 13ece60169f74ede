from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from members.models import Contact

from . import services
from .rendering import opt_out_read


@csrf_exempt  # mail clients post RFC 8058 one-click unsubscribes without a session
@require_http_methods(["GET", "POST"])
def opt_out(request, token):
    """One-click opt-out without login.

    GET shows one button; POST (the button, or a mail client's List-Unsubscribe-Post)
    stops advertising mail. GET alone changes nothing, because link scanners in
    company mail systems fetch every link of a mail.
    """
    data = opt_out_read(token)
    if data is None:
        return render(
            request,
            "outbox/opt_out.html",
            {"invalid": True, "error": _("This opt-out link is not valid.")},
            status=400,
        )
    email = data["e"]
    if request.method == "POST":
        contact = Contact.objects.filter(pk=data.get("c")).first() if data.get("c") else None
        services.suppression_add(email=email, contact=contact)
        return render(request, "outbox/opt_out.html", {"done": True, "email": email})
    return render(request, "outbox/opt_out.html", {"email": email})
