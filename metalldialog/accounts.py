from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    """Accounts are created by staff or by a company for its colleagues, never by sign-up."""

    def is_open_for_signup(self, request):
        return False

    def pre_authenticate(self, request, **credentials):
        """Failed passwords are counted by django-axes per (e-mail, IP address)
        (metalldialog.lockout); allauth's own count would lock an account from every address."""
        return None
