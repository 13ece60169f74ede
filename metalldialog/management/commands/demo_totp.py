"""Prints the current code of the demo logins' authenticator app (staff log in with it)."""

import time

from allauth.mfa import app_settings
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core.management.base import BaseCommand

from metalldialog.demo import DEMO_TOTP_SECRET


class Command(BaseCommand):
    help = "Shows the current authenticator code of the staff demo logins (`make run`)."

    def handle(self, *args, **options):
        now = int(time.time())
        code = format_hotp_value(hotp_value(DEMO_TOTP_SECRET, now // app_settings.TOTP_PERIOD))
        left = app_settings.TOTP_PERIOD - now % app_settings.TOTP_PERIOD
        self.stdout.write(f"{code}  (valid for another {left} s; key {DEMO_TOTP_SECRET})")
