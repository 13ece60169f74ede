"""Pages other sites may show in a frame.

Every page forbids framing (CSP frame-ancestors 'none', X-Frame-Options DENY) against
clickjacking. A public page meant to be embedded on members' websites (say, the list of
upcoming forums) is decorated with `embeddable`: its frame-ancestors become
EMBED_FRAME_ANCESTORS and it sends no X-Frame-Options. Only for pages without forms or
anything a visitor could be tricked into clicking.
"""

from functools import wraps

from csp.decorators import csp_replace
from django.conf import settings
from django.views.decorators.clickjacking import xframe_options_exempt


def embeddable(view):
    """The view may name its own origins on the response (`response.frame_ancestors`, say
    one cluster's website); otherwise EMBED_FRAME_ANCESTORS apply."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = xframe_options_exempt(view)(request, *args, **kwargs)
        origins = getattr(response, "frame_ancestors", None) or settings.EMBED_FRAME_ANCESTORS
        return csp_replace({"frame-ancestors": list(origins)})(lambda: response)()

    return wrapped
