from django.db import migrations

from mac.core.ubigeo import load


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
