"""Body.slug: the address of each Gemeinde's portal pages (/gemeinden/<slug>/).

Existing Gemeinden get a slug from their short name (else name), German letters spelt out, made
unique in the order of their ids; their history rows get the same one. 0007 makes it unique (in a
migration of its own: PostgreSQL alters no table with the updates' trigger events pending)."""

from django.db import migrations, models
from django.utils.text import slugify

# Frozen here: the rule as it was when the field came (ratsinfo.lib.slugs.german_slug).
_SPELT_OUT = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"})


def fill_slugs(apps, schema_editor):
    Body = apps.get_model("bodies", "Body")
    HistoricalBody = apps.get_model("bodies", "HistoricalBody")
    taken: set[str] = set()
    for body in Body.objects.order_by("pk"):
        root = (slugify((body.short_name or body.name).translate(_SPELT_OUT)) or "gemeinde")[:192]
        candidate, n = root, 1
        while candidate in taken:
            n += 1
            candidate = f"{root}-{n}"
        taken.add(candidate)
        Body.objects.filter(pk=body.pk).update(slug=candidate)
        HistoricalBody.objects.filter(id=body.pk).update(slug=candidate)


class Migration(migrations.Migration):

    dependencies = [
        ("bodies", "0005_seat_plans"),
    ]

    operations = [
        migrations.AddField(
            model_name="body",
            name="slug",
            field=models.SlugField(default="", max_length=200, verbose_name="Adresskürzel"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="historicalbody",
            name="slug",
            field=models.SlugField(default="", max_length=200, verbose_name="Adresskürzel"),
            preserve_default=False,
        ),
        migrations.RunPython(fill_slugs, migrations.RunPython.noop),
    ]
