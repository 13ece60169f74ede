from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import services
from .models import ApiToken


class ApiTokenForm(forms.ModelForm):
    actor = None  # who makes the token; set per request by the admin

    class Meta:
        model = ApiToken
        fields = ["name", "user"]

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None and not self.errors:
            services.api_token_check(
                name=cleaned.get("name"), user=cleaned.get("user"), actor=self.actor
            )
        return cleaned


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Staff make and revoke tokens here; the secret is shown once, after saving."""

    list_display = ["name", "prefix", "user", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["revoked_at"]
    search_fields = ["name", "prefix", "user__email"]
    autocomplete_fields = ["user"]
    fields = ["name", "user", "prefix", "created_at", "created_by", "last_used_at", "revoked_at"]
    readonly_fields = ["prefix", "created_at", "created_by", "last_used_at", "revoked_at"]
    actions = ["revoke"]
    form = ApiTokenForm

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        return type(form.__name__, (form,), {"actor": request.user})

    def get_readonly_fields(self, request, obj=None):
        # A token acts as one user for life: to change it, revoke it and make a new one.
        if obj is not None:
            return [*self.readonly_fields, "name", "user"]
        return self.readonly_fields

    def save_model(self, request, obj, form, change):
        if change:
            return
        token, secret = services.api_token_create(name=obj.name, user=obj.user, actor=request.user)
        obj.__dict__.update({k: v for k, v in token.__dict__.items() if k != "_state"})
        obj._state.adding = False
        messages.warning(
            request,
            _("The token's secret (shown only now, copy it): %(secret)s") % {"secret": secret},
        )

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=gettext_lazy("Revoke selected tokens"))
    def revoke(self, request, queryset):
        for token in queryset:
            services.api_token_revoke(token=token, actor=request.user)
        self.message_user(request, _("The selected tokens are revoked."), messages.SUCCESS)
