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
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        allowed = {"frame-ancestors": list(settings.EMBED_FRAME_ANCESTORS)}
        return csp_replace(allowed)(xframe_options_exempt(view))(request, *args, **kwargs)

    return wrapped
