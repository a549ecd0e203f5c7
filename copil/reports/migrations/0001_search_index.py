"""The full-text index of the actions and the triggers that keep it in sync.

SQLite: the FTS5 table (its triggers are created after the migrations, by apps.py);
PostgreSQL: the unaccent extension, the copil_fr configuration, a tsvector table with a
GIN index, its triggers and its rows (see copil/reports/search.py for the SQL).
"""

from django.db import migrations


def install(apps, schema_editor):
    from copil.reports import search

    search.install_table(schema_editor.connection)


def uninstall(apps, schema_editor):
    from copil.reports import search

    search.uninstall(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("plan", "0001_initial"),
        ("institutions", "0001_initial"),
    ]

    operations = [migrations.RunPython(install, uninstall, elidable=False)]
