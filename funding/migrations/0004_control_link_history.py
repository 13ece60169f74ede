"""Control links get a period and are ended instead of deleted.

Links recorded before had no date and applied to every day; they get 1 January 2014 (the first
day of the oldest regulation the app knows), so every single undertaking and every ceiling
computed before stays the same."""

import datetime

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def timeless_links_apply_from_2014(apps, schema_editor):
    ControlLink = apps.get_model("funding", "ControlLink")
    ControlLink.objects.filter(valid_from__isnull=True).update(valid_from=datetime.date(2014, 1, 1))


class Migration(migrations.Migration):

    dependencies = [
        ('funding', '0003_declarations_as_evidence'),
        ('members', '0011_sme_groups'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='controllink',
            options={'ordering': ['controlling__legal_name', 'controlled__legal_name', '-valid_from'], 'verbose_name': 'Control link', 'verbose_name_plural': 'Control links'},
        ),
        migrations.RemoveConstraint(
            model_name='controllink',
            name='funding_control_link_once',
        ),
        migrations.AddField(
            model_name='controllink',
            name='end_reason',
            field=models.CharField(blank=True, max_length=200, verbose_name='Why the control ended'),
        ),
        migrations.AddField(
            model_name='controllink',
            name='ended_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='Ended by'),
        ),
        migrations.AddField(
            model_name='controllink',
            name='ended_on',
            field=models.DateField(blank=True, help_text='The first day on which the company no longer controls the other.', null=True, verbose_name='Control ended on'),
        ),
        migrations.AddField(
            model_name='controllink',
            name='valid_from',
            field=models.DateField(null=True, verbose_name='Control since'),
        ),
        migrations.RunPython(timeless_links_apply_from_2014, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='controllink',
            name='valid_from',
            field=models.DateField(default=django.utils.timezone.localdate, verbose_name='Control since'),
        ),
        migrations.AddConstraint(
            model_name='controllink',
            constraint=models.UniqueConstraint(condition=models.Q(('ended_on__isnull', True)), fields=('controlling', 'controlled'), name='funding_control_link_once'),
        ),
        migrations.AddConstraint(
            model_name='controllink',
            constraint=models.CheckConstraint(condition=models.Q(('ended_on__isnull', True), ('ended_on__gte', models.F('valid_from')), _connector='OR'), name='funding_control_link_period_ordered'),
        ),
    ]
