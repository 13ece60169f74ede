"""The login model in the database: a company login has a contact and is not staff; a staff
login has neither company nor contact; and (PostgreSQL) the contact works at the login's company,
by a foreign key on the pair (contact, company)."""

from django.db import migrations, models

SAME_COMPANY = "user_contact_same_company"


def add_same_company_key(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return  # SQLite (make run): the model's clean() and the services check it
    schema_editor.execute(
        f"ALTER TABLE members_user ADD CONSTRAINT {SAME_COMPANY} "
        "FOREIGN KEY (contact_id, company_id) REFERENCES members_contact (id, company_id) "
        "DEFERRABLE INITIALLY DEFERRED"
    )


def drop_same_company_key(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE members_user DROP CONSTRAINT {SAME_COMPANY}")


class Migration(migrations.Migration):
    dependencies = [("members", "0008_link_company_logins_to_contacts")]

    operations = [
        migrations.AddConstraint(
            model_name='user',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('company__isnull', True), ('contact__isnull', True)), models.Q(('company__isnull', False), ('contact__isnull', False)), _connector='OR'), name='user_company_login_has_contact', violation_error_message='A company login belongs to one contact of its company; a staff login to neither company nor contact.'),
        ),
        migrations.AddConstraint(
            model_name='user',
            constraint=models.CheckConstraint(condition=models.Q(('company__isnull', True), models.Q(('is_staff', False), ('is_superuser', False)), _connector='OR'), name='user_company_login_not_staff', violation_error_message='A company login cannot be staff or superuser.'),
        ),
        migrations.RunPython(add_same_company_key, drop_same_company_key),
    ]
