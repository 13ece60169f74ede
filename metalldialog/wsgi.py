import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "metalldialog.settings.base")
application = get_wsgi_application()

from metalldialog.startup import refuse_without_mail_server  # noqa: E402 - needs the settings

refuse_without_mail_server()
