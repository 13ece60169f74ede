"""Recomputes every company's SME classes from its figures and holdings (after the group rules
changed, or after figures were loaded in bulk). Prints the companies whose class changed."""

from django.core.management.base import BaseCommand

from members.models import Company
from members.services import companies_sme_recompute


class Command(BaseCommand):
    help = "Recompute the SME class of every company with figures (groups included)."

    def handle(self, *args, **options):
        before = dict(Company.objects.values_list("pk", "sme_class"))
        ids = list(Company.objects.filter(sme_figures__isnull=False).values_list("pk", flat=True))
        companies_sme_recompute(sorted(set(ids)))
        after = dict(Company.objects.values_list("pk", "sme_class"))
        changed = [pk for pk in after if after[pk] != before.get(pk)]
        for company in Company.objects.filter(pk__in=changed).order_by("legal_name"):
            self.stdout.write(f"{company.legal_name}: {before[company.pk]} -> {company.sme_class}")
        self.stdout.write(f"{len(changed)} changed")
