"""What a production process checks when it starts (not when settings load: the tests, the
bench and the image build load them without a mail server).

Without EMAIL_URL the mails, login codes included, are only printed to the log: fine for
`make run` (debug mode), a leak and a silent failure in production.
"""

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

RECORDING_BACKEND = "metalldialog.mail_backends.RecordingConsoleBackend"
NO_MAIL_SERVER = (
    "EMAIL_URL is not set: mails, login codes included, would only be printed to the log. "
    "Set EMAIL_URL (e.g. smtp+tls://user:password@mail.example.org:587), or DJANGO_DEBUG=true "
    "for development."
)


def mail_only_printed() -> bool:
    return not settings.DEBUG and settings.EMAIL_BACKEND == RECORDING_BACKEND


@checks.register(checks.Tags.security, deploy=True)
def check_mail_server(app_configs=None, **kwargs):
    if mail_only_printed():
        return [checks.Error(NO_MAIL_SERVER, id="metalldialog.E001")]
    return []


def refuse_without_mail_server() -> None:
    """Raised while the web server loads the app, gunicorn stops ("worker failed to boot")."""
    if mail_only_printed():
        raise ImproperlyConfigured(NO_MAIL_SERVER)
