from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from publicpages.sitemaps import SITEMAPS

from . import views

admin.site.site_header = _("metalldialog – administration")
admin.site.site_title = _("metalldialog")
admin.site.index_title = _("Administration")
# One way in: the admin's own login form would skip the second factor and the lock-out.
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    # Before allauth's own page of the same address: see views.login_email_fixed.
    path("accounts/email/", views.login_email_fixed, name="account_email"),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("", include("members.urls")),
    path("forums/", include("forums.urls")),
    path("sefex/", include("sefex.urls")),
    path("mail/", include("outbox.urls")),
    # The ESPs' tracking webhooks (bounces, complaints): basic auth with ANYMAIL_WEBHOOK_SECRET.
    path("anymail/", include("anymail.urls")),
    path("funding/", include("funding.urls")),
    path("api/", include("api.urls")),
    path("cockpit/", include("cockpit.urls")),
    path("privacy/", include("privacy.urls")),
    path("audit/", include("core.urls")),
    path("", include("logins.urls")),
    path("atlas/", include("atlas.urls")),
    path("crm/", include("crm.urls")),
    path("rundschreiben/", include("circulars.urls")),
    path("events/", include("publicpages.urls")),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
]
