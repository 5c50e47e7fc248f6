from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("bodies", "0006_body_slug"),
    ]

    operations = [
        migrations.AlterField(
            model_name="body",
            name="slug",
            field=models.SlugField(max_length=200, unique=True, verbose_name="Adresskürzel"),
        ),
    ]
