"""A consent to share named its partner as typed text; it now points to an organisation of the
directory. Each text is matched on a normalised form (typographic quotes, accents, case and
spaces do not count). The texts that match no organisation stay on the consent, listed here
for a person to fix in the admin (Consent → partner); until then they allow no sharing."""

import sys
import unicodedata

from django.db import migrations

QUOTES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'", "´": "'", "“": '"', "”": '"'})


def normalised(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.translate(QUOTES))
    text = "".join(char for char in text if not unicodedata.combining(char))
    return " ".join(text.casefold().split())


def match_partners(apps, schema_editor):
    Consent = apps.get_model("residents", "Consent")
    Organisation = apps.get_model("partners", "Organisation")
    by_name = {normalised(name): pk for pk, name in Organisation.objects.values_list("pk", "name")}
    unmatched = []
    consents = Consent.objects.filter(purpose="share", partner__isnull=True).exclude(
        partner_name=""
    )
    for consent in consents.only("pk", "partner_name").iterator():
        partner_id = by_name.get(normalised(consent.partner_name))
        if partner_id is None:
            unmatched.append((consent.pk, consent.partner_name))
            continue
        Consent.objects.filter(pk=consent.pk).update(partner_id=partner_id, partner_name="")
    if unmatched:
        sys.stdout.write(
            f"\n  {len(unmatched)} consent(s) to share name no organisation of the directory; "
            "choose their partner in the admin (Consents, partner: empty):\n"
        )
        for pk, text in unmatched:
            sys.stdout.write(f"    consent {pk}: {text!r}\n")


def keep_the_texts(apps, schema_editor):
    Consent = apps.get_model("residents", "Consent")
    for consent in Consent.objects.filter(partner__isnull=False).select_related("partner"):
        Consent.objects.filter(pk=consent.pk).update(partner_name=consent.partner.name)


class Migration(migrations.Migration):
    dependencies = [
        ("residents", "0003_departure_partner_date_bounds"),
        ("partners", "0001_initial"),
    ]

    operations = [migrations.RunPython(match_partners, keep_the_texts)]
