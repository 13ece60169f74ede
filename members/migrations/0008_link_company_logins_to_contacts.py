"""Every company login belongs to one contact of its company; staff logins to no company.

Existing company logins are linked to the contact of their company with the same address
(the oldest one, if several); where there is none, a contact is made from the login's name,
without forum invitations (nobody starts receiving mail through this). Staff and superuser
logins that named a company lose it.
"""

from django.db import migrations
from django.db.models import Q


def link_logins(apps, schema_editor):
    User = apps.get_model("members", "User")
    Contact = apps.get_model("members", "Contact")
    User.objects.filter(Q(is_staff=True) | Q(is_superuser=True), company__isnull=False).update(
        company=None, contact=None
    )
    for user in User.objects.filter(company__isnull=False, contact__isnull=True).order_by("pk"):
        contact = (
            Contact.objects.filter(
                company_id=user.company_id, email__iexact=user.email, login__isnull=True
            )
            .order_by("pk")
            .first()
        )
        if contact is None:
            contact = Contact.objects.create(
                company_id=user.company_id,
                first_name=user.first_name,
                last_name=user.last_name or user.email.split("@")[0],
                email=user.email,
                receives_invitations=False,
            )
        user.contact = contact
        user.save(update_fields=["contact"])


class Migration(migrations.Migration):
    dependencies = [("members", "0007_user_contact")]

    operations = [migrations.RunPython(link_logins, migrations.RunPython.noop)]
