from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("agencies", "0004_conference_member_role")]

    operations = [
        migrations.AddField(
            model_name="user",
            name="session_generation",
            field=models.PositiveIntegerField(default=0, editable=False),
        ),
    ]
