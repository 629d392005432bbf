"""The dashboard settings, moved from ema with their row: the model enters this app's state on
the table ema made (ema_dashboardsettings), then the table takes this app's name, and the
content type (with its permissions) follows. No row is copied, none is lost."""

import django.core.validators
from django.db import migrations, models


def content_type_to(app_label, other):
    def move(apps, schema_editor):
        ContentType = apps.get_model('contenttypes', 'ContentType')
        types = ContentType.objects.using(schema_editor.connection.alias)
        if not types.filter(app_label=app_label, model='dashboardsettings').exists():
            types.filter(app_label=other, model='dashboardsettings').update(app_label=app_label)

    return move


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('ema', '0003_dashboardsettings_to_reports'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='DashboardSettings',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('target_individual', models.PositiveSmallIntegerField(default=40, validators=[django.core.validators.MaxValueValidator(100)], verbose_name='individual level (% of time)')),
                        ('target_group', models.PositiveSmallIntegerField(default=30, validators=[django.core.validators.MaxValueValidator(100)], verbose_name='group level (% of time)')),
                        ('target_collective', models.PositiveSmallIntegerField(default=30, validators=[django.core.validators.MaxValueValidator(100)], verbose_name='collective level (% of time)')),
                        ('not_reached_months', models.PositiveSmallIntegerField(default=6, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(36)], verbose_name='not reached after (months)')),
                    ],
                    options={
                        'verbose_name': 'dashboard settings',
                        'verbose_name_plural': 'dashboard settings',
                        'db_table': 'ema_dashboardsettings',
                        'constraints': [models.CheckConstraint(condition=models.Q(('target_collective__lte', 100), ('target_group__lte', 100), ('target_individual__lte', 100)), name='dashboard_targets_are_percentages')],
                    },
                ),
            ],
            database_operations=[],
        ),
        # From ema_dashboardsettings to reports_dashboardsettings, the row inside.
        migrations.AlterModelTable(name='dashboardsettings', table=None),
        migrations.RunPython(content_type_to('reports', 'ema'), content_type_to('ema', 'reports')),
    ]
