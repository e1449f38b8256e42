"""Unclaimed organisations imported from TED with buyer legal type ``body-pl-cga`` become
``cga``. The TED import mapped CA_TYPE NATIONAL_AGENCY to ``body-pl-cga`` until it followed
the Publications Office's TED-to-eForms converter (``cga``); it never updates an organisation
it matches, so the rows it created before kept the old code and disagreed with new ones.

Only NATIONAL_AGENCY ever produced ``body-pl-cga`` in the import's CA_TYPE table, so every
such unclaimed TED row came from it. Claimed organisations are left alone: their people may
have chosen the code themselves.
"""

from django.db import migrations
from django.utils import timezone


def ted_national_agencies_to_cga(apps, schema_editor):  # type: ignore[no-untyped-def]
    alias = schema_editor.connection.alias
    Organisation = apps.get_model("organisations", "Organisation")
    CodelistEntry = apps.get_model("reference", "CodelistEntry")
    codes = dict(
        CodelistEntry.objects.using(alias)
        .filter(codelist="buyer-legal-type", code__in=["body-pl-cga", "cga"])
        .values_list("code", "pk")
    )
    # Without the reference data (a new database) no organisation can carry either code.
    if len(codes) < 2:
        return
    Organisation.objects.using(alias).filter(
        source="ted", is_claimed=False, buyer_legal_type_id=codes["body-pl-cga"]
    ).update(buyer_legal_type_id=codes["cga"], updated_at=timezone.now())


class Migration(migrations.Migration):
    dependencies = [
        ("organisations", "0002_organisation_unclaimed"),
        ("reference", "0002_search_text"),
    ]
    # Not reversible by data: after it, a body-pl-cga row from before is not told apart.
    operations = [migrations.RunPython(ted_national_agencies_to_cga, migrations.RunPython.noop)]
