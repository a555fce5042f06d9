from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("briefs", "0012_stored_body"),
        ("briefs", "0014_help_texts"),
    ]

    operations = []
