from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from . import views

admin.site.site_header = _("metalldialog – administration")
admin.site.site_title = _("metalldialog")
admin.site.index_title = _("Administration")

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("", include("members.urls")),
    path("forums/", include("forums.urls")),
    path("sefex/", include("sefex.urls")),
    path("mail/", include("outbox.urls")),
    path("funding/", include("funding.urls")),
    path("api/", include("api.urls")),
    path("cockpit/", include("cockpit.urls")),
    path("privacy/", include("privacy.urls")),
    path("audit/", include("core.urls")),
    path("", include("logins.urls")),
]
